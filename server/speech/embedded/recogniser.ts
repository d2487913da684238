/**
 * One embedded recogniser: a soundswallower decoder (or several) configured for the bar, decoding
 * one utterance at a time. It knows nothing of sessions, sockets or threads: the worker pool
 * (speech workers) owns instances and reuses them across utterances and sessions, so a guest
 * leaving never frees (or leaks) WASM memory.
 *
 * Seam: the language side (what the decoder may hear: grammar or language model, confidence) lives
 * behind `createRecogniser`; the pool only calls start / write / partial / finish / reset.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Decoder, SoundSwallowerModule } from 'soundswallower';
import { EXTRA_PRONUNCIATIONS, barGrammar, defaultGrammarOptions, isGarbageWord } from './grammar.ts';

export const SAMPLE_RATE_HZ = 16_000;
export const MODEL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'model', 'en-us-16k');

export const defaultRecogniserOptions = {
  ...defaultGrammarOptions,
  /**
   * Decoder settings passed to pocketsphinx as they are. Beams narrower than its defaults (1e-48,
   * 7e-29) and a cap on active HMMs halve the CPU the phone loop costs on out-of-grammar speech
   * (measured: CPU real-time factor 0.3 → 0.12–0.15), with the same transcripts on the test set.
   */
  decoder: { beam: 1e-30, pbeam: 1e-30, wbeam: 1e-20, maxhmmpf: 5000 } as Record<string, string | number | boolean>,
};
export type RecogniserOptions = typeof defaultRecogniserOptions;

/** The final result of one utterance. */
export interface Recognition {
  text: string;
  /** 0..1: how much the recogniser trusts the words (low → the order is read back before charging). */
  confidence: number;
  /** Out of vocabulary or not speech: the text must not become an order. */
  rejected: boolean;
}

export interface Recogniser {
  /** Begin an utterance (abandoning any unfinished one). */
  start(): void;
  /** 16 kHz mono speech audio, as float samples in -1..1. */
  write(pcm: Float32Array): void;
  /** The running hypothesis (cleaned), for captions and end-of-turn decisions. */
  partial(): string;
  /** End the utterance and return its result. */
  finish(): Recognition;
  /** Free the WASM memory (only when the whole worker is torn down). */
  delete(): void;
}

/** The words of a hypothesis, with the phone-loop garbage counted and removed. */
export function cleanHypothesis(raw: string): { text: string; garbageWords: number } {
  const words = raw.trim().split(/\s+/).filter(Boolean);
  const kept = words.filter((w) => !isGarbageWord(w));
  return { text: kept.join(' '), garbageWords: words.length - kept.length };
}

export async function newDecoder(ss: SoundSwallowerModule, options: RecogniserOptions): Promise<Decoder> {
  const base = dirname(fileURLToPath(import.meta.resolve('soundswallower')));
  const decoder = new ss.Decoder({
    samprate: SAMPLE_RATE_HZ,
    loglevel: 'FATAL',
    hmm: MODEL_DIR,
    featparams: join(MODEL_DIR, 'feat_params.json'),
    fdict: join(MODEL_DIR, 'noisedict.txt'),
    dict: join(base, 'model', 'en-us', 'dict.txt'),
    ...options.decoder,
  });
  await decoder.initialize();
  const missing = Object.entries(EXTRA_PRONUNCIATIONS).filter(([word]) => !decoder.lookup_word(word));
  if (missing.length) decoder.add_words(...missing);
  return decoder;
}

/** Today's recogniser: one decoder with the hand-written bar grammar and its phone loop. */
export async function createRecogniser(ss: SoundSwallowerModule, options: Partial<RecogniserOptions> = {}): Promise<Recogniser> {
  const o = { ...defaultRecogniserOptions, ...options };
  const decoder = await newDecoder(ss, o);
  decoder.set_grammar(barGrammar((w) => decoder.lookup_word(w) !== null, o));
  let inUtterance = false;
  const start = () => {
    if (inUtterance) decoder.stop();
    decoder.start();
    inUtterance = true;
  };
  return {
    start,
    write(pcm) {
      if (!inUtterance) start();
      decoder.process_audio(pcm, false, false);
    },
    partial: () => (inUtterance ? cleanHypothesis(decoder.get_text()).text : ''),
    finish() {
      if (!inUtterance) return { text: '', confidence: 0, rejected: true };
      inUtterance = false;
      decoder.stop();
      const { text, garbageWords } = cleanHypothesis(decoder.get_text());
      // The engine gives no usable score; a hypothesis that needed the phone loop is not trusted.
      return { text, confidence: garbageWords > 0 ? 0 : 1, rejected: garbageWords > 0 || text === '' };
    },
    delete: () => decoder.delete(),
  };
}
