/**
 * Small-talk retrieval (DOMAIN.md "Understanding the guest"): casual turns are answered from a corpus
 * of short lines (data/smalltalk.json) ranked by relevance with MiniSearch. A line is never used
 * twice in a session; when nothing is relevant a generic line keeps the conversation going. The
 * same retrieval hands a cloud brain the lines relevant to the turn (relevant()).
 */
import { readFileSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { z } from 'zod';
import { EMOTIONS } from '../../../shared/domain.ts';

export const DEFAULT_SMALL_TALK_URL = new URL('../data/smalltalk.json', import.meta.url);

const LineSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['persona', 'joke', 'lore', 'fact', 'generic']),
  text: z.string().min(1).max(200),
  tags: z.string(),
  emotion: z.enum(EMOTIONS).optional(),
});
export type SmallTalkLine = z.infer<typeof LineSchema>;
const CorpusSchema = z.object({ lines: z.array(LineSchema).min(1) });

/** Words that say nothing about the topic; matching on them would rank every line. */
const STOP_WORDS = new Set(
  (
    'a an the i you me my your we our is are was were be been am do does did have has had it its it s this that ' +
    'what whats who where when why which of to in on at for with and or but so just really very ' +
    'can could would will shall should maya please tell about any some there here they them he she his her ' +
    'im m s re ll d ve t not no yes oh well hey hi like get got go'
  ).split(' '),
);

function terms(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .split(' ')
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w));
}

/** A hit must score at least this to count as relevant (MiniSearch BM25 units). */
export const MIN_RELEVANCE_SCORE = 1;

export class SmallTalk {
  private readonly index: MiniSearch<SmallTalkLine>;
  readonly lines: readonly SmallTalkLine[];
  private readonly byId: Map<string, SmallTalkLine>;

  constructor(lines: readonly SmallTalkLine[]) {
    this.lines = lines;
    this.byId = new Map(lines.map((l) => [l.id, l]));
    this.index = new MiniSearch<SmallTalkLine>({
      fields: ['text', 'tags'],
      storeFields: ['id'],
      processTerm: (term) => (STOP_WORDS.has(term) || term.length < 2 ? null : term),
      searchOptions: { boost: { tags: 2 }, fuzzy: 0.2, prefix: true },
    });
    this.index.addAll(lines.filter((l) => l.kind !== 'generic'));
  }

  static load(
    path: string | URL = process.env.MAYA_SMALL_TALK ?? DEFAULT_SMALL_TALK_URL,
  ): SmallTalk {
    return new SmallTalk(CorpusSchema.parse(JSON.parse(readFileSync(path, 'utf8'))).lines);
  }

  /**
   * The most relevant unused line for what the guest said, or an unused generic one. `seed` picks
   * among generic lines. When every line has been used, the session's oldest lines come back first.
   */
  pick(
    query: string,
    used: readonly string[],
    seed: number,
  ): { line: SmallTalkLine; relevant: boolean } {
    const usedSet = new Set(used);
    const q = terms(query).join(' ');
    if (q) {
      const hits = this.index.search(q, { filter: (r) => !usedSet.has(r.id as string) });
      const best = hits[0];
      if (best && best.score >= MIN_RELEVANCE_SCORE)
        return { line: this.byId.get(best.id as string)!, relevant: true };
    }
    const generic = this.lines.filter((l) => l.kind === 'generic' && !usedSet.has(l.id));
    const pool = generic.length ? generic : this.lines.filter((l) => !usedSet.has(l.id));
    if (pool.length) return { line: pool[seed % pool.length]!, relevant: false };
    // Everything said already: reuse the line said longest ago.
    return { line: this.byId.get(used[0]!) ?? this.lines[0]!, relevant: false };
  }

  /** The texts of the lines most relevant to what the guest said (for a cloud brain's prompt). */
  relevant(query: string, limit: number): string[] {
    const q = terms(query).join(' ');
    if (!q) return [];
    return this.index
      .search(q)
      .filter((h) => h.score >= MIN_RELEVANCE_SCORE)
      .slice(0, limit)
      .map((h) => this.byId.get(h.id as string)!.text);
  }

  /** A fact line about a drink, unused if possible. */
  aboutDrink(item: string, used: readonly string[]): SmallTalkLine | undefined {
    const usedSet = new Set(used);
    const hits = this.index.search(item.toLowerCase(), {
      fields: ['tags'],
      fuzzy: 0,
      prefix: false,
      combineWith: 'AND',
    });
    const facts = hits.map((h) => this.byId.get(h.id as string)!).filter((l) => l.kind === 'fact');
    return facts.find((l) => !usedSet.has(l.id)) ?? facts[0];
  }
}
