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
import { soundsUnfinished } from '../endOfTurn.ts';
import type { ListeningContext } from '../types.ts';
import {
  answerFsg,
  confirmationGrammar,
  findSlots,
  lostDrinkGrammar,
  twoAfterStop,
  withOneForTwoAfterStop,
  withoutTwoAfterStop,
  numberAgreement,
  samePrefix,
  slotSignature,
} from './confidence.ts';
import {
  DEFAULT_BAR_MENU,
  barMenu,
  defaultCorpusOptions,
  drinkClasses,
  guestCorpus,
  guestCorpusByKind,
  NO_ANSWERS,
  recogniserVocabulary,
  VAGUE_YESES,
  YES_ANSWERS,
} from './corpus.ts';
import type { CorpusKind, RecogniserVocabulary, SpokenMenuItem } from './corpus.ts';
import { setFsg } from './fsg.ts';
import {
  EXTRA_PRONUNCIATIONS,
  GARBAGE_WORDS,
  barGrammar,
  defaultGrammarOptions,
  isGarbageWord,
} from './grammar.ts';
import {
  SENTENCE_END,
  SENTENCE_START,
  classTokens,
  compileBigramFsg,
  defaultFsgOptions,
  estimateBigramModel,
  sentenceLogProb,
} from './languageModel.ts';
import type { BigramModel, Fsg } from './languageModel.ts';

export const SAMPLE_RATE_HZ = 16_000;
export const MODEL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'model', 'en-us-16k');

export const defaultRecogniserOptions = {
  ...defaultGrammarOptions,
  /**
   * Decoder settings passed to pocketsphinx as they are. Beams narrower than its defaults (1e-48,
   * 7e-29) and a cap on active HMMs halve the CPU the phone loop costs on out-of-grammar speech
   * (measured: CPU real-time factor 0.3 → 0.12–0.15), with the same transcripts on the test set.
   */
  decoder: { beam: 1e-30, pbeam: 1e-30, wbeam: 1e-20, maxhmmpf: 5000 } as Record<
    string,
    string | number | boolean
  >,
  /** What the decoder may hear: the statistical domain model ('lm') or the hand grammar ('grammar'). */
  language: 'lm' as 'lm' | 'grammar',
  /** Multiplier of the language model's log-probabilities against the acoustic scores. */
  languageWeight: 5,
  corpus: defaultCorpusOptions,
  fsg: defaultFsgOptions,
  /**
   * More phone-loop phones than this per recognised word: the utterance is out of domain (rejected).
   * Fewer: kept with the `withGarbage` confidence, so an order in it is read back, never charged at
   * once. Measured (bench:ears tune split, 4 unseen voices, same run): 0 → 0.34 turned 3 of 132
   * orders from "not understood" into right after a read-back, with no more wrong or false charges.
   */
  maxGarbagePhonesPerWord: 0.34,
  /**
   * Above that, an utterance with a drink in it is re-decoded (the confirmation pass) before it is
   * rejected: if the drink and counts come back the same, it is kept at the `rescued` confidence
   * (read back, charged only on yes). Mismatched voices lose a word or two to the phone loop (eSpeak's
   * "i'd like a margarita please" was rejected with every word right); a remark kept this way is read
   * back at worst, never charged.
   */
  rescueWithSecondListen: true,
  /**
   * While Maya waits for the answer to a question of hers (a read-back), the decoder listens with a
   * model whose answers ("yes", "yeah", "no thanks") weigh this many times more than in the open
   * model; everything else (a correction, a new order) can still be heard. A short "yes" in a voice
   * unlike the acoustic model's otherwise loses to the phone loop or to "us" / "the ice".
   */
  answerBoost: 60,
  /** Re-decode the money words of an utterance to estimate confidence (a second decoder per recogniser). */
  confirm: true,
  /**
   * Decoder settings of the confirmation pass, over the first pass's. ds 2 scores every other frame:
   * the second listen took 60–94 ms instead of 130–229 ms on 2.5–3 s orders, and in the same bench
   * run (with the shorter endpointer window) wrong charges were 5 against 6 without it.
   */
  confirmDecoder: { ds: 2 } as Record<string, string | number | boolean>,
  /** Weight of the phone loop against each slot's rivals in the confirmation pass. */
  confirmGarbageWeight: 0.005,
  /** Weight of the phone loop against each other word of the hypothesis in the confirmation pass (0: not checked). */
  confirmWordGarbageWeight: 0,
  /** Let the words before the first slot also be a question frame ("do you have") in the confirmation pass. */
  confirmQuestionFrames: false,
  /**
   * A sentence with a drink in it that sounds less like an order than this (orderOdds, log10 per
   * word) is doubted: the words around the drink fit questions and remarks better than orders.
   */
  minOrderOdds: 0,
  /** …or that has more words no order uses than this (wordsUnlikeOrders). */
  maxWordsUnlikeOrders: 1,
  /**
   * A sentence with a drink in it with more word pairs than this that the corpus never has
   * (unseenWordPairs) is doubted: the decoder left the language model to follow the sounds.
   */
  maxUnseenWordPairs: 0,
  /**
   * A serving heard with no drink ("the rocks please"): listen again for a drink before it (see
   * lostDrinkGrammar); one found is read back at the `lostDrink` confidence, never charged at once.
   */
  listenForLostDrink: true,
  /**
   * Asked a question of Maya's (the answer context), the first pass heard no answer and nothing to
   * charge (rejected, or words with neither: "that" for a "yeah" in noise): listen again for a whole
   * yes or no against free phones (answerFsg). One that fits better is the answer, kept at the
   * `answer` confidence.
   */
  listenForAnswer: true,
  /** That listen's phone loop: its prior against the answers, and what each phone costs. */
  answerGarbage: { garbagePrior: 0.5, phoneScore: 0.05 },
  /** Evaluate every doubt, not only up to the first that holds (costs a second listen each time). */
  explainDoubts: false,
  /** The confidence reported in each case (the processor reads back below 0.8). */
  confidences: {
    agreed: 0.95,
    withGarbage: 0.6,
    disagreement: 0.5,
    numberDisagreement: 0.5,
    unlikeOrder: 0.55,
    twoAfterStop: 0.55,
    cutShort: 0.55,
    unseenWordPairs: 0.6,
    rescued: 0.45,
    lostDrink: 0.45,
    answer: 0.6,
  },
};
export type RecogniserOptions = typeof defaultRecogniserOptions;

