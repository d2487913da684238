/**
 * Wordings the blind typed rounds found misunderstood (bench:understanding round 9): a count that is
 * not whole, a hedged request with a modal, how to serve "that", a tip asked about rather than given,
 * and an off-menu drink with a menu word in its name.
 */
import { describe, expect, it } from 'vitest';
import { conversation } from '../../testing/scenario.ts';
import { parseIntent, understand } from './intents.ts';

describe('a count that is not whole', () => {
  it.each(['1.5 beers', '2,5 beers please', 'can i get 0.5 whiskeys', '0.5 of a beer'])(
    '"%s" is never charged (it read as five, two or zero-five drinks)',
    async (said) => {
      await conversation()
        .guest(said)
        .expectTab(0)
        .expectMentions(/\bwhole\b/)
        .run();
    },
  );

  it('"two beers at $5.50" keeps its count', () => {
    const intent = parseIntent('two beers please at $5.50 each');
    expect(intent).toMatchObject({ kind: 'order', items: [{ item: 'Tap Beer', quantity: 2 }] });
  });
});

describe('a hedged request with a modal', () => {
  it.each([
    ['so my friend and I were thinking maybe we could get like two of those margaritas', 2],
    ['i think we could have a mojito', 1],
  ])('"%s" is an order', (said, quantity) =>
    expect(parseIntent(said)).toMatchObject({ kind: 'order', items: [{ quantity }] }),
  );

  it('"we could get there by taxi" is not', () =>
    expect(parseIntent('we could get there by taxi').kind).not.toBe('order'));
});

describe('how to serve the drink just ordered, as "that" or "it"', () => {
  it.each([
    ['can I get that on the rocks', ['on the rocks']],
    ["I'd like it neat", ['neat']],
    ['could you make them doubles', ['double']],
  ])('"%s" serves it %j', (said, modifiers) =>
    expect(parseIntent(said)).toEqual({ kind: 'modify_last', modifiers }),
  );

  it('a negroni, then "can I get that on the rocks": the negroni is served so, nothing more charged', async () => {
    await conversation()
      .guest('a negroni')
      .guest('can I get that on the rocks')
      .expectTab(1100)
      .expectOrder([{ item: 'Negroni', quantity: 1, modifiers: ['on the rocks'] }])
      .run();
  });
});

describe('a tip asked about, not given', () => {
  it.each([
    ['how much would a 20% tip be?', 20],
    ['what would 15 percent be', 15],
  ])('"%s" is a quote', (said, percent) =>
    expect(parseIntent(said)).toEqual({ kind: 'tip', percent, quote: true }),
  );

  it('the quote says the amount and sets nothing; "add it" style words still set it', async () => {
    await conversation()
      .guest('a mojito')
      .guest('how much would a 20% tip be?')
      .expectMentions('$2.20', '$13.20')
      .expectTip(null)
      .guest('20% tip please')
      .expectTip(20)
      .run();
  });
});

describe('an off-menu drink with a menu word in it', () => {
  it('"tonic water" is not a Water', () =>
    expect(parseIntent('one gin & one tonic water')).toEqual({
      kind: 'order',
      items: [{ item: 'Gin', quantity: 1, modifiers: [] }],
      unknown: ['tonic water'],
    }));
});

describe('an order and a question about drinks in one turn', () => {
  it.each([
    ["a mojito please, and what's in a negroni?", 'Mojito', 'drink_talk'],
    ['two beers. how much is a mojito?', 'Tap Beer', 'ask_price'],
    ["what's in a negroni? a mojito please", 'Mojito', 'drink_talk'],
  ])('"%s": the %s is ordered and the question answered (%s)', (said, item, kind) => {
    const u = understand(said);
    expect(u.intent).toMatchObject({ kind: 'order', items: [{ item }] });
    expect(u.also?.kind).toBe(kind);
  });

  it('the order is charged, and the reply answers the question after it', async () => {
    await conversation()
      .guest("a mojito please, and what's in a negroni?")
      .expectOrder([{ item: 'Mojito', quantity: 1 }])
      .expectMentions('Mojito', /campari|vermouth|negroni/i)
      .run();
  });

  it.each(['a whiskey, neat', 'a gin and a tonic water, please'])('"%s" is one thing', (said) =>
    expect(understand(said).also).toBeUndefined(),
  );
});

describe('the price of a drink served a particular way', () => {
  it('"how much is a double whiskey" is the double\'s price, as the tab would charge it', async () => {
    await conversation()
      .guest('how much is a double whiskey')
      .expectMentions('$12.00')
      .expectTab(0)
      .guest('do you have two double gins?')
      .expectMentions('$24.00')
      .run();
  });
});

