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