/** Why the recogniser does not trust words it kept (each has its confidence in the options). */
export type Doubt = Exclude<
  keyof RecogniserOptions['confidences'],
  'agreed' | 'rescued' | 'lostDrink' | 'answer'
>;

/** The final result of one utterance. */
export interface Recognition {
  text: string;
  /** 0..1: how much the recogniser trusts the words (low → the order is read back before charging). */
  confidence: number;
  /** Out of vocabulary or not speech: the text must not become an order. */
  rejected: boolean;
  /** The first doubt that held, if any (its confidence is the one given). */
  doubt?: Doubt;
  /** With `explainDoubts`: every doubt that holds (benches weigh what each one catches). */
  doubts?: Doubt[];
  /**
   * Other readings of a doubted utterance, likeliest first: what the doubt itself points to ("a" for
   * a "two" after a stop consonant, the count as heard when it disagreed with its drink). Maya
   * offers one when the guest says no to the read-back.
   */
  alternatives?: string[];
}

export interface Recogniser {
  /** Begin an utterance (abandoning any unfinished one), listening for what is likely now. */
  start(context?: ListeningContext): void;
  /** 16 kHz mono speech audio, as float samples in -1..1. */
  write(pcm: Float32Array): void;
  /** The running hypothesis (cleaned), for captions and end-of-turn decisions. */
  partial(): string;
  /** End the utterance and return its result. */
  finish(): Recognition;
  /**
   * The result if the utterance ended here, without ending it: a later `write` goes on with the
   * same utterance (its audio so far is decoded again first, ~60 ms per second of speech) and a
   * `finish` with nothing written since returns this result at no cost.
   */
  peekFinish(): Recognition;
  /** Hear this menu's drinks from the next utterance on (rebuilds the language model; not mid-utterance). */
  setMenu(items: readonly SpokenMenuItem[]): void;
  /** Free the WASM memory (only when the whole worker is torn down). */
  delete(): void;
}