describe('a drink pointed at, not named', () => {
  it.each([
    ['two of those please', 2],
    ["i'll have one of those", 1],
    ['i want that one', 1],
    ['three of them', 3],
    ["i'll have two", 2],
  ])('"%s" is %i more of the drink just ordered', (said, quantity) =>
    expect(parseIntent(said)).toEqual({ kind: 'repeat_last', quantity }),
  );

  it('after a negroni, "two of those please" adds two (it answered "we don\'t have of those")', async () => {
    await conversation()
      .guest('a negroni')
      .guest('two of those please')
      .expectOrder([{ item: 'Negroni', quantity: 3 }])
      .run();
  });

  it('with nothing ordered, "i\'ll have two" charges nothing; with a gin offered, it is two gins', async () => {
    await conversation()
      .guest("i'll have two")
      .expectTab(0)
      .guest('do you have gin?')
      .guest("i'll have two")
      .expectOrder([{ item: 'Gin', quantity: 2 }])
      .run();
  });
});

describe('a drink asked for made otherwise than its recipe', () => {
  it.each([
    ['can you make a mojito without mint?', 'Mojito', 'without mint'],
    ['an old fashioned with extra bitters', 'Old Fashioned', 'extra bitters'],
    ['a mojito, extra lime please', 'Mojito', 'extra lime'],
  ])('"%s" cannot be made so', (said, item, asked) =>
    expect(parseIntent(said)).toMatchObject({ kind: 'cannot_make', item, asked }),
  );

  it.each([
    // The recipe says salt "if you like": a margarita without it is a margarita.
    ['hit me with a margarita, no salt', 'order'],
    // Servings are modifiers, not changes to the recipe.
    ['a double dry martini', 'order'],
    ['a rum and coke no ice', 'order'],
  ])('"%s" is still an order', (said, kind) => expect(parseIntent(said).kind).toBe(kind));

  it('nothing is charged; Maya says so and offers it the usual way, which a yes takes', async () => {
    await conversation()
      .guest('can you make a mojito without mint?')
      .expectTab(0)
      .expectMentions('without mint', 'usual way')
      .expectPending('offer')
      .guest('yes')
      .expectOrder([{ item: 'Mojito', quantity: 1 }])
      .run();
  });
});

describe('a count said after its drink (round 12)', () => {
  it.each([
    ['tequila, two of them, with a chaser', ['2 Tequila (with a chaser)']],
    ['mojitos, three of them please', ['3 Mojito']],
    ['a beer, two of them', ['2 Tap Beer']],
    // A count before the drink stays; "one of them" only picks one out.
    ['two beers, one of them for my wife', ['2 Tap Beer']],
  ])('"%s" is %j', (said, expected) => {
    const intent = parseIntent(said);
    expect(intent.kind).toBe('order');
    if (intent.kind !== 'order') return;
    expect(
      intent.items.map(
        (i) => `${i.quantity} ${i.item}${i.modifiers.length ? ` (${i.modifiers.join(', ')})` : ''}`,
      ),
    ).toEqual(expected);
  });
});

describe('the drink just ordered, asked not to be made', () => {
  it.each([
    "wait, don't make that",
    "don't bother with that",
    'no need to pour those after all',
    "you don't need to make that one",
  ])('"%s" cancels the last', (said) => expect(parseIntent(said).kind).toBe('cancel_last'));

  it.each([
    "i don't get it",
    "don't pour it yet",
    "don't make it too strong",
    "don't worry about it",
  ])('"%s" cancels nothing', (said) => expect(parseIntent(said).kind).not.toBe('cancel_last'));

  it('"don\'t make it a double" makes nothing a double', () =>
    expect(parseIntent("don't make it a double").kind).not.toBe('modify_last'));

  it('a cosmo, then "wait, don\'t make that": nothing is charged', async () => {
    await conversation()
      .guest('a cosmo')
      .expectTab(1200)
      .guest("wait, don't make that")
      .expectTab(0)
      .run();
  });
});

describe('round 13: the last drink for someone else, the tip taken back, a kind of drink asked after', () => {
  it.each([
    ['and one for my buddy', 1],
    ['one for the road', 1],
    ['two more for the table', 2],
    ['one for my wife too please', 1],
  ])('"%s" is %i more of the drink just ordered', (said, quantity) =>
    expect(parseIntent(said)).toEqual({ kind: 'repeat_last', quantity }),
  );

  it('"i have one for my brother" orders nothing', () =>
    expect(parseIntent('i have one for my brother').kind).toBe('small_talk'));

  it.each([
    ['throw a 15 on top for you', 15],
    ['leave 20 extra', 20],
    ['put 10 on top', 10],
  ])('"%s" is a %i %% tip', (said, percent) =>
    expect(parseIntent(said)).toEqual({ kind: 'tip', percent }),
  );

  it('"add two for you" is no tip', () =>
    expect(parseIntent('add two for you').kind).not.toBe('tip'));

  it.each(['never mind the tip', 'forget the tip', 'scrap the tip'])(
    '"%s" takes the tip off and nothing else',
    (said) => expect(parseIntent(said)).toEqual({ kind: 'tip', percent: null }),
  );

  it('a soda with a tip, then "never mind the tip": the soda stays, the tip goes', async () => {
    await conversation()
      .guest('a soda')
      .guest('tip 15')
      .expectTip(15, 45)
      .guest('never mind the tip')
      .expectTip(null, 0)
      .expectTab(300)
      .run();
  });

  it.each([
    ["what's non alcoholic", 'non-alcoholic'],
    ['anything alcohol free?', 'non-alcoholic'],
    ['got any wines', 'wine'],
  ])('"%s" asks for the %s drinks', (said, category) =>
    expect(parseIntent(said)).toEqual({ kind: 'menu', category }),
  );
});

