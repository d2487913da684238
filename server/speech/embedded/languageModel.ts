/**
 * A back-off bigram language model over the guest corpus, and its compilation into a weighted
 * finite-state grammar (the only kind of language model soundswallower's decoder accepts).
 *
 * Why a bigram: it scores new combinations of familiar pieces ("yeah so two ipas and one gin
 * please") that no hand grammar listed, while staying small enough to build at start-up (tens of
 * milliseconds) and to search cheaply. Why Witten-Bell: the corpus is made from templates, so raw
 * counts say little; Witten-Bell keeps more probability for unseen continuations after histories
 * that are followed by many different words ("a", "i'd like"), and little after fixed ones ("old").
 *
 * The FSG has one state per history word, arcs for observed bigrams, a null back-off arc from
 * each history to one unigram state that reaches every word, and a phone loop standing for
 * unknown words (`<unk>`) and, from the start, for a whole out-of-domain utterance.
 */
import { UNKNOWN_WORD } from './corpus.ts';
import type { CorpusSentence } from './corpus.ts';

export const SENTENCE_START = '<s>';
export const SENTENCE_END = '</s>';

export interface BigramModel {
  /** Every word the model can emit (no <s>/</s>), `<unk>` included when the corpus has it. */
  readonly vocabulary: readonly string[];
  /** P(w) for every vocabulary word and </s>. */
  readonly unigram: ReadonlyMap<string, number>;
  /** history (a word or <s>) → next word (or </s>) → discounted P(next | history), observed pairs only. */
  readonly bigram: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** history → back-off weight α(h): P(w | h) = α(h)·P(w) for w not observed after h. */
  readonly backoff: ReadonlyMap<string, number>;
  /** The classes its class tokens stand for. */
  readonly classes: WordClasses;
}

export const defaultLanguageModelOptions = {
  /** Added to every unigram count, so a vocabulary word the corpus rarely uses stays reachable. */
  unigramFloorCount: 1,
};

/**
 * Word classes: a token (e.g. `<drink>`) that stands for any of its phrases ("margarita", "old
 * fashioned"...). Why: after "a" or "another" comes a drink; counted as one class the model knows
 * that firmly, whereas counted as 150 different words Witten-Bell would leave "a" a large share for
 * unseen continuations ("another please" instead of "and a beer please").
 */
export type WordClasses = ReadonlyMap<string, readonly string[]>;

/** The words with every class phrase (longest first) replaced by its class token. */
export function classTokens(words: readonly string[], classes: WordClasses): string[] {
  const phrases = [...classes]
    .flatMap(([token, ps]) => ps.map((p) => ({ token, words: p.split(' ') })))
    .sort((a, b) => b.words.length - a.words.length);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const hit = phrases.find((p) => p.words.every((w, k) => words[i + k] === w));
    if (hit) {
      out.push(hit.token);
      i += hit.words.length - 1;
    } else out.push(words[i]!);
  }
  return out;
}

/**
 * Estimate the model. `knows(word)` filters the vocabulary to words the dictionary can pronounce:
 * an unknown word becomes `<unk>`.
 */
