import { describe, expect, it } from 'vitest';
import { soundsUnfinished } from './endOfTurn.ts';

describe('end of turn by meaning', () => {
  it.each([
    "i'd like a",
    'can i get',
    'a mojito and',
    'two beers and a',
    'um',
    "i'll have two",
    'could i get a glass of',
    'a round of',
    'a whiskey on',
    // The guest is thinking aloud: more is coming.
    'um let me think',
    'okay so let me see',
    "i'm still deciding",
  ])('waits after an unfinished request: %s', (text) => expect(soundsUnfinished(text)).toBe(true));

  it.each([
    'two beers please',
    "i'd like a margarita",
    'make it two',
    'make that three',
    'cancel that',
    'a whiskey on the rocks',
    "yeah i'll get a pint",
    'another round',
    'what do you recommend',
    'what do you think',
    // Asking for a moment is answered at once ("take your time").
    "i'm not sure yet give me a minute",
    'give me a second',
    "i'd like the one you see",
    'yes',
    'no tip',
    '',
  ])('ends a complete request at once: %s', (text) => expect(soundsUnfinished(text)).toBe(false));
});
