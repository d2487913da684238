/**
 * What the guest actually heard of a reply that was cut off: the audio sent, in order, cut where
 * playback stopped. A sentence that had only begun keeps the words that had sounded (by their
 * timings, or in proportion to its length when the voice gave none), so the conversation history
 * never holds words Maya did not say aloud.
 */
import type { Timing } from './types.ts';

/** One piece of reply audio as sent (a sentence, or a streamed chunk of one). */
export interface SentAudio {
  text: string;
  durationMs: number;
  /** Word timings relative to the chunk's first sample, when the voice gives them. */
  words: Timing[];
}

export function heardPart(sent: readonly SentAudio[], playedMs: number): string {
  const out: string[] = [];
  let at = 0;
  let last = '';
  for (const chunk of sent) {
    if (at >= playedMs) break;
    const within = playedMs - at;
    at += chunk.durationMs;
    // Streamed chunks of one sentence repeat its text: take each sentence once.
    const fresh = chunk.text !== last;
    last = chunk.text;
    if (within >= chunk.durationMs) {
      if (fresh) out.push(chunk.text);
      continue;
    }
    const words = chunk.text.split(/\s+/).filter(Boolean);
    const timed = chunk.words.filter((w) => w.endMs <= within).length;
    const count = chunk.words.length
      ? Math.min(words.length, timed)
      : Math.floor(words.length * (within / chunk.durationMs));
    if (fresh && count > 0) out.push(`${words.slice(0, count).join(' ')}…`);
    else if (!fresh && out.length === 0) out.push(`${words.slice(0, count).join(' ')}…`);
    break;
  }
  return out.join(' ').trim();
}
