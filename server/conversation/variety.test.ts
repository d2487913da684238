/**
 * Reply variety over a 200-turn scripted evening (issue 15 "a persona that varies"): the most common
 * reply ending — its last three words, amounts and counts blanked — is at most 10 % of the replies,
 * and no reply is the same as the one before it. Prints the figure for the closing note.
 */
import { describe, expect, it } from 'vitest';
import { conversation } from '../testing/scenario.ts';

const DRINKS = [
  'a margarita',
  'two IPAs',
  'a negroni',
  'a glass of red wine',
  'a mojito',
  'an old fashioned',
  'a lemonade',
  'a whiskey sour',
  'a cosmo',
  'a tap beer',
];
const OTHER = [
  "how's your night going?",
  'tell me a joke',
  'what do you recommend',
  'how much is a martini',
  'thanks!',
  'another one',
  "what's my total",
  'add a 15% tip',
  "what's the difference between a gin and a vodka?",
  "what's in that?",
  'make it a double',
  'how is a mojito different from a daiquiri?',
  'which is stronger, a negroni or a martini?',
  'how much are two IPAs?',
  'you make a mean drink',
  'what beers do you have',
  'remove one',
  'no tip',
  'sorry, I meant a daiquiri',
  'where are you from?',
  'do you have mojitos?',
  'cheers',
  'what do I owe',
  'something fruity please',
  'the weather is awful',
  'same again',
  'hello again',
];

/** A guest's evening: roughly two orders for every three other turns, in a fixed pseudo-random order. */
function evening(turns: number): string[] {
  const out: string[] = [];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < turns; i++)
    out.push(next() % 5 < 2 ? DRINKS[next() % DRINKS.length]! : OTHER[next() % OTHER.length]!);
  return out;
}

export function endingOf(reply: string): string {
  const words = reply
    .toLowerCase()
    .replace(/\$[\d,]+\.\d\d/g, '$')
    .replace(/\d+%?/g, '#')
    .replace(/[^a-z$#' ]+/g, ' ')
    .split(' ')
    .filter(Boolean);
  return words.slice(-3).join(' ');
}

describe('reply variety over an evening', () => {
  it('keeps the most common reply ending at or under 10 % of 200 replies, and never repeats the last reply', async () => {
    const script = evening(200);
    const c = conversation();
    for (const line of script) c.guest(line);
    const { turns } = await c.run();
    const counts = new Map<string, number>();
    for (const t of turns) counts.set(endingOf(t.text), (counts.get(endingOf(t.text)) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const [topEnding, topCount] = ranked[0]!;
    console.info(
      `reply variety: ${turns.length} replies, ${counts.size} distinct endings; most common "${topEnding}" ${topCount} (${((100 * topCount) / turns.length).toFixed(1)} %); next: ${ranked
        .slice(1, 4)
        .map(([e, n]) => `"${e}" ${n}`)
        .join(', ')}`,
    );
    expect(topCount / turns.length).toBeLessThanOrEqual(0.1);
    for (let i = 1; i < turns.length; i++)
      expect(turns[i]!.text, `turn ${i + 1}`).not.toBe(turns[i - 1]!.text);
  });
});
