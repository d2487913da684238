/**
 * Maya's voice: the phrasebook (data/phrasebook.json) rendered into short spoken replies. Every
 * situation has several variants; a session remembers the variant it last used for each phrase, and
 * the next reply of that kind picks another one, so Maya never says the same line twice in a row.
 * Counts are words up to twenty, money is always "$12.00", and each sentence starts with a capital
 * while a message placed mid-sentence does not ("Sorry — that's $26.00…", never "Sorry — That's").
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { OrderLine } from '../../shared/domain.ts';

/** Where the phrasebook lives; a deployment may point MAYA_PHRASEBOOK at its own file. */
export const DEFAULT_PHRASEBOOK_URL = new URL(
  '../conversation/data/phrasebook.json',
  import.meta.url,
);

const PhrasebookSchema = z.object({
  persona: z.object({ name: z.string(), style: z.string() }),
  phrases: z.record(z.string(), z.array(z.string()).min(1)),
});
export type Phrasebook = z.infer<typeof PhrasebookSchema>;

export function loadPhrasebook(
  path: string | URL = process.env.MAYA_PHRASEBOOK ?? DEFAULT_PHRASEBOOK_URL,
): Phrasebook {
  return PhrasebookSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

const NUMBER_NAMES = [
  'zero',
  'One',
  'Two',
  'Three',
  'Four',
  'Five',
  'Six',
  'Seven',
  'Eight',
  'Nine',
  'Ten',
  'Eleven',
  'Twelve',
  'Thirteen',
  'Fourteen',
  'Fifteen',
  'Sixteen',
  'Seventeen',
  'Eighteen',
  'Nineteen',
  'Twenty',
];

export function countWord(n: number): string {
  return NUMBER_NAMES[n] ?? String(n);
}

export function pluralName(name: string): string {
  if (name.endsWith('s')) return name;
  if (/[^aeiou]y$/.test(name)) return name.slice(0, -1) + 'ies';
  return `${name}s`;
}

/** "One Margarita", "Two Tap Beers (double)", "one Gin (neat) and two Sodas". Sentence-initial case. */
export function describeLines(
  lines: readonly Pick<OrderLine, 'item' | 'quantity' | 'modifiers'>[],
  /** "One more Tap Beer": drinks added to the same drink already poured. */
  more = false,
): string {
  const parts = lines.map((l) => {
    const name = l.quantity > 1 ? pluralName(l.item) : l.item;
    const mods = l.modifiers.length ? ` (${l.modifiers.join(', ')})` : '';
    return `${countWord(l.quantity)}${more ? ' more' : ''} ${name}${mods}`;
  });
  if (parts.length <= 1) return parts.join('');
  const lower = parts.map((p, i) => (i === 0 ? p : lowerFirst(p)));
  return `${lower.slice(0, -1).join(', ')} and ${lower.at(-1)}`;
}

export const lowerFirst = (s: string) =>
  /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
export const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}

/** Words that start a message placed after a dash or colon; mid-sentence they are lower case. */
const MID_SENTENCE_CAPITALS =
  /(— |: )(That|That's|There|There's|Your|You|We|It|It's|This|The|Quantity|Tips|Payments|Nothing|Sorry)\b/g;

/** Capital letters where sentences start, none where a message was dropped mid-sentence, single spaces. */
export function tidy(text: string): string {
  return upperFirst(
    text
      .replace(
        MID_SENTENCE_CAPITALS,
        (_, lead: string, word: string) => lead + word.charAt(0).toLowerCase() + word.slice(1),
      )
      .replace(/([.!?]) +([a-z])/g, (_, end: string, ch: string) => `${end} ${ch.toUpperCase()}`)
      .replace(/\s{2,}/g, ' ')
      .replace(/\s+([.,!?])/g, '$1')
      .trim(),
  );
}

/** Which variant of each phrase a session said last: phrase key → variant index. */
export type RecentPhrases = Readonly<Record<string, number>>;

/**
 * Renders phrases for one turn. `seed` varies with the turn; `recent` is the session's memory of the
 * last variant per phrase, and `picked` what this turn chose (the processor stores it).
 */
export class Voice {
  readonly picked: Record<string, number> = {};

  constructor(
    private readonly book: Phrasebook,
    private readonly seed: number,
    private readonly recent: RecentPhrases = {},
  ) {}

  /**
   * Variant `index` (or one chosen by the seed, never the one this session used last for `key`),
   * with {placeholders} filled in. {Name} capitalises the value.
   */
  say(key: string, vars: Readonly<Record<string, string | number>> = {}, index?: number): string {
    return tidy(this.fragment(key, vars, index));
  }

  /** Like say(), for a piece that goes inside another phrase: no sentence capital forced. */
  fragment(
    key: string,
    vars: Readonly<Record<string, string | number>> = {},
    index?: number,
  ): string {
    const variants = this.book.phrases[key];
    if (!variants) throw new Error(`phrasebook has no "${key}"`);
    const choice = index ?? this.choose(key, variants.length);
    this.picked[key] = choice;
    const template = variants[choice % variants.length]!;
    return template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const direct = vars[name];
      if (direct !== undefined) return String(direct);
      const lower = vars[name.charAt(0).toLowerCase() + name.slice(1)];
      if (lower !== undefined) return upperFirst(String(lower));
      return '';
    });
  }

  private choose(key: string, count: number): number {
    const last = this.picked[key] ?? this.recent[key];
    const start = (this.seed + hash(key)) % count;
    if (count < 2 || last === undefined) return start;
    return start === last ? (start + 1) % count : start;
  }

  has(key: string): boolean {
    return key in this.book.phrases;
  }
}
