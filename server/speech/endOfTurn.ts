/**
 * End of turn by meaning, not by silence alone: when the endpointer hears a pause, the running
 * hypothesis decides how long to wait. A request that reads as complete ("two beers please") ends
 * at once; one that cannot end where it stopped ("I'd like a…", "a mojito and…", "can I get")
 * waits a little longer for the rest, so a guest who pauses to think is not cut off mid-order.
 *
 * The test is grammatical rather than a list of phrases: English requests do not end on a
 * determiner, a conjunction, a preposition, a hesitation, or a verb still waiting for its object;
 * and a guest who says they are thinking ("let me see") is not done either.
 */
import { endsThinkingAloud } from '../conversation/brain/stall.ts';

export const defaultEndOfTurnOptions = {
  /** Extra wait after the endpointer's pause when the hypothesis is unfinished. */
  unfinishedHoldMs: 900,
};
export type EndOfTurnOptions = typeof defaultEndOfTurnOptions;

/** Verbs of wanting, open while their object is still to come (a question may have asked it first). */
const VERBS_WAITING = new Set([
  'like',
  'have',
  'get',
  'take',
  'want',
  'need',
  'order',
  'try',
  'grab',
  'give',
  'bring',
  'make',
  'add',
  'remove',
  'cancel',
  'swap',
  'change',
]);

/** Words after which a request cannot be over. */
const OPEN_ENDED = new Set([
  // determiners and quantifiers waiting for their noun
  'a',
  'an',
  'the',
  'some',
  'another',
  'my',
  'your',
  'our',
  'his',
  'her',
  'their',
  'this',
  'that',
  'these',
  'those',
  'any',
  'couple',
  // containers waiting for "of …" ("a pint" and "another round" are orders on their own here)
  'glass',
  'bottle',
  'shot',
  // conjunctions and prepositions waiting for what follows
  'and',
  'or',
  'plus',
  'with',
  'on',
  'of',
  'for',
  'to',
  'but',
  'then',
  'also',
  'instead',
  // verbs of wanting still waiting for their object
  ...VERBS_WAITING,
  // hesitations
  'um',
  'uh',
  'er',
  'erm',
  'hmm',
  'mm',
]);

const FILLERS = new Set([
  'um',
  'uh',
  'er',
  'erm',
  'so',
  'and',
  'okay',
  'ok',
  'well',
  'hmm',
  'right',
  'oh',
]);
/** Words that lead on to what comes next when nothing but fillers came before them. */
const LEADS_ON = new Set(['so', 'well', 'and']);
const SUBJECTS = new Set(['i', 'we', 'you', 'he', 'she', 'they', "i'd", "i'll", "we'd", "we'll"]);

/** Starts with "what" or "which" and a word that is no subject: the object was asked first. */
function objectFronted(words: readonly string[]): boolean {
  const k = words.findIndex((w) => !FILLERS.has(w));
  // "what's the strongest drink you have": the contraction is the question's own verb.
  if (k >= 0 && /^what'/.test(words[k]!)) return k + 2 < words.length;
  if (k < 0 || (words[k] !== 'what' && words[k] !== 'which')) return false;
  const next = words[k + 1];
  return next !== undefined && !SUBJECTS.has(next) && k + 2 < words.length;
}

/** Quantity words: open-ended unless they answer "make it …" ("make it two" is complete). */
const QUANTITIES = new Set([
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
]);
const TAKES_BARE_QUANTITY = new Set(['it', 'that', 'them', 'those']);

/** Would a listener wait for more after this hypothesis? Empty means nothing to wait for. */
export function soundsUnfinished(hypothesis: string): boolean {
  // "um, let me think": the guest said more is coming.
  if (endsThinkingAloud(hypothesis)) return true;
  const words = hypothesis
    .toLowerCase()
    .replace(/[^a-z' ]+/g, ' ')
    .split(' ')
    .filter(Boolean);
  const last = words.at(-1);
  if (last === undefined) return false;
  // "which wine would you take", "what's the strongest drink you have", "what can i get": a
  // question whose object came first ends on its verb. ("what i'd like", a subject straight after
  // "what", still waits for what it is.)
  if (VERBS_WAITING.has(last) && objectFronted(words)) return false;
  // "um so", "okay so", "well": only the run-up to a request ("okay" alone is an answer).
  if (LEADS_ON.has(last) && words.every((w) => FILLERS.has(w))) return true;
  if (OPEN_ENDED.has(last)) {
    // "… for me", "… that's all" style endings are complete: only the bare word is open.
    return (
      !(last === 'that' && words.at(-2) === 'cancel') &&
      !(last === 'this' && words.at(-2) === 'cancel')
    );
  }
  if (QUANTITIES.has(last)) return !TAKES_BARE_QUANTITY.has(words.at(-2) ?? '');
  return false;
}