/** The answers the answer listen hears: a clear yes or no. */
export const LISTENED_ANSWERS: readonly string[] = [...YES_ANSWERS, ...NO_ANSWERS].filter(
  (a) => !VAGUE_YESES.includes(a),
);
/** The words an answer to a read-back starts with ("yeah", "that's", "nope"). */
const ANSWER_HEADS: ReadonlySet<string> = new Set(
  [...YES_ANSWERS, ...NO_ANSWERS].map((a) => a.split(' ')[0]!),
);

/** A decoder's words, without the phone loop's. */
function wordsHeard(decoder: Decoder): string[] {
  return decoder
    .get_text()
    .trim()
    .split(/\s+/)
    .filter((w) => w && !isGarbageWord(w));
}

/** The words of a hypothesis, with the phone-loop garbage counted and removed. */
export function cleanHypothesis(raw: string): { text: string; garbageWords: number } {
  const words = raw.trim().split(/\s+/).filter(Boolean);
  const kept = words.filter((w) => !isGarbageWord(w));
  const garbageWords = words.length - kept.length;
  // A lone article after a request that is complete without it is a breath or a release the
  // decoder fitted with its shortest word ("could i get a perfect manhattan a"); "two beers and a"
  // keeps it (cut short, not complete).
  if (
    kept.length > 1 &&
    ARTICLES.has(kept.at(-1)!) &&
    !soundsUnfinished(kept.slice(0, -1).join(' '))
  )
    kept.pop();
  return { text: kept.join(' '), garbageWords };
}
const ARTICLES: ReadonlySet<string> = new Set(['a', 'an', 'the']);

export async function newDecoder(
  ss: SoundSwallowerModule,
  options: RecogniserOptions,
): Promise<Decoder> {
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
  const missing = Object.entries(EXTRA_PRONUNCIATIONS).filter(
    ([word]) => !decoder.lookup_word(word),
  );
  if (missing.length) decoder.add_words(...missing);
  return decoder;
}

/** The domain model, built once per process and menu (the dictionary is the same for every decoder). */
const sharedModels = new Map<string, DomainModel>();
/** Models kept (two per menu: open and expecting an answer; an edited menu makes new ones, old ones go). */
const MAX_SHARED_MODELS = 8;
export interface DomainModel {
  vocabulary: RecogniserVocabulary;
  fsg: Fsg;
  /** The corpus's orders and corrections, and everything else, as two models (see orderOdds). */
  byKind: Record<CorpusKind, BigramModel>;
}

/**
 * How much more a heard sentence sounds like a request for drinks than like anything else a guest
 * says, per word (log10 of the ratio of the two halves' models). Why: when the decoder misses the
 * frame of a question or a remark ("how much is a mojito" → "i'll much is a mojito", "I made a lot of
 * mojitos" → "i made two mojitos"), its drink words still look like an order to the brain, but the
 * words around them do not fit the way orders are said. Such a sentence is read back, not charged.
 */
export function orderOdds(model: DomainModel, words: readonly string[]): number {
  const charges = sentenceLogProb(model.byKind.charges, words);
  const talk = sentenceLogProb(model.byKind.talk, words);
  return (charges.logProb - talk.logProb) / charges.tokens;
}

/**
 * Words of a heard sentence that no order in the corpus uses ("last", "night", "usually"). Orders
 * are a small, closed language and chat is open: a sentence with several such words around a drink
 * is a remark about the drink, however the two models happen to score words neither has seen.
 */
export function wordsUnlikeOrders(model: DomainModel, words: readonly string[]): number {
  return classTokens(words, model.byKind.charges.classes).filter(
    (w) => !model.byKind.charges.unigram.has(w),
  ).length;
}

/**
 * Word pairs of a heard sentence (drink names read as their class, with its start and end) that no
 * sentence of the corpus has, orders or talk. The decoder takes such a pair only through the
 * model's back-off, where the sounds outweighed the language: "rum and a rocks", "let me get the
 * weather and a lemonade", "well you and and one white" were each misheard (bench:ears tune split).
 */
export function unseenWordPairs(model: DomainModel, words: readonly string[]): string[] {
  const { charges, talk } = model.byKind;
  const tokens = [SENTENCE_START, ...classTokens(words, charges.classes), SENTENCE_END];
  const unseen: string[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const [a, b] = [tokens[i - 1]!, tokens[i]!];
    if (!charges.bigram.get(a)?.has(b) && !talk.bigram.get(a)?.has(b)) unseen.push(`${a} ${b}`);
  }
  return unseen;
}

