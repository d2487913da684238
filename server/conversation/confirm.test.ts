/**
 * The confirm policy for spoken turns (issue 14 point 3): confident voice orders are charged at once;
 * doubted ones are read back and charged only on yes; a correction instead of yes is the new order;
 * a question about a drink is never an order, typed or spoken.
 */
import { describe, expect, it } from 'vitest';
import { conversation } from '../testing/scenario.ts';
import { confirmStep, doubtedOrder } from './confirm.ts';
import { parseIntent } from './brain/intents.ts';

const heard = (confidence: number, extra: object = {}) => ({
  source: 'voice' as const,
  confidence,
  ...extra,
});
const sure = heard(0.95);
const unsure = heard(0.5);

describe('spoken orders: charge at once, or read back', () => {
  it('charges a confident spoken order at once and repeats it', async () => {
    await conversation()
      .guest('two IPAs', sure)
      .expectTab(1200)
      .expectMentions('two IPAs', '$12.00')
      .expectPending(null)
      .run();
  });

  it.each([
    'yes',
    'yeah',
    'yep',
    'sure',
    'right',
    'correct',
    'please do',
    'yes please',
    'yeah go ahead',
    'um, yes',
    'oh yeah sure',
  ])('reads a doubted order back and "%s" charges it', async (answer) => {
    await conversation()
      .guest('two IPAs', unsure)
      .expectTab(0)
      .expectReply('Just to check — two IPAs?')
      .expectPending('confirm_order')
      .expectTools()
      .guest(answer, heard(0.6))
      .expectTab(1200)
      .expectPending(null)
      .expectEmotion('mixing')
      .run();
  });

  it.each(['no', 'well, no thanks', 'hmm nope'])(
    'reads a doubted order back and "%s" charges nothing',
    async (answer) => {
      await conversation()
        .guest('two IPAs', unsure)
        .guest(answer, heard(0.6))
        .expectTab(0)
        .expectPending(null)
        .expectMentions(/nothing added|won't pour/)
        .run();
    },
  );

  it('asks once more when the spoken answer to a read-back is a few words that mean nothing ("the lads" for a "yes" in noise)', async () => {
    await conversation()
      .guest('two IPAs', unsure)
      .guest('the lads', heard(0.6))
      .expectTab(0)
      .expectPending('confirm_order')
      .expectReply("Sorry, I didn't catch that. Did you want two IPAs?")
      .guest('yes', heard(0.9))
      .expectTab(1200)
      .run();
    // Only once: a second non-answer drops the question, and nothing is charged.
    await conversation()
      .guest('two IPAs', unsure)
      .guest('us', heard(0.6))
      .expectPending('confirm_order')
      .guest('us', heard(0.6))
      .expectPending(null)
      .expectTab(0)
      .run();
    // A question, a longer remark, or anything typed is answered as it is, and the question dropped.
    for (const [said, options] of [
      ['what time do you close', heard(0.6)],
      ['I love this song, it is great', heard(0.6)],
      ['the lads', {}],
    ] as const)
      await conversation().guest('two IPAs', unsure).guest(said, options).expectPending(null).run();
  });

  it('"no" charges nothing; "no, three" is the new order, read back again while still unsure', async () => {
    await conversation()
      .guest('two IPAs', unsure)
      .expectTab(0)
      .guest('no', unsure)
      .expectTab(0)
      .expectPending(null)
      .expectMentions(/nothing added|won't pour/)
      .guest('two IPAs', unsure)
      .expectTab(0)
      .guest('no, three', unsure)
      .expectTab(0)
      .expectReply('Just to check — three IPAs?')
      .expectPending('confirm_order')
      .guest('yes', unsure)
      .expectTab(1800)
      .guest('a margarita', unsure)
      .expectTab(1800)
      .guest('no, two margaritas', sure)
      .expectTab(1800 + 2200)
      .expectPending(null)
      .run();
  });

  it('reads back an order whose count word the recogniser doubts ("a" heard as "two"), even when confident overall', async () => {
    await conversation()
      .guest('two beers', heard(0.95, { uncertainSlots: ['quantity'] }))
      .expectTab(0)
      .expectReply('Just to check — two Tap Beers?')
      .guest('no, one', heard(0.95))
      .expectTab(500)
      .expectOrder([{ item: 'Tap Beer', quantity: 1 }])
      .run();
  });

  it('reads back when the alternatives disagree about the order, not when they agree', async () => {
    await conversation()
      .guest('a water', heard(0.9, { alternatives: ['a lager'] }))
      .expectTab(0)
      .expectMentions('one Water')
      .guest('yes')
      .expectTab(100)
      .guest('a water', heard(0.9, { alternatives: ['one water'] }))
      .expectTab(200)
      .run();
  });

  it('takes a count given to an offer as the order ("how much are two mojitos?" — "just one")', async () => {
    await conversation()
      .guest('how much are two mojitos?')
      .expectTab(0)
      .expectPending('offer')
      .guest('just one')
      .expectTab(1100)
      .expectOrder([{ item: 'Mojito', quantity: 1 }])
      .guest('how much is an IPA?', sure)
      .expectTab(1100)
      .guest('yes, two please', unsure)
      .expectTab(1100)
      .expectReply('Just to check — two IPAs?')
      .guest('yes, two', unsure)
      .expectTab(2300)
      .expectPending(null)
      .run();
  });

  it('reads the same drink said twice back as one count ("seven Tap Beers?", not "six … and one Tap Beer?")', async () => {
    await conversation()
      .guest('six beers and a beer', unsure)
      .expectReply('Just to check — seven Tap Beers?')
      .guest('yes', unsure)
      .expectOrder([{ item: 'Tap Beer', quantity: 7 }])
      .run();
  });

  it('reads back a doubted swap, and swaps only on yes', async () => {
    await conversation()
      .guest('a vodka', sure)
      .expectTab(700)
      .guest('make it a gin instead', unsure)
      .expectTab(700)
      .expectReply('Just to check — one Gin instead of the Vodka?')
      .guest('yes', unsure)
      .expectTab(800)
      .expectOrder([{ item: 'Gin', quantity: 1 }])
      .run();
  });

  it('reads back a doubted count raised on the last drink as the drinks it adds, and lowers a count at once', async () => {
    await conversation()
      .guest('a tap beer', sure)
      .expectTab(500)
      .guest('actually make it three', unsure)
      .expectTab(500)
      .expectReply('Just to check — two more Tap Beers?')
      .expectPending('confirm_order')
      .guest('yes', unsure)
      .expectTab(1500)
      .expectOrder([{ item: 'Tap Beer', quantity: 3 }])
      .guest('make it two', unsure)
      .expectTab(1000)
      .expectPending(null)
      .run();
    await conversation()
      .guest('a tap beer', sure)
      .guest('make it two', unsure)
      .guest('no', unsure)
      .expectTab(500)
      .run();
  });

  it('reads back a spoken correction when nothing was ordered ("I said two beers" is likely a remark bent into an order); typed, it is charged', async () => {
    for (const said of ['i said two beers', 'i meant a mojito', 'no i said two beers']) {
      await conversation()
        .guest(said, sure)
        .expectTab(0)
        .expectPending('confirm_order')
        .expectMentions('Just to check')
        .guest('before I came here', sure)
        .expectTab(0)
        .run();
    }
    await conversation().guest('i said two beers').expectTab(1000).run();
    // With a drink to correct, a confident correction is charged at once, as before.
    await conversation()
      .guest('a mojito', sure)
      .guest('i meant a margarita', sure)
      .expectOrder([{ item: 'Margarita', quantity: 1 }])
      .run();
  });

  it('never takes a question about a drink as an order, typed or spoken, whatever the confidence', async () => {
    for (const options of [{}, sure, unsure, heard(0.1, { uncertainSlots: ['quantity'] })]) {
      await conversation()
        .guest('how much is a mojito', options)
        .expectTab(0)
        .expectPending('offer')
        .expectMentions('$11.00')
        .guest('do you have margaritas', options)
        .expectTab(0)
        .guest('is the mojito strong', options)
        .expectTab(0)
        .expectTools()
        .run();
    }
  });
});

describe('confirmStep', () => {
  it('lets typed turns through and takes a yes or no to a pending question as the answer', () => {
    const pending = {
      kind: 'confirm_order' as const,
      items: [{ item: 'IPA', quantity: 2, modifiers: [] }],
    };
    expect(
      confirmStep({
        intent: parseIntent('two IPAs'),
        pending: null,
        options: {},
        lastAdded: [],
        text: 'two IPAs',
      }).kind,
    ).toBe('answer');
    expect(
      confirmStep({
        intent: parseIntent('yeah'),
        pending,
        options: {},
        lastAdded: [],
        text: 'yeah',
      }),
    ).toEqual({ kind: 'confirmed', pending });
    expect(
      confirmStep({
        intent: parseIntent('nope'),
        pending,
        options: {},
        lastAdded: [],
        text: 'nope',
      }),
    ).toEqual({ kind: 'declined', pending });
    expect(
      confirmStep({
        intent: parseIntent('no, three'),
        pending,
        options: {},
        lastAdded: [],
        text: 'no three',
      }),
    ).toEqual({
      kind: 'answer',
      intent: { kind: 'order', items: [{ item: 'IPA', quantity: 3, modifiers: [] }] },
    });
  });

  it('doubts a count word only when the recogniser flags it, and a typed turn never', () => {
    const items = [{ item: 'Tap Beer', quantity: 2, modifiers: [] }];
    expect(
      doubtedOrder({ source: 'voice', uncertainSlots: ['quantity'] }, 'two beers', items, []),
    ).toBe(true);
    expect(doubtedOrder({ source: 'voice' }, 'two beers', items, [])).toBe(false);
    expect(
      doubtedOrder({ source: 'text', uncertainSlots: ['quantity'] }, 'two beers', items, []),
    ).toBe(false);
  });
});

describe('a drink taken back in the same words', () => {
  it('heard by ear, even clearly, is read back: the "no" may be a filler misheard', async () => {
    await conversation()
      .guest('can i get no old fashioned and two beers', sure)
      .expectTab(0)
      .expectReply('Just to check — two Tap Beers?')
      .expectPending('confirm_order')
      .guest('yes', heard(0.9))
      .expectTab(1000)
      .run();
  });

  it('a repair heard by ear is read back too', async () => {
    await conversation()
      .guest('a beer no a whiskey', sure)
      .expectTab(0)
      .expectPending('confirm_order')
      .run();
  });

  it('typed, it is charged at once: only the drink wanted', async () => {
    await conversation()
      .guest('no beer for me tonight, just a water')
      .expectTab(100)
      .expectPending(null)
      .guest("I don't want a whiskey, give me a brandy")
      .expectTab(1000)
      .run();
  });

  it('typed, a refused drink on the tab is swapped for the one wanted', async () => {
    await conversation()
      .guest('a whiskey')
      .expectTab(800)
      .guest("I don't want a whiskey, give me a brandy")
      .expectTab(900)
      .expectMentions('Brandy')
      .run();
  });
});

describe('taking a drink Maya offered or talked about, without naming it', () => {
  it.each([
    ['do you have tequila?', 'great, one please', [{ item: 'Tequila', quantity: 1 }]],
    ['how much is a mojito?', 'ok give me two', [{ item: 'Mojito', quantity: 2 }]],
    ["what's in a manhattan?", "sounds good, I'll have one", [{ item: 'Manhattan', quantity: 1 }]],
    ['do you have IPA?', "I'll take it", [{ item: 'IPA', quantity: 1 }]],
    // Agreement in a typed clause of its own, then the words that take it (round 12).
    [
      'how strong is the long island?',
      "ok I'm in, one please",
      [{ item: 'Long Island', quantity: 1 }],
    ],
    ['do you have rum?', 'you convinced me. two of those', [{ item: 'Rum', quantity: 2 }]],
    // Round 14: a try, and whom it is for.
    ["what's in a whiskey sour?", "i'll give it a try", [{ item: 'Whiskey Sour', quantity: 1 }]],
    ['do you have lemonade?', 'two of those for the kids', [{ item: 'Lemonade', quantity: 2 }]],
  ])('"%s" — "%s" orders it', async (asked, taking, order) => {
    await conversation().guest(asked).expectTab(0).guest(taking).expectOrder(order).run();
  });

  it.each(['that', 'it', 'those'])(
    'a pronoun alone ("%s", as a recogniser hears a cough) takes nothing, even heard clearly',
    async (said) => {
      await conversation().guest('do you have tequila?').guest(said, sure).expectTab(0).run();
    },
  );

  it('an earlier clause that asks is not agreement: "is it dark? one please" takes nothing', async () => {
    await conversation()
      .guest('do you have rum?')
      .guest('is it dark? one please')
      .expectTab(0)
      .run();
  });

  it('an earlier clause that names a drink orders that drink, not the one talked about', async () => {
    await conversation()
      .guest('do you have rum?')
      .guest('hmm, a gin, one please')
      .expectOrder([{ item: 'Gin', quantity: 1 }])
      .run();
  });

  it('a drink only talked about is not taken by a bare yes, which may only agree', async () => {
    await conversation()
      .guest("what's in a manhattan?")
      .expectPending('offer')
      .guest('yes')
      .expectTab(0)
      .expectPending(null)
      .run();
  });

  it('"the second one sounds nice" takes the second drink Maya recommended', async () => {
    await conversation()
      .guest('what do you recommend for something classy?')
      .expectMentions('Martini', 'Old Fashioned')
      .guest('the second one sounds nice')
      .expectOrder([{ item: 'Old Fashioned', quantity: 1 }])
      .run();
  });

  it('a count heard with doubts is read back, not charged at once', async () => {
    await conversation()
      .guest('how much is an IPA?', sure)
      .guest("I'll have two", unsure)
      .expectTab(0)
      .expectReply('Just to check — two IPAs?')
      .guest('yes', heard(0.9))
      .expectTab(1200)
      .run();
  });
});
