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
    // "what" with a subject straight after it is no question: what it is comes next.
    "what i'd like",
    'what we want',
    'so what i need',
    // Only the run-up to a request.
    'um so',
    'okay so',
    'well',
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
    // A question that asked its object first ends on its verb.
    'which wine would you take',
    "what's the strongest drink you have",
    'what can i get',
    'um what do you have',
    // Asking for a moment is answered at once ("take your time").
    "i'm not sure yet give me a minute",
    'give me a second',
    "i'd like the one you see",
    'yes',
    'okay',
    'right',
    'i think so',
    'no tip',
    '',
  ])('ends a complete request at once: %s', (text) => expect(soundsUnfinished(text)).toBe(false));
});
