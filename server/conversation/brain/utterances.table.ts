/**
 * The understanding table: varied real phrasings with the intent and slots they must produce, kept
 * as data (`../data/phrasings.json`). utterances.test.ts checks the brain against every row; the
 * embedded recogniser's corpus learns the bar's language from their wording.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Intent } from './intents.ts';

type Row = readonly [utterance: string, expected: Intent];

const IntentSchema = z.custom<Intent>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string',
);
/** A phrasing table file: `{ about, rows: [{ say, intent }] }`. */
export const PhrasingsSchema = z.object({
  about: z.string(),
  rows: z.array(z.object({ say: z.string().min(1), intent: IntentSchema })),
});

/** Rows of a phrasing table file, as [utterance, intent] pairs. */
export function loadPhrasings(url: URL): readonly Row[] {
  return PhrasingsSchema.parse(JSON.parse(readFileSync(url, 'utf8'))).rows.map(
    (r) => [r.say, r.intent] as const,
  );
}

export const UTTERANCES: readonly Row[] = loadPhrasings(
  new URL('../data/phrasings.json', import.meta.url),
);
