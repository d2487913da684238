/**
 * The blind spoken test set (set.json): loaded, validated against the menu, and filtered by split.
 * The phrasings in set.json were written before any run against Maya and are frozen; this file only
 * reads them.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { findMenuItem, MODIFIERS } from '../../shared/menu.ts';

/**
 * tune: looked at and tuned on. heldout: kept aside (the honest figure; looked at a few times over
 * the issue, see BASELINE.md). fresh: new phrasings written at the twelfth session, kept aside too.
 */
export const SPLITS = ['tune', 'heldout', 'fresh'] as const;
export type Split = (typeof SPLITS)[number];

const LineSchema = z.object({
  item: z.string(),
  quantity: z.number().int().min(1).max(20),
  /** When given, the heard line must carry exactly these modifiers; when absent they are not judged. */
  modifiers: z.array(z.enum(MODIFIERS)).optional(),
});
export type ExpectedLine = z.infer<typeof LineSchema>;

const ItemSchema = z.object({
  id: z.string(),
  split: z.enum(SPLITS),
  /** An order expects a charge; a remark (small talk, questions, drinks mentioned in passing) expects none. */
  kind: z.enum(['order', 'remark']),
  text: z.string(),
  /** A mid-sentence pause: the two halves are synthesised apart and joined by `ms` of silence. */
  pause: z
    .object({ before: z.string(), after: z.string(), ms: z.number().int().min(100).max(2000) })
    .optional(),
  /** What the guest says if Maya reads the order back (yes for an order, no for a remark). */
  answer: z.string(),
  expect: z.object({ lines: z.array(LineSchema), tabCents: z.number().int().nonnegative() }),
});
export type EarsItem = z.infer<typeof ItemSchema>;

const SetSchema = z.object({ about: z.string(), items: z.array(ItemSchema) });

export function loadSet(path = new URL('./set.json', import.meta.url)): EarsItem[] {
  const items = SetSchema.parse(JSON.parse(readFileSync(path, 'utf8'))).items;
  for (const problem of setProblems(items)) throw new Error(`bench/ears/set.json: ${problem}`);
  return items;
}

/** Menu names that do not exist, expected tabs that do not add up, duplicate ids. */
export function setProblems(items: EarsItem[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const it of items) {
    if (ids.has(it.id)) problems.push(`duplicate id ${it.id}`);
    ids.add(it.id);
    let cents = 0;
    for (const line of it.expect.lines) {
      const menu = findMenuItem(line.item);
      if (!menu || menu.name !== line.item) {
        problems.push(`${it.id}: "${line.item}" is not an exact menu name`);
        continue;
      }
      cents +=
        Math.round(menu.priceCents * (line.modifiers?.includes('double') ? 1.5 : 1)) *
        line.quantity;
    }
    if (cents !== it.expect.tabCents)
      problems.push(`${it.id}: expected tab ${it.expect.tabCents} but the lines cost ${cents}`);
    if ((it.kind === 'remark') !== (it.expect.lines.length === 0))
      problems.push(`${it.id}: a ${it.kind} with ${it.expect.lines.length} lines`);
    if (it.pause && `${it.pause.before} ${it.pause.after}` !== it.text)
      problems.push(`${it.id}: pause halves do not make up the text`);
  }
  return problems;
}

export function pickSplit(items: EarsItem[], split: Split | 'all'): EarsItem[] {
  return split === 'all' ? items : items.filter((i) => i.split === split);
}
