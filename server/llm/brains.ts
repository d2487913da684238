/**
 * Which brain a session gets: Gemini (with the embedded brain behind it) when the session — or the
 * operator — has a Gemini key, else the embedded brain. Cloud brains are cached per session and
 * rebuilt when the key changes; the cache holds only a fingerprint of the key, not the key.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Llm } from '../conversation/ports.ts';
import { GeminiLlm } from './gemini.ts';
import { FallbackLlm } from './fallback.ts';
import { splitSentences } from '../text/sentences.ts';

/**
 * Every brain hands its reply over sentence by sentence: a brain that does not stream (the embedded
 * one answers at once) gets its sentences handed over when it returns, so speech code has one path.
 */
export function withSentences(llm: Llm): Llm {
  return {
    get name() {
      return llm.name;
    },
    async turn(input) {
      if (!input.onSentence) return llm.turn(input);
      let streamed = false;
      const out = await llm.turn({
        ...input,
        onSentence: (s) => ((streamed = true), input.onSentence!(s)),
      });
      if (!streamed) for (const s of splitSentences(out.text)) input.onSentence(s);
      return out;
    },
  };
}

/** Sessions whose cloud brain is kept warm; the least recently used goes first. */
export const MAX_CACHED_CLOUD_BRAINS = 1000;

export interface BrainSelectorDeps {
  embedded: Llm;
  keyFor: (sessionId: string) => Promise<string | null>;
  gemini: { model: string; baseUrl?: string | undefined };
  log: Logger;
  /** A session got a cloud brain (the composition root tracks it, to release it when the session ends). */
  onCloudBrain?: (sessionId: string) => void;
}

/** A session's brain, plus the release of what a session's cloud brain holds when the session ends. */
export interface BrainSelector {
  (sessionId: string): Promise<Llm>;
  /** Drop the session's Gemini client (the session ended): its key and client are freed. */
  release(sessionId: string): void;
  /** Sessions whose cloud brain is held now. */
  readonly cached: number;
}

export function createBrainSelector({
  embedded: plainEmbedded,
  keyFor,
  gemini,
  log,
  onCloudBrain,
}: BrainSelectorDeps): BrainSelector {
  const embedded = withSentences(plainEmbedded);
  const cache = new Map<string, { fingerprint: string; llm: Llm }>();
  const select = async (sessionId: string): Promise<Llm> => {
    const key = await keyFor(sessionId);
    if (!key) {
      cache.delete(sessionId);
      return embedded;
    }
    const fingerprint = createHash('sha256').update(key).digest('base64url').slice(0, 16);
    const hit = cache.get(sessionId);
    cache.delete(sessionId);
    if (hit && hit.fingerprint === fingerprint) {
      cache.set(sessionId, hit);
      return hit.llm;
    }
    const llm = new FallbackLlm(
      new GeminiLlm({ apiKey: key, model: gemini.model, baseUrl: gemini.baseUrl }),
      plainEmbedded,
      {
        onFallback: (err) =>
          log.warn(
            { sessionId, err: err instanceof Error ? err.message : String(err) },
            'Gemini failed; embedded brain takes over',
          ),
      },
    );
    cache.set(sessionId, { fingerprint, llm });
    onCloudBrain?.(sessionId);
    if (cache.size > MAX_CACHED_CLOUD_BRAINS) cache.delete(cache.keys().next().value!);
    return llm;
  };
  return Object.defineProperties(select, {
    release: { value: (sessionId: string) => void cache.delete(sessionId) },
    cached: { get: () => cache.size },
  }) as BrainSelector;
}