let modelsBuilt = 0;
/** Domain models this thread built itself (adopted ones not counted), for stats and tests. */
export const domainModelsBuilt = () => modelsBuilt;

/** Built domain models by their key, as plain data a worker can post to another. */
export type SharedDomainModels = readonly (readonly [string, DomainModel])[];

/** The domain models this thread has built or adopted, oldest first. */
export function builtDomainModels(): SharedDomainModels {
  return [...sharedModels];
}

/**
 * Models another thread built for the same dictionary, taken as if built here: building one is
 * seconds of corpus and bigram work, and every worker would otherwise repeat it while guests wait.
 */
export function adoptDomainModels(models: SharedDomainModels): void {
  for (const [key, model] of models) {
    if (sharedModels.has(key)) continue;
    if (sharedModels.size >= MAX_SHARED_MODELS)
      sharedModels.delete(sharedModels.keys().next().value!);
    sharedModels.set(key, model);
  }
}

/** The domain language model as an FSG: menu → vocabulary → corpus → bigram → FSG (memoised). */
export function domainModel(
  knows: (word: string) => boolean,
  options: Pick<RecogniserOptions, 'corpus' | 'fsg'> = defaultRecogniserOptions,
  items: readonly SpokenMenuItem[] = DEFAULT_BAR_MENU.items,
): DomainModel {
  const key = JSON.stringify([
    options.corpus,
    options.fsg,
    items.map((i) => [i.name, i.category, i.aliases]),
  ]);
  let model = sharedModels.get(key);
  if (!model) {
    modelsBuilt++;
    const vocabulary = recogniserVocabulary(barMenu(items), knows);
    const classes = drinkClasses(vocabulary);
    const halves = guestCorpusByKind(vocabulary, options.corpus);
    const corpus = guestCorpus(vocabulary, options.corpus);
    model = {
      vocabulary,
      fsg: compileBigramFsg(
        estimateBigramModel(corpus, knows, classes),
        GARBAGE_WORDS,
        options.fsg,
      ),
      byKind: {
        charges: estimateBigramModel(halves.charges, knows, classes),
        talk: estimateBigramModel(halves.talk, knows, classes),
      },
    };
    if (sharedModels.size >= MAX_SHARED_MODELS)
      sharedModels.delete(sharedModels.keys().next().value!);
    sharedModels.set(key, model);
  }
  return model;
}

/** Set the decoder's search: the domain language model, or the hand-written grammar. */
export function setLanguage(
  ss: SoundSwallowerModule,
  decoder: Decoder,
  o: RecogniserOptions,
  items: readonly SpokenMenuItem[] = DEFAULT_BAR_MENU.items,
): void {
  const knows = (w: string) => decoder.lookup_word(w) !== null;
  if (o.language === 'grammar') decoder.set_grammar(barGrammar(knows, o));
  else setFsg(ss, decoder, domainModel(knows, o, items).fsg, o.languageWeight);
}

/** Audio of the current utterance, kept for the confirmation pass and to resume after a peek (grows, never shrinks). */
class UtteranceAudio {
  private buffer = new Float32Array(SAMPLE_RATE_HZ * 4);
  private length = 0;
  clear() {
    this.length = 0;
  }
  append(pcm: Float32Array) {
    if (this.length + pcm.length > this.buffer.length) {
      const bigger = new Float32Array(Math.max(this.buffer.length * 2, this.length + pcm.length));
      bigger.set(this.buffer.subarray(0, this.length));
      this.buffer = bigger;
    }
    this.buffer.set(pcm, this.length);
    this.length += pcm.length;
  }
  get samples(): Float32Array {
    return this.buffer.subarray(0, this.length);
  }
}

/**
 * The first pass's words re-decoded on the same audio with every slot (quantity, drink, percent)
 * open to all its rivals and a phone loop: do the acoustics alone pick the same slot values?
 * `checked` is false when the words have no slot (nothing to charge, nothing to confirm).
 */
