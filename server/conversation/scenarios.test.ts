import { describe, expect, it } from 'vitest';
import { conversation } from '../testing/scenario.ts';
import type { ProcessorDeps } from './processor.ts';
import { runTool } from './tools.ts';

/** The registry plus the payment tools another branch adds, stubbed with their agreed result shapes. */
const withPayments: NonNullable<ProcessorDeps['runTool']> = async (ctx, name, args) => {
  if (name === 'create_payment') {
    const s = await ctx.manager.get(ctx.sessionId);
    return {
      ok: true,
      result: {
        checkoutUrl: 'http://127.0.0.1/pay/x',
        totalCents: s.payment.tabCents + s.payment.tipCents,
      },
    };
  }
  if (name === 'check_payment_status') return { ok: true, result: { status: 'processing' } };
  if (name === 'cancel_payment') return { ok: true, result: {} };
  return runTool(ctx, name, args);
};

describe('ordering the way people say it', () => {
  it('keeps the fixed reply for a first order and moves to small talk', async () => {
    await conversation()
      .guest('a margarita please')
      .expectReply("One Margarita, that's $11.00 — coming right up.")
      .expectTab(1100)
      .expectEmotion('mixing')
      .expectPhase('small_talk')
      .run();
  });

  it('takes several drinks in one sentence, with numbers as words and digits', async () => {
    await conversation()
      .guest('a margarita and two beers for my friends')
      .expectTab(2100)
      .expectMentions('Margarita', 'two Tap Beers', '$21.00')
      .guest('and 3 IPAs')
      .expectTab(3900)
      .expectMentions('three IPAs', '$18.00', '$39.00')
      .run();
  });

  it('understands modifiers, aliases and the priced double', async () => {
    await conversation()
      .guest('a dirty martini and a whiskey on the rocks')
      .expectOrder([
        { item: 'Martini', quantity: 1, modifiers: ['dirty'] },
        { item: 'Whiskey', quantity: 1, modifiers: ['on the rocks'] },
      ])
      .guest('a double whiskey')
      .expectTab(1300 + 800 + 1200)
      .expectMentions('double')
      .guest('a cosmo and a coke')
      .expectMentions('Cosmopolitan', 'Soda')
      .guest('one long island iced tea')
      .expectMentions('Long Island')
      .run();
  });

  it('handles corrections: make that two, another one, same again, cancel that, remove one', async () => {
    await conversation()
      .guest('a margarita')
      .expectTab(1100)
      .guest('make that two')
      .expectTab(2200)
      .expectMentions('two margaritas', '$22.00')
      .expectEmotion('mixing')
      .guest('actually make it three')
      .expectTab(3300)
      .guest('actually, cancel that')
      .expectTab(0)
      .expectBalance(100000)
      .expectMentions('refunded $33.00')
      .guest('two beers')
      .expectTab(1000)
      .guest('another one')
      .expectTab(1500)
      .expectMentions('Tap Beer')
      .guest('same again')
      .expectTab(2000)
      .guest('a margarita')
      .expectTab(3100)
      .guest('remove one margarita')
      .expectTab(2000)
      .expectMentions('refunded $11.00', '$20.00')
      .guest('make it a double')
      .expect((t) => expect(t.state.order.some((l) => l.modifiers.includes('double'))).toBe(true))
      .run();
  });

  it('pours no double of a soft drink: "make the lemonade a double" changes and charges nothing, and says so', async () => {
    await conversation()
      .guest('two negronis and a lemonade')
      .expectTab(2400)
      .guest('make the lemonade a double')
      .expectTab(2400)
      .expectMentions(/Lemonade doesn't come as a double|No doubles on a Lemonade/)
      .expect((t) =>
        expect(t.state.order.find((l) => l.item === 'Lemonade')).toMatchObject({
          quantity: 1,
          modifiers: [],
          lineCents: 200,
        }),
      )
      .guest('a water please')
      .guest('make it a double')
      .expectTab(2500)
      .expect((t) => expect(t.state.order.find((l) => l.item === 'Water')?.modifiers).toEqual([]))
      .run();
  });

  it('serves a named drink on the tab differently instead of pouring another ("make the whiskey a double")', async () => {
    await conversation()
      .guest('a whiskey on the rocks and two beers')
      .expectTab(1800)
      .guest('make the whiskey a double')
      .expectTab(2200)
      .expect((t) => {
        const whiskeys = t.state.order.filter((l) => l.item === 'Whiskey');
        expect(whiskeys).toHaveLength(1);
        expect(whiskeys[0]!.modifiers).toEqual(expect.arrayContaining(['double', 'on the rocks']));
      })
      .run();
    // Nothing of that name on the tab: the drink, served that way, is what the guest wants.
    await conversation()
      .guest('make the martini dirty')
      .expect((t) =>
        expect(t.state.order).toEqual([
          expect.objectContaining({ item: 'Martini', quantity: 1, modifiers: ['dirty'] }),
        ]),
      )
      .run();
  });

  it('asks which one when a correction is ambiguous', async () => {
    await conversation()
      .guest('a margarita and a beer')
      .expectTab(1600)
      .guest('another one')
      .expectTab(1600)
      .expectMentions('Margarita', 'Tap Beer')
      .expectMentions(/\?$/)
      .guest('cancel everything')
      .expectTab(0)
      .expectMentions('refunded $16.00')
      .run();
  });

  it('suggests the closest drinks for an unknown one and asks one question when unclear', async () => {
    await conversation()
      .guest("I'd like a mezcalita")
      .expectTab(0)
      .expectMentions('Margarita')
      .expectEmotion('thinking')
      .guest('can I get a pina colada')
      .expectTab(0)
      .expectMentions('pina colada')
      .guest('a margarita and a pina colada')
      .expectTab(1100)
      .expectMentions('Margarita', 'pina colada')
      .guest('cancel that')
      .expectTab(0)
      .guest('a glass of wine')
      .expectTab(0)
      .expectMentions('red or white')
      .guest('red')
      .expectTab(900)
      .expectMentions('Red Wine')
      .run();
  });

  it('refuses quantities out of range and too little money, charging nothing', async () => {
    await conversation()
      .guest('thirty beers')
      .expectTab(0)
      .expectMentions('20')
      .guest('twenty martinis')
      .expectTab(26000)
      .guest('twenty martinis')
      .expectTab(52000)
      .guest('twenty martinis')
      .expectTab(78000)
      .guest('twenty martinis')
      .expectTab(78000)
      .expectMentions('balance')
      .run();
  });
});

describe('tips, bill and paying', () => {
  it('sets tips said in words and removes them', async () => {
    await conversation()
      .guest('twenty percent tip')
      .expectTip(null, 0)
      .expectMentions(/no tab|nothing on your tab/i)
      .guest('two negronis')
      .expectTab(2200)
      .guest('fifteen percent')
      .expectTip(15, 330)
      .expectMentions('$25.30')
      .expectEmotion('happy')
      .guest('make the tip 20')
      .expectTip(20, 440)
      .guest('a 12 percent tip')
      .expectTip(20, 440)
      .expectMentions('10, 15 or 20')
      .guest('no tip')
      .expectTip(null, 0)
      .expectMentions('$22.00')
      .run();
  });

  it('reads the bill without paying, and "pay my bill" pays', async () => {
    await conversation({ runTool: withPayments })
      .guest('a martini')
      .expectTab(1300)
      .guest('how much do I owe')
      .expectTools('get_bill')
      .expectMentions('$13.00')
      .guest("what's my total")
      .expectTools('get_bill')
      .guest('check please')
      .expectTools('get_bill')
      .guest('pay my bill')
      .expectTools('create_payment')
      .expectMentions('$13.00', 'wait')
      .expectEmotion('thinking')
      .guest('did my payment go through')
      .expectTools('check_payment_status')
      .expectEmotion('thinking')
      .guest('never mind paying')
      .expectTools('cancel_payment')
      .expectMentions('cancelled')
      .guest("I'd like to pay")
      .expectTools('create_payment')
      .guest('can I pay now')
      .expectTools('create_payment')
      .guest('card please')
      .expectTools('create_payment')
      .run();
  });

  it('speaks a failed payment tool result instead of failing', async () => {
    await conversation()
      .guest('a martini')
      .guest("I'd like to pay")
      .expectTools('create_payment')
      .expectMentions(/payments are not available/i)
      .expectTab(1300)
      .guest('cancel the payment')
      .expectTools('cancel_payment')
      .expectTab(1300)
      .guest('did my payment go through')
      .expectTools('check_payment_status')
      .run();
  });
});

describe('confirming low-confidence voice orders', () => {
  it('a request in words no pattern knows is read back, even heard with confidence; a remark is not', async () => {
    await conversation()
      // "yeah I'll get a pint" as eSpeak's voice was heard (bench:ears tune split).
      .guest('yes i get a pint', { source: 'voice', confidence: 0.95 })
      .expectReply('Just to check — one Tap Beer?')
      .expectTab(0)
      .expectPending('confirm_order')
      .guest('yes', { source: 'voice', confidence: 0.9 })
      .expectTab(500)
      .guest('on get a whisky on the rocks')
      .expectMentions('Just to check — one Whiskey (on the rocks)?')
      .guest('no')
      .expectTab(500)
      .guest('my wife usually drinks white wine', { source: 'voice', confidence: 0.95 })
      // Not read back: the wine is only talked about (words that take it would order it, a yes not).
      .expectPending('offer')
      .expectTab(500)
      .guest('yes', { source: 'voice', confidence: 0.95 })
      .expectTab(500)
      .run();
  });

  it("after a no to a doubted read-back, the recogniser's other reading is offered once", async () => {
    // "could I get a whiskey on the rocks" in Flite rms: "get a" heard "get two" (bench:ears tune split).
    const heard = { source: 'voice', confidence: 0.55 } as const;
    await conversation()
      .guest('could i get two whiskeys on the rocks', {
        ...heard,
        alternatives: ['could i get a whiskeys on the rocks'],
      })
      .expectReply('Just to check — two Whiskeys (on the rocks)?')
      .guest('no', heard)
      .expectMentions(/— one Whiskey \(on the rocks\), then\?$/)
      .expectTab(0)
      .expectPending('confirm_order')
      .guest('yes', heard)
      .expectTab(800)
      .expectPending(null)
      // Offered once: a no to the other reading charges nothing and asks what they would like.
      .guest('can i get two pints', { ...heard, alternatives: ['can i get a pints'] })
      .expectReply('Just to check — two Tap Beers?')
      .guest('no', heard)
      .expectMentions(/one Tap Beer, then\?$/)
      .guest('no', heard)
      .expectMentions(/nothing added|won't pour that/)
      .expectPending(null)
      .expectTab(800)
      // A reading that orders the same drinks is no other reading: a no is a no.
      .guest('can i get a negroni', { ...heard, alternatives: ['can i get a negroni please'] })
      .expectReply('Just to check — one Negroni?')
      .guest('no', heard)
      .expectMentions(/nothing added|won't pour that/)
      .expectTab(800)
      .run();
  });

  it('a guest who asks for a moment gets it: no small talk, and a read-back stays open', async () => {
    await conversation()
      .guest('um, let me think')
      .expectMentions(/take your time|No rush|just say when/i)
      .expectTab(0)
      .expectTools()
      .guest('a martini', { source: 'voice', confidence: 0.4 })
      .expectReply('Just to check — one Martini?')
      .guest("hang on, I'm not sure yet", { source: 'voice', confidence: 0.9 })
      .expectMentions(/take your time|No rush|just say when/i)
      .expectTab(0)
      .expectPending('confirm_order')
      .guest('yes', { source: 'voice', confidence: 0.9 })
      .expectTab(1300)
      .expectPending(null)
      .run();
  });

  it('reads a low-confidence voice order back and charges only on yes', async () => {
    await conversation()
      .guest('a martini', { source: 'voice', confidence: 0.4 })
      .expectReply('Just to check — one Martini?')
      .expectTab(0)
      .expectTools()
      .expectPending('confirm_order')
      .guest('sorry?', { source: 'voice', confidence: 0.9 })
      .expectMentions('Just to check — one Martini?')
      .expectPending('confirm_order')
      .guest('yes', { source: 'voice', confidence: 0.9 })
      .expectTab(1300)
      .expectEmotion('mixing')
      .expectPending(null)
      .guest('two beers', { source: 'voice', confidence: 0.3 })
      .expectTab(1300)
      .expectMentions('two Tap Beers')
      .guest('no', { source: 'voice', confidence: 0.9 })
      .expectTab(1300)
      .expectPending(null)
      .expectMentions(/nothing added|won't pour/)
      .guest('a beer', { source: 'voice' })
      .expectTab(1300)
      .expectPending('confirm_order')
      .guest('what do you recommend')
      .expectTab(1300)
      .guest('yes')
      .expectTab(1300 + 1300) // the recommendation's offer, not the dropped confirmation
      .run();
  });

  it('also confirms "same again" and "another one" heard with low confidence', async () => {
    await conversation()
      .guest('two beers')
      .expectTab(1000)
      .guest('same again', { source: 'voice', confidence: 0.5 })
      .expectTab(1000)
      .expectReply('Just to check — two Tap Beers?')
      .guest('yes')
      .expectTab(2000)
      .guest('another one', { source: 'voice', confidence: 0.5 })
      .expectTab(2000)
      .expectMentions('one Tap Beer')
      .guest('cancel that')
      .expectTab(2000)
      .expectPending(null)
      .run();
  });

  it('charges typed and confident voice orders at once', async () => {
    await conversation()
      .guest('a martini')
      .expectTab(1300)
      .guest('a martini', { source: 'voice', confidence: 0.95 })
      .expectTab(2600)
      .guest('a martini', { source: 'text', confidence: 0.1 })
      .expectTab(3900)
      .guest('a martini', { source: 'voice', confidence: 0.1, confirmOrders: false })
      .expectTab(5200)
      .run();
  });

  it('an open-vocabulary (cloud) transcript without a confidence is charged at once, unless the order is implausible', async () => {
    await conversation()
      .guest('two negronis please', { source: 'voice', openVocabulary: true })
      .expectTab(2200)
      .guest('a negroni', { source: 'voice', openVocabulary: true, confidence: 0.3 })
      .expectTab(2200)
      .expectPending('confirm_order')
      .guest('no', { source: 'voice', openVocabulary: true })
      .expectTab(2200)
      .guest('five beers', { source: 'voice', openVocabulary: true })
      .expectTab(2200)
      .expectMentions('five Tap Beers')
      .run();
  });

  it('a caller can ask for every order to be read back, whatever the confidence', async () => {
    await conversation()
      .guest('a martini', { source: 'voice', confidence: 1, confirmOrders: true })
      .expectTab(0)
      .expectReply('Just to check — one Martini?')
      .guest('yes')
      .expectTab(1300)
      .run();
  });
});

describe('small talk and phases', () => {
  it('offers another round after four small-talk turns, never repeating a line, and yes reorders', async () => {
    const { turns } = await conversation()
      .guest('hi')
      .expectPhase('order_taking')
      .expectEmotion('neutral')
      .guest('two beers')
      .expectPhase('small_talk')
      .guest("how's your night going")
      .expectPhase('small_talk')
      .expectMentions('night')
      .guest('tell me a joke')
      .expectPhase('small_talk')
      .guest('where are you from?')
      .expectPhase('small_talk')
      .guest('I had a long day at work')
      .expectPhase('reorder_prompt')
      .expectMentions(/another (round|drink)/i)
      .expectPending('offer')
      .guest('yes please')
      .expectTab(2000)
      .expectPhase('small_talk')
      .run();
    const smallTalk = turns.slice(2, 6).map((t) => t.text);
    expect(new Set(smallTalk).size).toBe(smallTalk.length);
  });

  it('never repeats a small-talk line within a session', async () => {
    const c = conversation();
    for (let i = 0; i < 30; i++)
      c.guest(
        ['tell me a joke', 'what a day', 'nice music', 'tell me something interesting'][i % 4]!,
      );
    const { manager, sessionId } = await c.run();
    const used = (await manager.get(sessionId)).conversation.usedLines;
    expect(used.length).toBe(30);
    expect(new Set(used).size).toBe(30);
  });

  it('answers drink questions without charging, and "yes" to the offer orders', async () => {
    await conversation()
      .guest('do you have mojitos?')
      .expectTab(0)
      .expectMentions('$11.00')
      .expectPending('offer')
      .guest('yes')
      .expectTab(1100)
      .expectMentions('Mojito')
      .guest("what's in a negroni")
      .expectTab(1100)
      .expectMentions('Campari')
      .guest('I love margaritas')
      .expectTab(1100)
      .run();
  });

  it('gives every reply an emotion per DOMAIN.md', async () => {
    await conversation()
      .guest('hello')
      .expectEmotion('neutral')
      .guest('surprise me')
      .expectEmotion('thinking')
      .guest('a mojito')
      .expectEmotion('mixing')
      .guest("you're beautiful")
      .expectEmotion('flustered')
      .guest('you are gorgeous')
      .expectEmotion('flustered')
      .guest('this mojito is delicious')
      .expectEmotion('happy')
      .expectTab(1100)
      .guest('thanks')
      .expectEmotion('happy')
      .guest("you're a stupid bitch")
      .expectEmotion('upset')
      .guest('bye')
      .expectEmotion('happy')
      .run();
  });
});

describe('persona', () => {
  it('speaks in short, varied replies and says what changed in the tab', async () => {
    const script = [
      'hi',
      'a margarita please',
      "what's my total",
      "what's my total",
      'make that two',
      'fifteen percent',
      'tell me a joke',
      'what do you recommend',
      'what do you recommend',
      'a beer',
      'a beer',
      'remove one beer',
      'what beers do you have',
      'thanks',
      'how much do I owe',
      'how much do I owe',
      'no tip',
      "I'd like a pina colada",
      'what do you have',
      'do you have mojitos?',
      'a glass of wine',
      'red',
      'how much is a beer',
      "what's in a negroni",
      'sorry?',
      'cancel everything',
      'bye',
    ];
    const c = conversation();
    for (const s of script) c.guest(s);
    const { turns } = await c.run();
    for (let i = 1; i < turns.length; i++)
      expect(turns[i]!.text, `turn ${i + 1}`).not.toBe(turns[i - 1]!.text);
    for (const [i, t] of turns.entries()) {
      const sentences = t.text.split(/(?<=[.!?])\s+/).filter(Boolean);
      // Two sentences at most; the turn that offers another round may add that question.
      const offered =
        t.state.conversation.phase === 'reorder_prompt' &&
        turns[i - 1]?.state.conversation.phase !== 'reorder_prompt';
      expect(sentences.length, t.text).toBeLessThanOrEqual(offered ? 3 : 2);
      expect(t.text.length, t.text).toBeLessThanOrEqual(180);
    }
    // Every turn that changed the tab names the new amount or what changed.
    for (const t of turns.filter((x) =>
      x.toolCalls.some(
        (c) => ['add_to_order', 'remove_from_order', 'set_tip'].includes(c.name) && c.result.ok,
      ),
    )) {
      expect(t.text, t.text).toMatch(/\$\d/);
    }
  });
});
