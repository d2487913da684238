/**
 * Issue 15 in conversations: swaps as one step, names a little off, compound names, counts that must
 * never be charged, and questions answered for what they ask — through the real processor, brain,
 * tools and state manager.
 */
import { describe, expect, it } from 'vitest';
import { conversation } from '../testing/scenario.ts';

describe('swaps and corrections', () => {
  it('"make it a gin instead" replaces the drink just ordered in one state change', async () => {
    const { turns } = await conversation()
      .guest('vodka on the rocks please')
      .expectTab(700)
      .guest('actually make it a gin instead')
      .expectTab(800)
      .expectBalance(99200)
      .expectMentions('Gin', 'Vodka')
      .expectEmotion('mixing')
      .expectTools('swap_in_order')
      .expectOrder([{ item: 'Gin', quantity: 1, modifiers: ['on the rocks'] }])
      .run();
    // One commit for the swap: the version moves by exactly one (order, then swap, then the turn's own update).
    expect(turns[1]!.state.version - turns[0]!.state.version).toBe(2);
  });

  it('a fragment that only says how to serve ("stirred", "and dirty please") is about the drink just ordered; the price stays', async () => {
    for (const [order, fragment, modifier, cents] of [
      ['two martinis', 'stirred', 'stirred', 2600],
      ['a martini', 'and dirty please', 'dirty', 1300],
      ['could I have a whiskey', 'on the rocks', 'on the rocks', 800],
      ['a gin', 'with a chaser, thanks', 'with a chaser', 800],
    ] as const) {
      await conversation()
        .guest(order)
        .guest(fragment)
        .expectTab(cents)
        .expectTools('swap_in_order')
        .expect((t) => expect(t.state.order.at(-1)?.modifiers).toEqual([modifier]))
        .run();
    }
    // Words around it that are not about serving make it something else.
    await conversation().guest('a martini').guest('stirred my coffee').expectTools().run();
  });

  it('names both drinks: change the rum to a brandy, an IPA instead of the tap beer, not the red, the white', async () => {
    await conversation()
      .guest('one rum neat and a tap beer')
      .expectTab(1200)
      .guest('change the rum to a brandy')
      .expectTab(1400)
      .expectOrder([
        { item: 'Tap Beer', quantity: 1 },
        { item: 'Brandy', quantity: 1, modifiers: ['neat'] },
      ])
      .guest('an IPA instead of the tap beer')
      .expectTab(1500)
      .expectMentions('IPA')
      .guest('a red wine')
      .expectTab(2400)
      .guest('not the red wine, the white wine')
      .expectTab(2400)
      .expectMentions('White Wine')
      .expect((t) =>
        expect(t.state.order.map((l) => l.item)).toEqual(['Brandy', 'IPA', 'White Wine']),
      )
      .run();
  });

  it('"sorry, I meant the IPA" and "swap that for a mojito" correct the last order; counts carry over', async () => {
    await conversation()
      .guest('two tap beers')
      .expectTab(1000)
      .guest('sorry, I meant the IPA')
      .expectTab(1200)
      .expectOrder([{ item: 'IPA', quantity: 2 }])
      .guest('a margarita please')
      .expectTab(2300)
      .guest('no wait, swap that for a mojito')
      .expectTab(2300)
      .expectMentions('Mojito')
      .expectOrder([
        { item: 'IPA', quantity: 2 },
        { item: 'Mojito', quantity: 1 },
      ])
      .guest('sorry, I meant two mojitos')
      .expectTab(3400)
      .expectOrder([
        { item: 'IPA', quantity: 2 },
        { item: 'Mojito', quantity: 2 },
      ])
      .run();
  });

  it('a swap the balance cannot cover changes nothing', async () => {
    await conversation()
      .guest('twenty martinis')
      .expectTab(26000)
      .guest('twenty martinis')
      .expectTab(52000)
      .guest('twenty martinis')
      .expectTab(78000)
      .guest('ten martinis')
      .expectTab(91000)
      .guest('a water')
      .expectTab(91100)
      .expectBalance(8900)
      .guest('make it ten martinis instead')
      .expectTab(91100)
      .expectBalance(8900)
      .expectMentions('balance')
      .run();
  });

  it('with nothing on the tab, a swap is just an order', async () => {
    await conversation()
      .guest('make it a gin instead')
      .expectTab(800)
      .expectOrder([{ item: 'Gin', quantity: 1 }])
      .run();
  });
});

