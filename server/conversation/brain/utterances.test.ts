import { describe, expect, it } from 'vitest';
import { parseIntent } from './intents.ts';
import { UTTERANCES } from './utterances.table.ts';

/** Every row must be understood; the report lists any that are not, with what was understood. */
const REQUIRED_ACCURACY = 1;

describe('understanding table', () => {
  it(`understands at least ${UTTERANCES.length >= 120 ? 120 : 'all'} varied phrasings`, () => {
    expect(UTTERANCES.length).toBeGreaterThanOrEqual(120);
    const wrong = UTTERANCES.map(([u, expected]) => ({ u, expected, got: parseIntent(u) })).filter(
      (r) => JSON.stringify(r.got) !== JSON.stringify(r.expected),
    );
    const accuracy = 1 - wrong.length / UTTERANCES.length;
    console.info(`understanding accuracy: ${UTTERANCES.length - wrong.length}/${UTTERANCES.length} = ${(accuracy * 100).toFixed(1)}%`);
    for (const w of wrong) console.info(`  misunderstood: "${w.u}" → ${JSON.stringify(w.got)} (expected ${JSON.stringify(w.expected)})`);
    expect(accuracy).toBeGreaterThanOrEqual(REQUIRED_ACCURACY);
  });
});