export function confirmSlots(
  checker: Decoder,
  words: readonly string[],
  audio: Float32Array,
  vocabulary: RecogniserVocabulary,
  garbageWeight: number,
  wordGarbageWeight = 0,
  questionRivals = false,
): { agree: boolean; checked: boolean; heard: string } {
  const slots = findSlots(words, vocabulary);
  const grammar = confirmationGrammar(
    words,
    slots,
    vocabulary,
    GARBAGE_WORDS,
    garbageWeight,
    wordGarbageWeight,
    questionRivals,
  );
  if (!grammar) return { agree: true, checked: false, heard: '' };
  checker.set_grammar(grammar);
  checker.start();
  checker.process_audio(audio, false, true);
  checker.stop();
  const second = checker.get_text().trim().split(/\s+/).filter(Boolean);
  const secondWords = second.filter((w) => !isGarbageWord(w));
  const secondSlots = withoutTwoAfterStop(
    slots,
    { words: secondWords, slots: findSlots(secondWords, vocabulary) },
    (w) => checker.lookup_word(w),
  );
  const agree =
    second.length > 0 &&
    !second.some(isGarbageWord) &&
    slotSignature(secondSlots) === slotSignature(slots) &&
    (!questionRivals || samePrefix(words, second, slots, secondSlots));
  return { agree, checked: true, heard: second.join(' ') };
}

/**
 * The embedded recogniser: one decoder with the domain language model (or the hand grammar) and a
 * phone loop; with `confirm`, a second decoder re-decodes the money words of an utterance that has
 * any (see confidence.ts) and their agreement sets the confidence.
 */
/**
 * The second listen's decoder, one per WASM module and settings, shared by its recognisers. Why: it
 * is used only inside finish(), which runs to the end without yielding, so two recognisers on one
 * thread never need it at once; a decoder of its own cost every recogniser ~220 ms to make and its
 * own copy of the acoustic model. Deleted when the last recogniser using it is.
 */
export const sharedChecker = (() => {
  type Entry = { decoder: Promise<Decoder>; users: number; forget: () => void };
  const byModule = new WeakMap<SoundSwallowerModule, Map<string, Entry>>();
  /** Each loaded decoder's entry, so giving one back needs no search. */
  const entryOf = new WeakMap<Decoder, Entry>();
  return {
    take(ss: SoundSwallowerModule, o: RecogniserOptions): Promise<Decoder> {
      const settings = { ...o, decoder: { ...o.decoder, ...o.confirmDecoder } };
      const key = JSON.stringify(settings.decoder);
      let forModule = byModule.get(ss);
      if (!forModule) byModule.set(ss, (forModule = new Map()));
      let entry = forModule.get(key);
      if (!entry) {
        const decoder = newDecoder(ss, settings);
        const made: Entry = { decoder, users: 0, forget: () => forModule.delete(key) };
        // A decoder that failed to load is not kept: the next recogniser tries again.
        decoder.then((d) => entryOf.set(d, made), made.forget);
        forModule.set(key, (entry = made));
      }
      entry.users++;
      return entry.decoder;
    },
    give(checker: Decoder): void {
      const entry = entryOf.get(checker);
      if (!entry || --entry.users > 0) return;
      entry.forget();
      checker.delete();
    },
  };
})();

