/**
 * Maya's voice: the phrasebook (data/phrasebook.json) rendered into short spoken replies, with
 * variants chosen so the same kind of reply does not come out the same way every time.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatCents } from '../../../shared/money.ts';
import type { OrderLine } from '../../../shared/domain.ts';
import type { BillView } from '../tools.ts';

/** Where the phrasebook lives; a deployment may point MAYA_PHRASEBOOK at its own file. */
export const DEFAULT_PHRASEBOOK_URL = new URL('../data/phrasebook.json', import.meta.url);

const PhrasebookSchema = z.object({
  persona: z.object({ name: z.string(), style: z.string() }),
  phrases: z.record(z.string(), z.array(z.string()).min(1)),
});
export type Phrasebook = z.infer<typeof PhrasebookSchema>;

export function loadPhrasebook(path: string | URL = process.env.MAYA_PHRASEBOOK ?? DEFAULT_PHRASEBOOK_URL): Phrasebook {
  return PhrasebookSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

const NUMBER_NAMES = ['zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten', 'Eleven', 'Twelve'];

export function countWord(n: number): string {
  return NUMBER_NAMES[n] ?? String(n);
}

export function pluralName(name: string): string {
  if (name.endsWith('s')) return name;
  if (/[^aeiou]y$/.test(name)) return name.slice(0, -1) + 'ies';
  return `${name}s`;
}

/** "One Margarita", "Two Tap Beers (double)", "one Gin (neat) and two Sodas". Sentence-initial case. */
export function describeLines(lines: readonly Pick<OrderLine, 'item' | 'quantity' | 'modifiers'>[]): string {
  const parts = lines.map((l) => {
    const name = l.quantity > 1 ? pluralName(l.item) : l.item;
    const mods = l.modifiers.length ? ` (${l.modifiers.join(', ')})` : '';
    return `${countWord(l.quantity)} ${name}${mods}`;
  });
  if (parts.length <= 1) return parts.join('');
  const lower = parts.map((p, i) => (i === 0 ? p : lowerFirst(p)));
  return `${lower.slice(0, -1).join(', ')} and ${lower.at(-1)}`;
}

export const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);
export const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function billText(b: BillView): string {
  if (b.tabCents === 0) return `Your tab is empty, and your balance is ${formatCents(b.balanceCents)}.`;
  const tip = b.tipCents > 0 ? ` plus a ${b.tipPercent}% tip of ${formatCents(b.tipCents)}, so ${formatCents(b.totalCents)} in all` : '';
  return `Your tab is ${formatCents(b.tabCents)}${tip}.`;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}

/** Renders phrases for one turn. `seed` varies with the turn, so consecutive turns pick differently. */
export class Voice {
  constructor(
    private readonly book: Phrasebook,
    private readonly seed: number,
  ) {}

  /** Variant `index` (or a seeded one) of a phrase, with {placeholders} filled in. {Name} capitalises. */
  say(key: string, vars: Readonly<Record<string, string | number>> = {}, index?: number): string {
    const variants = this.book.phrases[key];
    if (!variants) throw new Error(`phrasebook has no "${key}"`);
    const template = variants[(index ?? this.seed + hash(key)) % variants.length]!;
    return template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const direct = vars[name];
      if (direct !== undefined) return String(direct);
      const lower = vars[name.charAt(0).toLowerCase() + name.slice(1)];
      if (lower !== undefined) return upperFirst(String(lower));
      return '';
    });
  }

  has(key: string): boolean {
    return key in this.book.phrases;
  }
}