export function estimateBigramModel(
  corpus: readonly CorpusSentence[],
  knows: (word: string) => boolean = () => true,
  classes: WordClasses = new Map(),
  options = defaultLanguageModelOptions,
): BigramModel {
  const unigramCounts = new Map<string, number>();
  const pairCounts = new Map<string, Map<string, number>>();
  const bump = <K>(m: Map<K, number>, k: K, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  for (const [text, count] of corpus) {
    const words = classTokens(text.split(' ').filter(Boolean), classes).map((w) =>
      w === UNKNOWN_WORD || classes.has(w) || knows(w) ? w : UNKNOWN_WORD,
    );
    const tokens = [SENTENCE_START, ...words, SENTENCE_END];
    for (let i = 1; i < tokens.length; i++) {
      bump(unigramCounts, tokens[i]!, count);
      const h = tokens[i - 1]!;
      const row = pairCounts.get(h) ?? new Map<string, number>();
      pairCounts.set(h, row);
      bump(row, tokens[i]!, count);
    }
  }
  const floor = options.unigramFloorCount;
  const total = [...unigramCounts.values()].reduce((a, b) => a + b + floor, 0);
  const unigram = new Map([...unigramCounts].map(([w, c]) => [w, (c + floor) / total]));
  const bigram = new Map<string, Map<string, number>>();
  const backoff = new Map<string, number>();
  for (const [h, row] of pairCounts) {
    const n = [...row.values()].reduce((a, b) => a + b, 0);
    const types = row.size;
    const probs = new Map([...row].map(([w, c]) => [w, c / (n + types)]));
    const seenUnigramMass = [...row.keys()].reduce((a, w) => a + (unigram.get(w) ?? 0), 0);
    bigram.set(h, probs);
    // Witten-Bell leaves T/(N+T) for the unseen words, spread in proportion to their unigram P.
    backoff.set(h, seenUnigramMass < 1 ? types / (n + types) / (1 - seenUnigramMass) : 0);
  }
  const vocabulary = [...unigram.keys()].filter((w) => w !== SENTENCE_END).sort();
  return { vocabulary, unigram, bigram, backoff, classes };
}

/** P(word | history) with back-off (word may be </s>). */
export function bigramProbability(model: BigramModel, history: string, word: string): number {
  const seen = model.bigram.get(history)?.get(word);
  if (seen !== undefined) return seen;
  return (model.backoff.get(history) ?? 1) * (model.unigram.get(word) ?? 0);
}

/**
 * log10 P(sentence) under the model (with <s> and </s>), class phrases read as their class. A word
 * the model never saw costs what its rarest word costs: two models compared on one sentence then
 * differ by how they order the words, not by which vocabulary each half of a corpus happened to have.
 */
export function sentenceLogProb(
  model: BigramModel,
  words: readonly string[],
): { logProb: number; tokens: number } {
  const floor = Math.min(...model.unigram.values());
  const tokens = [
    SENTENCE_START,
    ...classTokens(words, model.classes).map((w) =>
      model.unigram.has(w) ? w : model.unigram.has(UNKNOWN_WORD) ? UNKNOWN_WORD : w,
    ),
    SENTENCE_END,
  ];
  let logProb = 0;
  for (let i = 1; i < tokens.length; i++) {
    const p = bigramProbability(model, tokens[i - 1]!, tokens[i]!);
    logProb += Math.log10(p > 0 ? p : (model.backoff.get(tokens[i - 1]!) ?? 1) * floor);
  }
  return { logProb, tokens: tokens.length - 1 };
}

/** A weighted finite-state grammar as plain data (words on arcs; `word: null` is a null arc). */
export interface Fsg {
  readonly stateCount: number;
  readonly start: number;
  readonly final: number;
  readonly arcs: readonly FsgArc[];
}
export interface FsgArc {
  readonly from: number;
  readonly to: number;
  /** Probability in 0..1 (the loader turns it into the decoder's log units). */
  readonly prob: number;
  readonly word: string | null;
}

export const defaultFsgOptions = {
  /** Prior of the whole-utterance phone loop against the language model (higher rejects more). */
  garbagePrior: 0.5,
  /** Probability that a phone-loop phone is followed by another one. */
  phoneLoopContinue: 0.9,
  /** Arcs below this probability (after back-off) are left to the back-off path. */
  minArcProb: 1e-6,
};
export type FsgOptions = typeof defaultFsgOptions;

/**
 * Compile the model into an FSG. Null-arc chains are closed by hand (history → back-off → end),
 * because soundswallower does not export the closure routine and its search follows one null arc.
 */
export function compileBigramFsg(
  model: BigramModel,
  garbageWords: readonly string[],
  options: FsgOptions = defaultFsgOptions,
): Fsg {
  const arcs: FsgArc[] = [];
  const START = 0;
  const FINAL = 1;
  const BACKOFF = 2;
  const GARBAGE = 3;
  const histories = new Map<string, number>();
  let next = 4;
  for (const w of model.vocabulary) histories.set(w, next++);
  const stateOf = (w: string) => (w === SENTENCE_START ? START : histories.get(w)!);
  const phoneProb = 1 / Math.max(1, garbageWords.length);
  const lmPrior = 1 - options.garbagePrior;

  /** A chain of arcs spelling `phrase` from `from` to `to` (new states in between). */
  const spell = (from: number, to: number, phrase: string, prob: number) => {
    const words = phrase.split(' ');
    let at = from;
    words.forEach((w, k) => {
      const last = k === words.length - 1;
      const target = last ? to : next++;
      arcs.push({ from: at, to: target, prob: k === 0 ? prob : 1, word: w });
      at = target;
    });
  };
  /** Each class's entry state, spelling every phrase into the class's history state. */
  const classEntry = new Map<string, number>();
  for (const [token, phrases] of model.classes) {
    if (!histories.has(token)) continue;
    const entry = next++;
    classEntry.set(token, entry);
    for (const p of phrases) spell(entry, histories.get(token)!, p, 1 / phrases.length);
  }
  /** An arc that emits `word` from `from`; `<unk>` becomes one phone of the loop into its state. */
  const emit = (from: number, word: string, prob: number) => {
    const to = stateOf(word);
    const entry = classEntry.get(word);
    if (entry !== undefined) {
      // A null arc into the shared class network; from the back-off state (itself reached by a
      // null arc) the phrases are spelt directly instead, so no two null arcs follow each other.
      if (from !== BACKOFF) arcs.push({ from, to: entry, prob, word: null });
      else
        for (const p of model.classes.get(word)!)
          spell(from, to, p, prob / model.classes.get(word)!.length);
    } else if (word !== UNKNOWN_WORD) arcs.push({ from, to, prob, word });
    else for (const g of garbageWords) arcs.push({ from, to, prob: prob * phoneProb, word: g });
  };
  for (const h of [SENTENCE_START, ...model.vocabulary]) {
    const from = stateOf(h);
    const scale = h === SENTENCE_START ? lmPrior : 1;
    for (const [w, p] of model.bigram.get(h) ?? []) {
      if (p * scale < options.minArcProb) continue;
      if (w === SENTENCE_END) arcs.push({ from, to: FINAL, prob: p, word: null });
      else emit(from, w, p * scale);
    }
    const alpha = (model.backoff.get(h) ?? 1) * scale;
    if (alpha > 0) {
      arcs.push({ from, to: BACKOFF, prob: alpha, word: null });
      // The closed chain history → back-off → end, unless the history already ends directly.
      const direct = model.bigram.get(h)?.get(SENTENCE_END);
      const viaBackoff = alpha * (model.unigram.get(SENTENCE_END) ?? 0);
      if (direct === undefined && viaBackoff > 0 && h !== SENTENCE_START)
        arcs.push({ from, to: FINAL, prob: viaBackoff, word: null });
    }
    if (h === UNKNOWN_WORD)
      for (const g of garbageWords)
        arcs.push({ from, to: from, prob: options.phoneLoopContinue * phoneProb, word: g });
  }
  for (const w of model.vocabulary) emit(BACKOFF, w, model.unigram.get(w)!);
  // The competitor: the whole utterance as phones.
  for (const g of garbageWords) {
    arcs.push({ from: START, to: GARBAGE, prob: options.garbagePrior * phoneProb, word: g });
    arcs.push({ from: GARBAGE, to: GARBAGE, prob: options.phoneLoopContinue * phoneProb, word: g });
  }
  arcs.push({ from: GARBAGE, to: FINAL, prob: 1 - options.phoneLoopContinue, word: null });
  return { stateCount: next, start: START, final: FINAL, arcs };
}
