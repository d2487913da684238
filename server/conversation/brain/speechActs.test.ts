import { describe, expect, it } from 'vitest';
import { understand } from './intents.ts';

describe('speech acts', () => {
  it.each([
    ['a margarita please', 'directive'],
    ['can I get two beers', 'directive'],
    ['pour me a whiskey', 'directive'],
    ['my friend wants a mojito', 'directive'],
    ["I'll have a negroni", 'commissive'],
    ["I'll pay by card", 'commissive'],
    ['I love margaritas', 'assertive'],
    ['I had a long day', 'assertive'],
    ['you make a mean mojito', 'assertive'],
    ['thanks', 'expressive'],
    ['good evening', 'expressive'],
  ] as const)('"%s" is %s', (text, act) => {
    expect(understand(text).act).toBe(act);
  });

  it('the act decides whether naming a drink orders it', () => {
    expect(understand('a margarita').intent.kind).toBe('order');
    expect(understand('I love margaritas').intent.kind).toBe('drink_talk');
    expect(understand('you make a mean margarita').intent.kind).toBe('praise');
  });
});
