/**
 * Confidence for one utterance, from a second look at the money words.
 *
 * Why: pocketsphinx's posterior is always 1 with a grammar, and the language model that makes open
 * phrasing work also pulls ambiguous small words towards what guests usually say ("a" ↔ "two").
 * So after the first pass, the words that decide a charge (quantities, drink names, tip percents)
 * are re-decoded on the same audio with a tiny grammar: the first pass's words, each slot opened to
 * all its rivals with equal weight, plus a phone loop. If the acoustics alone pick the same slot
 * values, the order is trusted; if they pick another value, or nothing, it is read back first.
 *
 * Pure text here (which words are slots, the confirmation grammar, agreement); the decoding is in
 * recogniser.ts.
 */
import { findMenuItem } from '../../../shared/menu.ts';
import { parseNumber } from '../../conversation/brain/numbers.ts';
import type { RecogniserVocabulary } from './corpus.ts';
import type { Fsg, FsgArc } from './languageModel.ts';

/**
 * Quantity words a guest says before a drink that the second listen weighs against each other, with
 * their value as the brain reads them ("the" is one, as in "the ipa": the brain treats it as no count).
 */
export const QUANTITY_VALUES: Readonly<Record<string, number>> = Object.fromEntries(
  [
    'a',
    'an',
    'one',
    'the',
    'another',
    'two',
    'three',
    'four',
    'five',
    'six',
    'seven',
    'eight',
    'nine',
    'ten',
  ].map((w) => [w, parseNumber(w) ?? 1]),
);
/** Tip percents as said (a tip is money too). */
export const PERCENT_WORDS = [
  'five',
  'ten',
  'twelve',
  'fifteen',
  'eighteen',
  'twenty',
  'twenty five',
  'thirty',
] as const;

/**
 * How questions about a drink begin. In the confirmation pass the words before the first slot may
 * also be one of these: if the acoustics prefer "do you have" to the "we'll have" the language model
 * heard, the order is not trusted (a price question must never become a charge).
 */
export const QUESTION_FRAMES = [
  'do you have',
  'do you have any',
  'do you have a',
  'how much is',
  'how much is a',
  'how much is the',
  'how much are',
  'how much are the',
  'is the',
  'is a',
  "what's in",
  "what's in a",
  "what's in the",
  'what is in',
  'what is in a',
  'what is the',
  "what's the",
  'do you do',
  'do you serve',
  'can you make',
  'is there',
  'how strong is the',
  'what about',
  'what about the',
] as const;

export type SlotKind = 'quantity' | 'drink' | 'percent';
export interface Slot {
  kind: SlotKind;
  /** Index of the first token and how many tokens it spans. */
  at: number;
  length: number;
  /** What it means: a number, or the menu item's name. */
  value: string;
}

const drinkValue = (form: string) => findMenuItem(form)?.name ?? form;

/** Every drink form (singular and plural) as words, longest first; built once per vocabulary. */
const formsByVocabulary = new WeakMap<RecogniserVocabulary, string[][]>();
function drinkForms(vocab: RecogniserVocabulary): string[][] {
  let forms = formsByVocabulary.get(vocab);
  if (!forms) {
    forms = [...new Set([...vocab.drinks, ...vocab.drinkPlurals])]
      .map((f) => f.split(' '))
      .sort((a, b) => b.length - a.length);
    formsByVocabulary.set(vocab, forms);
  }
  return forms;
}

/** The longest drink form that starts at word i, as words, if any. */
function drinkFormAt(
  words: readonly string[],
  i: number,
  vocab: RecogniserVocabulary,
): string[] | undefined {
  return drinkForms(vocab).find((f) => f.every((w, k) => words[i + k] === w));
}

/**
 * The slots of a hypothesis: drink names (longest form first), the quantity word right before a
 * drink (or before "more"/"glasses of"...), and the number before "percent".
 */
export function findSlots(words: readonly string[], vocab: RecogniserVocabulary): Slot[] {
  const slots: Slot[] = [];
  for (let i = 0; i < words.length; i++) {
    const form = drinkFormAt(words, i, vocab);
    if (form) {
      slots.push({ kind: 'drink', at: i, length: form.length, value: drinkValue(form.join(' ')) });
      i += form.length - 1;
      continue;
    }
    if (words[i + 1] === 'percent') {
      const two = `${words[i - 1]} ${words[i]}`;
      if (i > 0 && (PERCENT_WORDS as readonly string[]).includes(two))
        slots.push({ kind: 'percent', at: i - 1, length: 2, value: two });
      else if ((PERCENT_WORDS as readonly string[]).includes(words[i]!))
        slots.push({ kind: 'percent', at: i, length: 1, value: words[i]! });
    }
  }
  // Quantities: the quantity word closest before each drink, within three words ("two glasses of", "a double").
  for (const d of slots.filter((s) => s.kind === 'drink')) {
    for (let j = d.at - 1; j >= Math.max(0, d.at - 3); j--) {
      const v = QUANTITY_VALUES[words[j]!];
      if (v !== undefined) {
        slots.push({ kind: 'quantity', at: j, length: 1, value: String(v) });
        break;
      }
      if (slots.some((s) => s.kind === 'drink' && s.at <= j && j < s.at + s.length)) break;
    }
  }
  return slots.sort((a, b) => a.at - b.at);
}

