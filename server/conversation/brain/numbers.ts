/** Quantities as guests say them: digits, words ("twenty one"), "a couple of", "a dozen". */

const UNITS: Readonly<Record<string, number>> = {
  zero: 0,
  a: 1,
  an: 1,
  one: 1,
  single: 1,
  another: 1,
  two: 2,
  both: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  dozen: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Readonly<Record<string, number>> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

/** Words that may sit between a number and a drink: "two glasses of", "three more", "a couple of". */
export const QUANTITY_FILLERS = new Set([
  'of',
  'more',
  'glass',
  'glasses',
  'pint',
  'pints',
  'bottle',
  'bottles',
  'shot',
  'shots',
  'round',
  'rounds',
  'cold',
  'large',
  'big',
  'small',
  'nice',
  'fresh',
  'couple',
  'pair',
  'cup',
  'cups',
  'can',
  'cans',
  'order',
  'orders',
  'double',
  'doubles',
  'dirty',
  'dry',
  'perfect',
  'neat',
  'classic',
  'good',
  'house',
  'extra',
  'your',
  'the',
  'those',
  'these',
  'some',
  'other',
]);

/**
 * The number that the tokens end with, reading backwards: ["make", "it", "twenty", "one"] → 21.
 * Returns the value and how many tokens it used, or undefined.
 */
export function numberBefore(
  tokens: readonly string[],
): { value: number; used: number } | undefined {
  const last = tokens.at(-1);
  if (last === undefined) return undefined;
  if (/^\d+$/.test(last)) return { value: Number(last), used: 1 };
  const prev = tokens.at(-2);
  if (last === 'dozen' && prev === 'half') return { value: 6, used: 2 };
  if (last === 'dozen' && prev === 'a' && tokens.at(-3) === 'half') return { value: 6, used: 3 };
  // "two dozen": a count of dozens.
  const dozens = prev === undefined ? undefined : /^\d+$/.test(prev) ? Number(prev) : UNITS[prev];
  if (last === 'dozen' && dozens !== undefined && dozens > 1)
    return { value: 12 * dozens, used: 2 };
  if (last === 'couple' || last === 'pair') return { value: 2, used: prev === 'a' ? 2 : 1 };
  if (last === 'few') return { value: 3, used: prev === 'a' ? 2 : 1 };
  const unit = UNITS[last];
  if (unit !== undefined && unit < 10 && prev !== undefined && TENS[prev] !== undefined)
    return { value: TENS[prev]! + unit, used: 2 };
  if (unit !== undefined) return { value: unit, used: 1 };
  const tens = TENS[last];
  if (tens !== undefined) return { value: tens, used: 1 };
  const scale =
    last === 'hundred'
      ? 100
      : last === 'thousand'
        ? 1000
        : last === 'million'
          ? 1_000_000
          : undefined;
  if (scale !== undefined)
    return {
      value: scale * (prev && UNITS[prev] ? UNITS[prev]! : 1),
      used: prev && UNITS[prev] ? 2 : 1,
    };
  return undefined;
}

/** A whole phrase that is a number: "two", "21", "twenty one", "a couple". */
export function parseNumber(phrase: string): number | undefined {
  const tokens = phrase.trim().split(' ').filter(Boolean);
  const n = numberBefore(tokens);
  return n && n.used === tokens.length ? n.value : undefined;
}

/** Matches a number word or digits inside a regex (for "make that N", "tip N"). */
export const NUMBER_PATTERN = `(\\d+|(?:(?:twenty|thirty|forty|fifty) )?(?:one|two|three|four|five|six|seven|eight|nine)|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|a couple|a dozen|half a dozen)`;