export async function createRecogniser(
  ss: SoundSwallowerModule,
  options: Partial<RecogniserOptions> = {},
  menuItems: readonly SpokenMenuItem[] = DEFAULT_BAR_MENU.items,
): Promise<Recogniser> {
  const o = { ...defaultRecogniserOptions, ...options };
  const decoder = await newDecoder(ss, o);
  setLanguage(ss, decoder, o, menuItems);
  const checker = o.confirm ? await sharedChecker.take(ss, o) : null;
  const knows = (w: string) => decoder.lookup_word(w) !== null;
  let model = domainModel(knows, o, menuItems);
  let { vocabulary } = model;
  const audio = new UtteranceAudio();
  let inUtterance = false;
  let items = menuItems;
  let context: ListeningContext = 'open';
  const answerOptions = {
    ...o,
    corpus: { ...o.corpus, answers: o.corpus.answers * o.answerBoost },
  };
  const listensForAnswers = o.language === 'lm' && o.answerBoost !== 1;
  // Built now (~1 s, once per process and menu), not when the first guest answers a read-back.
  if (listensForAnswers) domainModel(knows, answerOptions, items);
  /** The decoder's model for this context (setting it takes ~30 ms; between utterances only). */
  const listenFor = (next: ListeningContext) => {
    if (!listensForAnswers || next === context) return;
    context = next;
    setLanguage(ss, decoder, next === 'answer' ? answerOptions : o, items);
  };
  /** The result of a peek while nothing was written since: the decoder is stopped, the utterance is not over. */
  let peeked: Recognition | null = null;
  const start = (next: ListeningContext = 'open') => {
    if (inUtterance && !peeked) decoder.stop();
    peeked = null;
    listenFor(next);
    decoder.start();
    audio.clear();
    inUtterance = true;
  };
  const confirmed = (words: string[]) =>
    checker
      ? confirmSlots(
          checker,
          words,
          audio.samples,
          vocabulary,
          o.confirmGarbageWeight,
          o.confirmWordGarbageWeight,
          o.confirmQuestionFrames,
        )
      : { agree: true, checked: false };
  return {
    start,
    write(pcm) {
      if (!inUtterance) start();
      if (peeked) {
        // The guest went on after a peek: the utterance resumes where it was, heard from its start.
        peeked = null;
        decoder.start();
        decoder.process_audio(audio.samples, false, false);
      }
      decoder.process_audio(pcm, false, false);
      audio.append(pcm);
    },
    partial: () => (inUtterance ? cleanHypothesis(decoder.get_text()).text : ''),
    finish() {
      const result = peeked ?? (inUtterance ? decide() : null);
      peeked = null;
      inUtterance = false;
      return result ?? { text: '', confidence: 0, rejected: true };
    },
    peekFinish() {
      if (!inUtterance) return { text: '', confidence: 0, rejected: true };
      peeked ??= decide();
      return peeked;
    },
    setMenu(newItems) {
      if (inUtterance && !peeked) decoder.stop();
      peeked = null;
      inUtterance = false;
      items = newItems;
      if (listensForAnswers) domainModel(knows, answerOptions, items);
      setLanguage(ss, decoder, context === 'answer' ? answerOptions : o, items);
      model = domainModel(knows, o, items);
      vocabulary = model.vocabulary;
    },
    delete: () => {
      decoder.delete();
      if (checker) sharedChecker.give(checker);
    },
  };

  /**
   * The utterance heard again through `grammar`, garbage left out. It uses the first pass's decoder
   * (full frame rate: at the confirmation pass's half rate a forced drink fell out of the beam) and
   * gives it back its language model after (~30 ms; only on the paths that listen again).
   */
  function listenAgain(grammar: string | Fsg): string[] {
    if (typeof grammar === 'string') decoder.set_grammar(grammar);
    else setFsg(ss, decoder, grammar, o.languageWeight);
    decoder.start();
    // As a live utterance: after live decoding, a whole-utterance pass of this decoder heard nothing.
    decoder.process_audio(audio.samples, false, false);
    decoder.stop();
    const heard = wordsHeard(decoder);
    setLanguage(ss, decoder, context === 'answer' ? answerOptions : o, items);
    return heard;
  }

  /** The words with the drink a second listen found before their serving, if it found one. */
  function lostDrink(words: readonly string[]): string | undefined {
    const categoryOf = (drink: string) => items.find((i) => i.name === drink)?.category;
    const grammar = lostDrinkGrammar(words, vocabulary, GARBAGE_WORDS, categoryOf);
    if (!grammar) return undefined;
    const heard = listenAgain(grammar);
    return findSlots(heard, vocabulary).some((s) => s.kind === 'drink')
      ? heard.join(' ')
      : undefined;
  }

  /**
   * A whole yes or no heard where the first pass heard none (listenForAnswer), if one fits. It uses
   * the second listen's decoder when there is one: the whole utterance at once, with the utterance's
   * own cepstral mean, and the first pass's decoder and its running mean left as they were.
   */
  function lostAnswer(): string | undefined {
    const grammar = answerFsg(LISTENED_ANSWERS, knows, GARBAGE_WORDS, o.answerGarbage);
    if (!grammar) return undefined;
    if (!checker) return listenAgain(grammar).join(' ') || undefined;
    setFsg(ss, checker, grammar, o.languageWeight);
    checker.start();
    checker.process_audio(audio.samples, false, true);
    checker.stop();
    return wordsHeard(checker).join(' ') || undefined;
  }

  /**
   * Whether a result may be a lost answer: nothing heard, or words that neither answer (no word an
   * answer starts with) nor name a drink or a count.
   */
  function mayBeLostAnswer(r: Recognition): boolean {
    if (r.rejected || r.text === '') return true;
    const words = r.text.split(' ');
    return !words.some((w) => ANSWER_HEADS.has(w)) && findSlots(words, vocabulary).length === 0;
  }

  /** Stop the decoder and judge what it heard; asked a question, listen for a lost answer. */
  function decide(): Recognition {
    const heard = judge();
    if (context !== 'answer' || !o.listenForAnswer || !mayBeLostAnswer(heard)) return heard;
    const answer = lostAnswer();
    return answer ? { text: answer, confidence: o.confidences.answer, rejected: false } : heard;
  }

  /** Stop the decoder and judge what it heard: the first pass's result. */
  function judge(): Recognition {
    decoder.stop();
    const { text, garbageWords } = cleanHypothesis(decoder.get_text());
    const words = text ? text.split(' ') : [];
    const c = o.confidences;
    if (text === '') return { text, confidence: 0, rejected: true };
    if (garbageWords > o.maxGarbagePhonesPerWord * words.length) {
      // Much of it was not words of the bar. A drink the second listen still hears in the same
      // place among its rivals is read back (never charged at once); anything else is rejected.
      const rescued =
        o.rescueWithSecondListen &&
        findSlots(words, vocabulary).some((s) => s.kind === 'drink') &&
        confirmed(words).agree;
      return rescued
        ? { text, confidence: c.rescued, rejected: false }
        : { text, confidence: 0, rejected: true };
    }
    const rejected = false;
    const number = numberAgreement(words, vocabulary);
    const slots = findSlots(words, vocabulary);
    const mentionsDrink = slots.some((s) => s.kind === 'drink');
    const endsOnDrink = slots.some((s) => s.kind === 'drink' && s.at + s.length === words.length);
    const lost = !mentionsDrink && o.listenForLostDrink ? lostDrink(words) : undefined;
    if (lost) return { text: lost, confidence: c.lostDrink, rejected };
    // Doubts the words alone show come first: they need no second decoding (which costs 100–200 ms).
    const phonesOf = (w: string) => decoder.lookup_word(w);
    const checks: [Doubt, () => boolean][] = [
      ['numberDisagreement', () => number.disagrees],
      ['twoAfterStop', () => twoAfterStop(words, slots, phonesOf)],
      // The guest fell silent, yet the words cannot end there ("two mojitos another", "one brew
      // and one"): the decoder lost the end of the request, so what it kept is read back.
      ['cutShort', () => mentionsDrink && !endsOnDrink && soundsUnfinished(text)],
      [
        'unlikeOrder',
        () =>
          mentionsDrink &&
          (orderOdds(model, words) < o.minOrderOdds ||
            wordsUnlikeOrders(model, words) > o.maxWordsUnlikeOrders),
      ],
      [
        'unseenWordPairs',
        () => mentionsDrink && unseenWordPairs(model, words).length > o.maxUnseenWordPairs,
      ],
      ['disagreement', () => !confirmed(words).agree],
      ['withGarbage', () => garbageWords > 0],
    ];
    const doubts = o.explainDoubts
      ? checks.filter(([, holds]) => holds()).map(([d]) => d)
      : undefined;
    const doubt = doubts ? doubts[0] : checks.find(([, holds]) => holds())?.[0];
    const said = doubt === 'numberDisagreement' ? number.agreeing.join(' ') : text;
    // The reading worth offering if the guest says no: the one the doubt points to. (Not the second
    // listen's rival: with every count open it offered "eight Whiskey Sours" and "four IPAs" in
    // noise, first seen on the held-out run of the ninth session.)
    const other =
      doubt === 'numberDisagreement'
        ? text
        : doubt === 'twoAfterStop'
          ? withOneForTwoAfterStop(words, slots, phonesOf).join(' ')
          : undefined;
    return {
      text: said,
      confidence: doubt ? c[doubt] : c.agreed,
      rejected,
      ...(doubt && { doubt }),
      ...(doubts && { doubts }),
      ...(other && other !== said && { alternatives: [other] }),
    };
  }
}