/**
 * A count that disagrees with its drink's number: "two brandy", "a mojitos". English agrees them,
 * so one of the two words was misheard, and the short count word ("a" ↔ "two") is the likelier
 * one: the order is read back. Only the drink the count is about counts: the next drink within two
 * words, with no "of"/"and"/"or" between ("two perfect manhattan" disagrees; "a couple of beers"
 * agrees). A plural with no count at all ("tequilas on the rocks") is doubted too: the count word
 * was lost, and "one" would be a guess. `agreeing` is the sentence with a plural count before a singular drink made "a": the
 * reading the read-back offers, since the drink's ending is heard more surely than the count.
 */
export function numberAgreement(
  words: readonly string[],
  vocab: RecogniserVocabulary,
): { disagrees: boolean; agreeing: string[] } {
  const singular = new Set(vocab.drinks);
  const plural = new Set(vocab.drinkPlurals);
  const formAt = (i: number) => drinkFormAt(words, i, vocab)?.join(' ');
  const agreeing = [...words];
  let disagrees = false;
  // A plural with no count before it ("tequilas on the rocks"): the count was lost, not "one".
  for (let j = 0; j < words.length; j++) {
    const form = formAt(j);
    if (form === undefined) continue;
    if (
      plural.has(form) &&
      !singular.has(form) &&
      !words
        .slice(Math.max(0, j - 3), j)
        .some((w) => QUANTITY_VALUES[w] !== undefined || PLURAL_COUNTS.has(w))
    )
      disagrees = true;
    j += form.split(' ').length - 1;
  }
  for (let i = 0; i < words.length; i++) {
    const count = QUANTITY_VALUES[words[i]!];
    if (count === undefined || words[i] === 'the') continue;
    for (let j = i + 1; j <= i + 3 && j < words.length; j++) {
      const form = formAt(j);
      if (form !== undefined) {
        if (count > 1 && singular.has(form) && !plural.has(form)) {
          disagrees = true;
          agreeing[i] = /^[aeiou]/.test(words[i + 1]!) ? 'an' : 'a';
        }
        if (count === 1 && plural.has(form) && !singular.has(form)) disagrees = true;
        break;
      }
      if (BETWEEN_COUNT_AND_DRINK_STOPS.has(words[j]!) || QUANTITY_VALUES[words[j]!] !== undefined)
        break;
    }
  }
  return { disagrees, agreeing };
}
export const numberDisagreement = (
  words: readonly string[],
  vocab: RecogniserVocabulary,
): boolean => numberAgreement(words, vocab).disagrees;
/** Words that count a plural without a number: "some beers", "a couple of", "a few", "both". */
const PLURAL_COUNTS = new Set([
  'some',
  'couple',
  'few',
  'both',
  'all',
  'round',
  'more',
  'these',
  'those',
  'them',
  'any',
  'many',
  'our',
  'my',
  'their',
]);
const BETWEEN_COUNT_AND_DRINK_STOPS = new Set(['of', 'and', 'or', 'plus', 'with', 'more']);

/**
 * A "two" right after a word that ends in a t or d sound ("get two", "want two", "and two"): the
 * release of that stop followed by a short "a" sounds like "two", and the acoustic model prefers it
 * (measured: "can I get a beer" is re-decoded "can i get two beer" even with every count equally
 * likely). So such a two is never trusted without asking. `phonesOf` gives a word's pronunciation.
 */
export function twoAfterStop(
  words: readonly string[],
  slots: readonly Slot[],
  phonesOf: PhonesOf,
): boolean {
  return slots.some((s) => isTwoAfterStop(words, s, phonesOf));
}
type PhonesOf = (word: string) => string | null | undefined;
const isTwoAfterStop = (words: readonly string[], s: Slot, phonesOf: PhonesOf) =>
  s.kind === 'quantity' &&
  s.value === '2' &&
  s.at > 0 &&
  /(^|\s)[TD]$/.test(phonesOf(words[s.at - 1]!)?.trim() ?? '');

