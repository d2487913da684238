/**
 * How to serve a drink, said after it past an "and" or a comma ("a gin and a rocks", "a whiskey and
 * neat please"): it is that drink's, as it would be without the "and". A serving before the next
 * drink is the next drink's ("a whiskey and a double gin").
 */
import { describe, expect, it } from 'vitest';
import { parseIntent } from './intents.ts';

const lines = (s: string) => {
  const intent = parseIntent(s);
  return intent.kind === 'order'
    ? intent.items.map(
        (i) => `${i.quantity} ${i.item}${i.modifiers.length ? ` (${i.modifiers.join(', ')})` : ''}`,
      )
    : intent.kind;
};

describe('a serving said after its drink, past an "and"', () => {
  it.each([
    ['a gin and a rocks', ['1 Gin (on the rocks)']],
    ['a whiskey and neat please', ['1 Whiskey (neat)']],
    ['a vodka and make it a double', ['1 Vodka (double)']],
    ['two rums, and on the rocks thanks', ['2 Rum (on the rocks)']],
    ['a gin and a rocks and a beer', ['1 Gin (on the rocks)', '1 Tap Beer']],
    ['a whiskey, neat, and a beer', ['1 Whiskey (neat)', '1 Tap Beer']],
  ])('"%s" serves it so', (said, expected) => expect(lines(said)).toEqual(expected));

  it.each([
    ['a whiskey and a double gin', ['1 Whiskey', '1 Gin (double)']],
    ['a whiskey and a gin on the rocks', ['1 Whiskey', '1 Gin (on the rocks)']],
    ['two beers and a mojito', ['2 Tap Beer', '1 Mojito']],
    ['a whiskey and a cheeky wink', ['1 Whiskey']],
  ])('"%s" leaves the serving with the drink it goes with', (said, expected) =>
    expect(lines(said)).toEqual(expected),
  );
});

describe('a serving said before a drink belongs to it only inside its phrase', () => {
  it.each([
    // Heard for "could i please have a brandy on the rocks": "dry" is not in the brandy's phrase.
    ['a dry please for the brandy on the rocks', ['1 Brandy (on the rocks)']],
    ['i like it dry so a gin please', ['1 Gin']],
    // A serving after one drink is not the next one's too.
    [
      'two long islands on the rocks four more whisky sours',
      ['2 Long Island (on the rocks)', '4 Whiskey Sour'],
    ],
    ['a lemonade dirty with six more coca colas', ['1 Lemonade (dirty)', '6 Soda']],
  ])('"%s" is %j', (said, expected) => expect(lines(said)).toEqual(expected));

  it.each([
    ['a double large whiskey', ['1 Whiskey (double)']],
    ['could i get a dry martini', ['1 Martini (dry)']],
    ['two doubles of whiskey', ['2 Whiskey (double)']],
    ['a double uh whiskey', ['1 Whiskey (double)']],
    ['on the rocks a whiskey', ['1 Whiskey (on the rocks)']],
  ])('"%s" keeps it: %j', (said, expected) => expect(lines(said)).toEqual(expected));
});

describe('a drink word after a serving is read as a drink', () => {
  it.each([
    ['six perfect scotches four margaritas', ['6 Whiskey (perfect)', '4 Margarita']],
    ['a sparkling water plus four dry scotches thank you', ['1 Water', '4 Whiskey (dry)']],
    ['a dirty martiny', ['1 Martini (dirty)']],
    // "large" is a size, never a near "lager".
    ['a large whiskey', ['1 Whiskey']],
  ])('"%s" is %j', (said, expected) => expect(lines(said)).toEqual(expected));
});
