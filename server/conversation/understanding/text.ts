/**
 * The first stage of understanding: the guest's raw text → the words it is made of, cut once.
 * Normalising used to lose things a guest wrote: accents now fold to their letter (piña → pina) and
 * each folded word remembers how it was written, so a reply can say "piña colada" back; a minus sign
 * before a count survives as "negative" so "-3 beers" is never three beers; "3x negroni" and
 * "negroni x2" keep their count. Words are cut on Unicode letter and digit classes (\p{L}, \p{N}):
 * the same edges Intl.Segmenter finds for a guest's short turn, at a tenth of its cost per turn.
 */

/** A word: letters and digits of any script, with inner apostrophes ("i'll", "o'clock"). */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*/gu;

export interface PreparedText {
  /** Lower-case ASCII words ("i'll" → "i", "ll"; "piña" → "pina"). */
  words: readonly string[];
  /** The words joined by single spaces: the text every later rule reads. */
  text: string;
  /** Folded word → the word as the guest wrote it, for words that folding changed. */
  written: ReadonlyMap<string, string>;
}

/** "piña" → "pina", "café" → "cafe": strip combining marks after canonical decomposition. */
export function foldAccents(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '');
}

/** The word a count that is not whole ("1.5 beers") becomes, so it is refused, never read as "1 5". */
export const NOT_WHOLE_COUNT = 'fraction';

function rewriteSymbols(raw: string): string {
  return (
    raw
      .normalize('NFC')
      .replace(/%/g, ' percent ')
      // "1.5 beers": a count that is not whole is never charged (not "1 5", five beers).
      .replace(/(^|[\s(:])\d+[.,]\d+(?=\s+\p{L})/gu, `$1 ${NOT_WHOLE_COUNT} `)
      .replace(/\$(\d+)/g, '$1 dollars')
      .replace(/(\d)(st|nd|rd|th)\b/g, '$1')
      // "-3 beers", "− 2 wines": a count with a minus sign stays negative (and is never charged).
      .replace(/(^|[\s(,:])[-−–]\s?(\d+)/g, '$1 negative $2 ')
      // "3x negroni" → "3 negroni"; "negroni x2" / "negroni x 2" / "negroni ×2" → "negroni x 2".
      .replace(/\b(\d+)\s?[x×](?=\s|$)/gi, '$1 ')
      .replace(/(^|\s)[x×]\s?(\d+)\b/gi, '$1x $2')
  );
}

export function prepare(raw: string): PreparedText {
  const words: string[] = [];
  const written = new Map<string, string>();
  for (const match of rewriteSymbols(raw).matchAll(WORD)) {
    const lower = match[0].toLowerCase();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range, to skip folding plain words
    const folded = /[^\x00-\x7f]/.test(lower) ? foldAccents(lower) : lower;
    // Apostrophes and other inner marks split a word the way the phrase rules expect ("i'll" → "i ll").
    const parts = folded.split(/[^a-z0-9]+/).filter(Boolean);
    if (parts.length === 1 && parts[0] !== lower && /^\p{L}+$/u.test(lower.normalize('NFC')))
      written.set(parts[0]!, lower);
    words.push(...parts);
  }
  return { words, text: words.join(' '), written };
}

/** Put back the letters the guest wrote: "pina colada" → "piña colada". */
export function asWritten(phrase: string, written: ReadonlyMap<string, string>): string {
  if (written.size === 0) return phrase;
  return phrase
    .split(' ')
    .map((w) => written.get(w) ?? w)
    .join(' ');
}