/**
 * The sentence with every doubted "two" (see twoAfterStop) heard as "a": "could i get two whiskeys"
 * → "could i get a whiskeys". The likelier reading when the guest says no to "two Whiskeys?" (the
 * understanding takes "a whiskeys" as one Whiskey).
 */
export function withOneForTwoAfterStop(
  words: readonly string[],
  slots: readonly Slot[],
  phonesOf: PhonesOf,
): string[] {
  const out = [...words];
  for (const s of slots)
    if (isTwoAfterStop(words, s, phonesOf))
      out[s.at] = /^[aeiou]/.test(words[s.at + 1] ?? '') ? 'an' : 'a';
  return out;
}

/**
 * The confirmation pass's slots, with that bias taken out: where the first pass heard "a" and the
 * second "two" right after a stop, the second listen is not evidence against the first.
 */
export function withoutTwoAfterStop(
  first: readonly Slot[],
  second: { words: readonly string[]; slots: readonly Slot[] },
  phonesOf: PhonesOf,
): Slot[] {
  if (first.length !== second.slots.length) return [...second.slots];
  return second.slots.map((s, k) =>
    first[k]!.kind === 'quantity' &&
    first[k]!.value === '1' &&
    isTwoAfterStop(second.words, s, phonesOf)
      ? { ...s, value: '1' }
      : s,
  );
}

/** The slot values in order, e.g. "2 Tap Beer | 1 Margarita | 15" — what a charge depends on. */
export function slotSignature(slots: readonly Slot[]): string {
  return slots.map((s) => s.value).join(' | ');
}

/**
 * The confirmation grammar (JSGF): the hypothesis with each slot replaced by all its rivals and a
 * phone loop (`garbage`), other words as heard. Returns null when there is no slot to confirm.
 */
export function confirmationGrammar(
  words: readonly string[],
  slots: readonly Slot[],
  vocab: RecogniserVocabulary,
  garbageWords: readonly string[],
  garbageWeight: number,
  wordGarbageWeight = 0,
  questionRivals = false,
): string | null {
  if (!slots.length) return null;
  // Every other word may also be checked against the phone loop: a word the audio fits worse than
  // free phones (weighted) was guessed by the language model ("we'll have" for "do you have").
  const quote = (word: string) =>
    wordGarbageWeight > 0 ? `(/1/ ${word} | /${wordGarbageWeight}/ <garbage>)` : word;
  const parts: string[] = [];
  let i = 0;
  for (const s of slots) {
    for (; i < s.at; i++) parts.push(quote(words[i]!));
    const rivals =
      s.kind === 'drink'
        ? [...new Set([...vocab.drinks, ...vocab.drinkPlurals])]
        : s.kind === 'quantity'
          ? Object.keys(QUANTITY_VALUES)
          : [...PERCENT_WORDS];
    // Only a drink may also be "something else" (the phone loop): a short quantity word loses to free
    // phones too easily (measured: "i'd like a margarita" cut by the endpointer), so its rivals are words.
    parts.push(
      `(/1/ ${rivals.join(' | /1/ ')}${s.kind === 'drink' ? ` | /${garbageWeight}/ <garbage>` : ''})`,
    );
    i = s.at + s.length;
  }
  for (; i < words.length; i++) parts.push(quote(words[i]!));
  const firstSlot = slots[0]!.at;
  const prefix = words.slice(0, firstSlot).join(' ');
  if (questionRivals && !(QUESTION_FRAMES as readonly string[]).includes(prefix)) {
    const frames = QUESTION_FRAMES.filter((f) => f !== prefix);
    // The heard prefix (possibly empty) against every question frame, as one alternative.
    parts.splice(
      0,
      firstSlot,
      `(/1/ ${prefix ? `(${parts.slice(0, firstSlot).join(' ')})` : '<NULL>'} | /${(1 / frames.length).toPrecision(3)}/ (${frames.join(' | ')}))`,
    );
  }
  return `#JSGF V1.0;\ngrammar confirm;\npublic <utt> = ${parts.join(' ')};\n<garbage> = (${garbageWords.join(' | ')})+;\n`;
}

/**
 * How a drink is served after its name, by the word that gives it away ("rocks" → "on the rocks"),
 * and the menu categories served so (a lost drink is listened for among those only).
 */
const SERVINGS_AFTER_DRINK: Readonly<Record<string, { says: string; categories: string[] }>> = {
  rocks: { says: 'on the rocks', categories: ['spirits'] },
  neat: { says: 'neat', categories: ['spirits'] },
  chaser: { says: 'with a chaser', categories: ['spirits'] },
  stirred: { says: 'stirred', categories: ['cocktails'] },
  shaken: { says: 'shaken', categories: ['cocktails'] },
};
/** Words a lost drink's serving may start this late at, or be followed by at most. */
const MAX_WORDS_BEFORE_SERVING = 4;
const MAX_WORDS_AFTER_SERVING = 3;