describe('names a little off, and compound names', () => {
  it('reads misspellings and hurried plurals as the nearest drink, and repeats the menu name back', async () => {
    await conversation()
      .guest('one negronni please')
      .expectTab(1100)
      .expectMentions('Negroni')
      .guest('two mohitoes')
      .expectTab(3300)
      .expectMentions('two Mojitos')
      .guest('lemme get a manhatan, thanks')
      .expectTab(4500)
      .expectMentions('Manhattan')
      .guest('a cosmopolitin')
      .expectTab(5700)
      .expectMentions('Cosmopolitan')
      .guest('a whsikey neat')
      .expectTab(6500)
      .expectOrder([
        { item: 'Negroni', quantity: 1 },
        { item: 'Mojito', quantity: 2 },
        { item: 'Manhattan', quantity: 1 },
        { item: 'Cosmopolitan', quantity: 1 },
        { item: 'Whiskey', quantity: 1, modifiers: ['neat'] },
      ])
      .run();
  });

  it('never "corrects" ordinary words that sit near a drink name', async () => {
    await conversation()
      .guest('tell me some jokes')
      .expectTab(0)
      .guest('see you later')
      .expectTab(0)
      .run();
  });

  it('longest menu name wins: a gin martini is a Martini, a long island iced tea a Long Island', async () => {
    await conversation()
      .guest('a gin martini, stirred')
      .expectTab(1300)
      .expectOrder([{ item: 'Martini', quantity: 1, modifiers: ['stirred'] }])
      .guest('a vodka martini')
      .expectTab(2600)
      .guest('long island iced tea for me please')
      .expectTab(3800)
      .expectMentions('Long Island')
      .run();
  });

  it('keeps the accents a guest typed when a drink is not on the menu, and the on-menu part of the order', async () => {
    await conversation()
      .guest('a piña colada and a daiquiri please')
      .expectTab(1000)
      .expectMentions('Daiquiri', 'piña colada')
      .expectNotMentions('pi a')
      .run();
  });
});

describe('who it is for', () => {
  it('says back who each drink is for', async () => {
    await conversation()
      .guest('a whiskey sour for me')
      .expectTab(1100)
      .guest('and an iced tea for my little brother')
      .expectTab(1300)
      .expectMentions('Iced Tea for your little brother')
      .guest('a manhattan for me and a martini for her')
      .expectTab(3800)
      .expectMentions('Martini for her')
      .run();
  });
});

describe('counts', () => {
  it('reads 3x and x2 as counts', async () => {
    await conversation()
      .guest('3x mojito')
      .expectTab(3300)
      .guest('old fashioned x2')
      .expectTab(5700)
      .expectOrder([
        { item: 'Mojito', quantity: 3 },
        { item: 'Old Fashioned', quantity: 2 },
      ])
      .guest('a couple of IPAs')
      .expectTab(6900)
      .guest('a round of margaritas for the four of us')
      .expectTab(11300)
      .run();
  });

  it('never charges a negative, zero or over-limit count — not even the rest of the order', async () => {
    await conversation()
      .guest('-3 beers')
      .expectTab(0)
      .expectBalance(100000)
      .expectTools()
      .guest('give me -2 mojitos')
      .expectTab(0)
      .guest('0 margaritas please')
      .expectTab(0)
      .guest('zero negronis thanks')
      .expectTab(0)
      .guest('a beer and 50 whiskeys')
      .expectTab(0)
      .expectTools()
      .expectMentions('20')
      .run();
  });
});

describe('answering the question asked', () => {
  it('prices one and several drinks, charging nothing, and a yes then orders them', async () => {
    await conversation()
      .guest('how much are two mojitos?')
      .expectTab(0)
      .expectMentions('$22.00')
      .expectNotMentions('we do')
      .guest('how much for 3 IPAs and a lemonade')
      .expectTab(0)
      .expectMentions('$18.00', '$2.00', '$20.00')
      .guest('yes please')
      .expectTab(2000)
      .run();
  });

  it('says how two drinks differ, naming both', async () => {
    await conversation()
      .guest("what's the difference between a manhattan and an old fashioned?")
      .expectTab(0)
      .expectMentions('Manhattan', 'Old Fashioned', 'vermouth', 'sugar')
      .run();
  });

  it("says what's in the drink just ordered", async () => {
    await conversation()
      .guest('a negroni please')
      .expectTab(1100)
      .guest("what's in that?")
      .expectTab(1100)
      .expectMentions('Negroni', 'Campari')
      .run();
  });

  it('says a friendly no to "on the house", and meets a guest who overdid it with water, not a recipe', async () => {
    await conversation()
      .guest('drinks are on the house tonight, right?')
      .expectTab(0)
      .expectEmotion('happy')
      .expectMentions('tab')
      .guest('ugh I had way too many margaritas last night')
      .expectTab(0)
      .expectMentions('Water')
      .expectNotMentions('lime', 'tequila', 'triple sec')
      .guest('yes')
      .expectTab(100)
      .expectOrder([{ item: 'Water', quantity: 1 }])
      .run();
  });
});