describe('an order and a question about anything else, typed in one turn', () => {
  it('"a gin please and is there a happy hour?" charges the gin and answers the question as talk', async () => {
    await conversation()
      .guest('a gin please and is there a happy hour?')
      .expectOrder([{ item: 'Gin', quantity: 1 }])
      .expectNotMentions('Martini')
      .run();
  });

  it('without a question mark (as a transcript reads) nothing is split', () =>
    expect(understand('can i get a gin and is it strong').also).toBeUndefined());
});

describe('round 14: counts against counts, one less, more on the tab, the cheapest of a kind', () => {
  it.each([
    ['not two, three', 3],
    ['three, not two', 3],
    ['not two but three', 3],
  ])('"%s" sets the count to %i', (said, quantity) =>
    expect(parseIntent(said)).toEqual({ kind: 'set_quantity', quantity }),
  );

  it.each([
    ['one less', 1],
    ['make it two fewer', 2],
  ])('"%s" takes %i of the last drink off', (said, quantity) =>
    expect(parseIntent(said)).toEqual({ kind: 'remove', quantity }),
  );

  it.each(['not one more', 'no more for me', "i don't want another"])(
    '"%s" asks for nothing more',
    (said) => expect(parseIntent(said).kind).not.toBe('repeat_last'),
  );

  it('three beers, then "one less": two beers', async () => {
    await conversation()
      .guest('three beers')
      .guest('one less')
      .expectOrder([{ item: 'Tap Beer', quantity: 2 }])
      .expectTab(1000)
      .run();
  });

  it('a whiskey, then "put another one on my tab": two whiskeys (it read the tab out)', async () => {
    await conversation()
      .guest('a whiskey')
      .guest('put another one on my tab')
      .expectOrder([{ item: 'Whiskey', quantity: 2 }])
      .run();
  });

  it.each([
    ["what's the cheapest beer you've got", 'beer'],
    ['which is the cheapest wine?', 'wine'],
  ])('"%s" lists the %s with prices', (said, category) =>
    expect(parseIntent(said)).toEqual({ kind: 'menu', category }),
  );

  it('"what\'s your strongest cocktail" is still a recommendation', () =>
    expect(parseIntent("what's your strongest cocktail")).toMatchObject({
      kind: 'recommend',
      preference: 'strong',
    }));
});

describe('found by held-out round 11, fixed after its one scoring', () => {
  const lines = (said: string) => {
    const intent = parseIntent(said);
    return intent.kind === 'order'
      ? intent.items.map((i) => `${i.quantity} ${i.item}`)
      : intent.kind;
  };

  it.each([
    ['one beer for me and one for my wife', ['2 Tap Beer']],
    ['two beers and one for my wife', ['3 Tap Beer']],
    // Each drink named for someone stays its own.
    ['a beer for me and a gin for my wife', ['1 Tap Beer', '1 Gin']],
    // A hesitation may stand in a repair, but alone it makes none.
    ['a red wine, uh, I mean a white wine', ['1 White Wine']],
    ['a beer uh a whiskey', ['1 Tap Beer', '1 Whiskey']],
    // Wanting said as what one is after, or could do with.
    ["I'm after a cold beer", ['1 Tap Beer']],
    ['i could do with a whiskey', ['1 Whiskey']],
  ])('"%s" is %j', (said, expected) => expect(lines(said)).toEqual(expected));

  it('"i\'m looking for the bathroom" orders nothing', () =>
    expect(lines("i'm looking for the bathroom")).toBe('small_talk'));
});

describe('round 15: money, how many, what it cost, anything without alcohol', () => {
  it.each([
    ['can I afford another round?', 'balance'],
    ['how am I doing on money?', 'balance'],
    ['how many drinks have I had?', 'show_order'],
    ['how many beers have i had', 'show_order'],
    ['what did that cost?', 'bill'],
  ])('"%s" is %s', (said, kind) => expect(parseIntent(said).kind).toBe(kind));

  it('"can I afford another round?" orders no round (it did)', async () => {
    await conversation()
      .guest('two beers')
      .guest('can I afford another round?')
      .expectTab(1000)
      .expectMentions('$990.00')
      .run();
  });

  it('"do you have anything without alcohol" lists the soft drinks', () =>
    expect(parseIntent('do you have anything without alcohol')).toEqual({
      kind: 'menu',
      category: 'non-alcoholic',
    }));
});
