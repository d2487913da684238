/**
 * The one sentence splitter. Cuts streamed LLM text into sentences as it arrives, so each sentence
 * can go to TTS while the model is still writing the next; `splitSentences` cuts a whole text by the
 * same rules. A sentence ends at . ! ? or … followed by whitespace; prices ("$11.00") and common
 * abbreviations ("Mr.", "e.g.") never end one. (Intl.Segmenter's sentence breaks were weighed: they
 * end a sentence at "Dr." and not at "…", so they would need the same patches this regex has.)
 */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'vs',
  'e.g',
  'i.e',
  'etc',
  'no',
  'approx',
]);
const END = /[.!?…]+["')\]]*(?=\s)/g;

export class SentenceSplitter {
  private buffer = '';

  /** Feed more text; returns the sentences completed by it (trimmed, never empty). */
  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    let start = 0;
    END.lastIndex = 0;
    for (let m = END.exec(this.buffer); m; m = END.exec(this.buffer)) {
      const end = m.index + m[0].length;
      const before = this.buffer.slice(start, m.index);
      const lastWord = /([A-Za-z.]+)$/.exec(before)?.[1]?.toLowerCase();
      if (m[0].startsWith('.') && lastWord && ABBREVIATIONS.has(lastWord)) continue;
      const sentence = this.buffer.slice(start, end).trim();
      if (sentence) out.push(sentence);
      start = end;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** The rest, at the end of the stream. */
  flush(): string[] {
    const rest = this.buffer.trim();
    this.buffer = '';
    return rest ? [rest] : [];
  }
}

/** Split a whole text at once (same rules as streaming). */
export function splitSentences(text: string): string[] {
  const s = new SentenceSplitter();
  return [...s.push(text), ...s.flush()];
}