/**
 * A serving with no drink before it ("wrong on the rocks please", "the rocks please"): the guest
 * named a drink and the decoder lost it (a short spirit name at the start is the commonest loss,
 * bench:ears tune split). The grammar listens for a drink there: the words up to the serving become
 * a drink, the serving and what follows stay as heard; a phone loop may come before the drink and
 * after it (without the second, the forced path often fell out of the first pass's narrow beams). Null
 * when the words are not such a serving near the start of a short sentence, or name a drink already.
 */
export function lostDrinkGrammar(
  words: readonly string[],
  vocab: RecogniserVocabulary,
  garbageWords: readonly string[],
  categoryOf: (drink: string) => string | undefined,
): string | null {
  if (findSlots(words, vocab).some((s) => s.kind === 'drink')) return null;
  const cue = words.findIndex((w) => SERVINGS_AFTER_DRINK[w] !== undefined);
  if (cue < 0 || cue > MAX_WORDS_BEFORE_SERVING || words.length - cue - 1 > MAX_WORDS_AFTER_SERVING)
    return null;
  if ((QUESTION_START_WORDS as readonly string[]).includes(words[0]!)) return null;
  const serving = SERVINGS_AFTER_DRINK[words[cue]!]!;
  const drinks = [...new Set(vocab.drinks)].filter((form) => {
    const drink = findSlots(form.split(' '), vocab).find((s) => s.kind === 'drink')?.value;
    return drink !== undefined && serving.categories.includes(categoryOf(drink) ?? '');
  });
  if (!drinks.length) return null;
  const after = words.slice(cue + 1).join(' ');
  return `#JSGF V1.0;\ngrammar lost;\npublic <utt> = [<garbage>] [a | an | one] (${drinks.join(' | ')}) [<garbage>] ${serving.says}${after ? ` ${after}` : ''};\n<garbage> = (${garbageWords.join(' | ')})+;\n`;
}
/**
 * The answer grammar (an FSG): one whole answer to a read-back ("yeah", "no thanks") against the
 * utterance as free phones. An answer wins only where the audio fits it better than any run of
 * phones, each phone paying `phoneScore` (a probability-like cost, not divided among the phones): a
 * likelihood-ratio test among a few dozen phrases, where in the open model a short "yeah" in noise
 * loses to the phone loop or to one of its thousands of sentences ("that"). (In JSGF the loop costs
 * nothing per phone, and free phones always fit best.) Null when no answer is pronounceable.
 */
export function answerFsg(
  answers: readonly string[],
  knows: (word: string) => boolean,
  garbageWords: readonly string[],
  { garbagePrior, phoneScore }: { garbagePrior: number; phoneScore: number },
): Fsg | null {
  const sayable = [...new Set(answers)].filter((a) => a.split(' ').every(knows));
  if (!sayable.length || !garbageWords.length) return null;
  const START = 0;
  const FINAL = 1;
  const GARBAGE = 2;
  let states = 3;
  const arcs: FsgArc[] = [];
  const answerProb = (1 - garbagePrior) / sayable.length;
  for (const answer of sayable) {
    const words = answer.split(' ');
    let from = START;
    words.forEach((word, i) => {
      const to = i === words.length - 1 ? FINAL : states++;
      arcs.push({ from, to, prob: i === 0 ? answerProb : 1, word });
      from = to;
    });
  }
  for (const g of garbageWords) {
    arcs.push({ from: START, to: GARBAGE, prob: garbagePrior * phoneScore, word: g });
    arcs.push({ from: GARBAGE, to: GARBAGE, prob: phoneScore, word: g });
  }
  arcs.push({ from: GARBAGE, to: FINAL, prob: 1, word: null });
  return { stateCount: states, start: START, final: FINAL, arcs };
}

/** A sentence starting so asks something; a lost drink is not listened for in it. */
const QUESTION_START_WORDS = [
  'what',
  'how',
  'do',
  'does',
  'is',
  'are',
  'which',
  'why',
  'who',
] as const;

/** Whether the confirmation pass heard the same frame: the words before the first slot. */
export function samePrefix(
  first: readonly string[],
  second: readonly string[],
  firstSlots: readonly Slot[],
  secondSlots: readonly Slot[],
): boolean {
  const a = first.slice(0, firstSlots[0]?.at ?? first.length).join(' ');
  const b = second.slice(0, secondSlots[0]?.at ?? second.length).join(' ');
  return a === b;
}
