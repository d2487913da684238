/**
 * The confirm policy (issue 14 point 3, issue 15 point 5): when an order is charged at once and when
 * it is read back first ("Two IPAs — right?"), and what the guest's answer to a read-back means.
 *   - Typed turns and confident voice turns are charged at once and repeated back.
 *   - A voice turn is read back when the recogniser is unsure: confidence below 0.8 (or none from a
 *     grammar recogniser), an uncertain quantity word ("a" and "two" are the commonest confusion),
 *     alternatives that disagree about the order, or more drinks than a guest usually orders at once.
 *   - An order in words the understanding knows for no request ("i get a pint", a misheard "yeah
 *     I'll get a pint") is read back, typed or spoken, whatever the confidence.
 *   - A spoken count raised on the drink just ordered ("make it three") is read back as what it adds
 *     ("two more Tap Beers?") when doubted; a spoken correction with nothing ordered to correct ("I
 *     said two beers") is always read back: it is more likely a remark bent into an order.
 *   - To a read-back, a bare "yes" / "yeah" / "sure" / "right" charges; "no" charges nothing, unless
 *     the recogniser had another reading that orders something else ("two whiskeys" doubted as "a
 *     whiskey"): then Maya offers that once ("Sorry — one Whiskey, then?") and charges it on yes; a
 *     correction instead of yes ("no, three", "no, two IPAs") is the new order — charged at once, or
 *     read back again if it too was heard with doubt.
 *   - A spoken answer of a few words that mean nothing ("the lads" for a "yes" in noise) is asked
 *     again once ("Did you want two IPAs?") instead of dropping the question for small talk.
 *   - Questions ("how much is…", "do you have…", "is the mojito strong") are never orders here: the
 *     understanding gives them their own intents, so nothing in them can be charged or read back.
 *   - To "Did you mean the X or the Y?" (a `which` question), "the first" / "the second one" / "the
 *     other one" charges that drink; naming one is an order of its own; a bare "yes" asks again; "no"
 *     charges nothing.
 */
import { MAX_QUANTITY } from '../../shared/domain.ts';
import type { OrderItem, Pending } from '../domain/session.ts';
import { MAX_PENDING_ITEMS } from '../domain/session.ts';
import type { Intent } from './brain/intents.ts';
import { FOR_SOMEONE } from './brain/intents.ts';
import { NUMBER_PATTERN, parseNumber } from './brain/numbers.ts';
import { prepare } from './understanding/text.ts';

/** What the recogniser says about its own transcript (voice turns only). */
export interface RecogniserDoubts {
  source?: 'text' | 'voice';
  /** The recogniser's confidence in the final transcript, 0..1. */
  confidence?: number;
  /** A general (cloud) recogniser wrote the transcript: without a confidence it is not doubted. */
  openVocabulary?: boolean;
  /** Read orders back whatever the confidence (true), or never (false). */
  confirmOrders?: boolean;
  /** Parts of the transcript the recogniser is unsure of: "quantity" when a count word was close to another. */
  uncertainSlots?: readonly ('quantity' | 'item')[];
  /** Other transcripts the recogniser found nearly as likely (N-best), best first. */
  alternatives?: readonly string[];
}

/** A voice order recognised with less confidence than this is read back and charged only after a yes. */
export const VOICE_CONFIRM_BELOW_CONFIDENCE = 0.8;

/** More drinks than this in one spoken order is unusual enough to read back even when heard clearly. */
export const VOICE_PLAUSIBLE_MAX_DRINKS = 3;

/** The count words a recogniser most often confuses ("a" heard as "two"). */
const SMALL_COUNT_WORDS = /\b(a|an|one|two|to|too)\b/;

export function implausibleVoiceOrder(
  options: RecogniserDoubts,
  items: readonly { quantity: number }[],
): boolean {
  return (
    options.source === 'voice' &&
    options.confirmOrders !== false &&
    items.reduce((n, i) => n + i.quantity, 0) > VOICE_PLAUSIBLE_MAX_DRINKS
  );
}

/** Whether the transcript itself is doubted (before looking at what it asks for). */
export function needsConfirmation(options: RecogniserDoubts): boolean {
  if (options.confirmOrders !== undefined) return options.confirmOrders;
  if (options.source !== 'voice') return false;
  if (options.confidence !== undefined) return options.confidence < VOICE_CONFIRM_BELOW_CONFIDENCE;
  return options.openVocabulary !== true;
}

/** A drink and how it is served ("Martini(dirty,stirred)"), whatever order the modifiers came in. */
const servingKey = (i: OrderItem) => `${i.item}(${[...i.modifiers].sort().join(',')})`;

const orderKey = (items: readonly OrderItem[] | undefined) =>
  (items ?? [])
    .map((i) => `${i.quantity}×${servingKey(i)}`)
    .sort()
    .join(' ');

/**
 * Doubts about this particular order: an unsure count word, or another likely transcript that
 * would order something else.
 */
export function doubtedOrder(
  options: RecogniserDoubts,
  text: string,
  items: readonly OrderItem[],
  alternatives: readonly Intent[],
): boolean {
  if (options.source !== 'voice' || options.confirmOrders === false) return false;
  if (options.uncertainSlots?.includes('quantity') && SMALL_COUNT_WORDS.test(text.toLowerCase()))
    return true;
  if (options.uncertainSlots?.includes('item')) return true;
  const key = orderKey(items);
  return alternatives.some((alt) => orderKey(alt.kind === 'order' ? alt.items : undefined) !== key);
}

/**
 * "I said two beers" heard when nothing was ordered: a correction with nothing to correct is more
 * likely a remark the recogniser bent into words it knows ("I had two beers…") than an order.
 */
function correctsNothing(
  options: RecogniserDoubts,
  intent: Intent,
  lastAdded: readonly OrderItem[],
): boolean {
  return (
    options.source === 'voice' &&
    options.confirmOrders !== false &&
    (intent.kind === 'set_quantity' || (intent.kind === 'swap' && !intent.from)) &&
    lastAdded.length === 0
  );
}

/** A drink taken back in words heard by ear ("no beer, a water"): the "no" may be a filler misheard. */
const retractedByEar = (options: RecogniserDoubts, intent: Intent) =>
  options.source === 'voice' &&
  options.confirmOrders !== false &&
  (intent.kind === 'order' || intent.kind === 'swap') &&
  intent.retracted === true;

/** An order in words the understanding does not know as a request: read back, typed or spoken. */
const tentative = (intent: Intent) => intent.kind === 'order' && intent.tentative === true;

/** The drinks a turn would charge for, when they can be known before any tool runs. */
export function itemsToConfirm(
  intent: Intent,
  lastAdded: readonly OrderItem[],
  onTab?: readonly string[],
): { items: OrderItem[]; replaces?: string; more?: true } | undefined {
  let items: OrderItem[] | undefined;
  let replaces: string | undefined;
  if (intent.kind === 'order') items = merged(intent.items);
  if (intent.kind === 'set_quantity') {
    const raised = raisedCount(intent, lastAdded);
    if (raised && 'more' in raised)
      return raised.more.quantity >= 1 ? { items: [raised.more], more: true } : undefined;
    if (raised) ({ items, replaces } = raised);
  }
  if (intent.kind === 'repeat_round' && lastAdded.length) items = [...lastAdded];
  const only = new Set(lastAdded.map((l) => l.item));
  if (intent.kind === 'repeat_last' && only.size === 1)
    items = [{ ...lastAdded.at(-1)!, quantity: intent.quantity }];
  if (intent.kind === 'swap') {
    replaces = intent.from ?? lastAdded.at(-1)?.item;
    // A drink that is not on the tab is not replaced: the swap only orders ("no rum, a beer").
    if (replaces && onTab && !onTab.includes(replaces)) replaces = undefined;
    const count = lastAdded.filter((l) => l.item === replaces).reduce((n, l) => n + l.quantity, 0);
    items = [
      {
        item: intent.to.item,
        quantity: intent.to.quantity ?? (count || 1),
        modifiers: intent.to.modifiers,
      },
    ];
  }
  // Only what could be charged is confirmed; "thirty beers" goes to the brain, which says why not.
  if (
    !items ||
    items.length > MAX_PENDING_ITEMS ||
    !items.every(
      (i) => Number.isInteger(i.quantity) && i.quantity >= 1 && i.quantity <= MAX_QUANTITY,
    )
  )
    return undefined;
  return replaces && replaces !== items[0]?.item ? { items, replaces } : { items };
}

/** The same drink served the same way, said twice ("six beers … and a beer"), read back as one count. */
function merged(items: readonly OrderItem[]): OrderItem[] {
  const out: OrderItem[] = [];
  for (const i of items) {
    const same = out.find((o) => servingKey(o) === servingKey(i));
    if (same) same.quantity += i.quantity;
    else out.push({ ...i, modifiers: [...i.modifiers] });
  }
  return out;
}

/**
 * What a count correction would charge, judged from the last order as the brain's handler does:
 * "make it two" after one Tap Beer adds one more; "I meant two IPAs" after a lone Tap Beer swaps it;
 * "I said two beers" with nothing ordered is an order of two. Lowering a count charges nothing.
 */
function raisedCount(
  intent: Extract<Intent, { kind: 'set_quantity' }>,
  lastAdded: readonly OrderItem[],
): { more: OrderItem } | { items: OrderItem[]; replaces?: string } | undefined {
  const drinks = [...new Set(lastAdded.map((l) => l.item))];
  const item = intent.item ?? (drinks.length === 1 ? drinks[0] : undefined);
  if (!item) return undefined;
  const lines = lastAdded.filter((l) => l.item === item);
  const current = lines.reduce((n, l) => n + l.quantity, 0);
  const modifiers = lines.at(-1)?.modifiers ?? [];
  if (current > 0)
    return intent.quantity > current
      ? { more: { item, quantity: intent.quantity - current, modifiers } }
      : undefined;
  const ordered = [{ item, quantity: intent.quantity, modifiers: [] }];
  return drinks.length === 1 ? { items: ordered, replaces: drinks[0]! } : { items: ordered };
}

/**
 * Asked "two IPAs — right?", the guest said a few words that are neither an answer, nor an order or
 * correction, nor a question ("the lads", "us" — heard for a "yes" in bar noise): by voice that is
 * most likely the answer misheard, so Maya asks once more instead of dropping the question for small
 * talk. A longer remark or a question is answered as it is; typed, everything is.
 */
function unheardAnswer(
  pending: Pending,
  intent: Intent,
  options: RecogniserDoubts,
  text: string,
): boolean {
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  return (
    options.source === 'voice' &&
    pending.kind !== 'offer' &&
    !pending.reasked &&
    intent.kind === 'small_talk' &&
    words.length <= MAX_MISHEARD_ANSWER_WORDS &&
    !QUESTION_START.test(words[0] ?? '')
  );
}
/** An answer misheard is short: "yes please" → "the lads", "yeah" → "us". */
const MAX_MISHEARD_ANSWER_WORDS = 3;
const QUESTION_START =
  /^(what|what's|when|where|who|why|how|how's|which|do|does|did|is|are|can|could|would|will|have|has)$/;

export type ConfirmStep =
  /** A yes to a read-back or an offer: charge what was pending. */
  | { kind: 'confirmed'; pending: Pending }
  /** A no to a read-back or an offer: charge nothing. */
  | { kind: 'declined'; pending: Pending }
  /** Read this order back and charge it only on yes. */
  | { kind: 'read_back'; pending: Pending }
  /** The guest asked for a moment: the question stays open, nothing is charged. */
  | { kind: 'waiting'; pending: Pending }
  /** Nothing to confirm: answer the (possibly rewritten) intent. */
  | { kind: 'answer'; intent: Intent };

export interface ConfirmInput {
  intent: Intent;
  pending: Pending | null;
  options: RecogniserDoubts;
  lastAdded: readonly OrderItem[];
  /** The drinks on the tab now (a swap read back replaces only one of them). */
  onTab?: readonly string[];
  /** The transcript as heard. */
  text: string;
  /** What the recogniser's alternative transcripts would mean. */
  alternatives?: readonly Intent[];
}

/**
 * A correction given instead of yes to a read-back ("no, three"; "make it two"), or a count given to
 * an offer ("how much are two mojitos?" — "just one"): the pending order with the new count, as an
 * order intent of its own.
 */
function correctedReadBack(pending: Pending, intent: Intent): Intent | undefined {
  if (intent.kind !== 'set_quantity') return undefined;
  const items = new Set(pending.items.map((i) => i.item));
  const target = intent.item ?? (items.size === 1 ? pending.items[0]!.item : undefined);
  if (!target || !items.has(target)) return undefined;
  const lines = pending.items.filter((i) => i.item === target);
  const rest = pending.items.filter((i) => i.item !== target);
  const corrected: OrderItem[] = [
    ...rest,
    { item: target, quantity: intent.quantity, modifiers: lines.at(-1)?.modifiers ?? [] },
  ];
  if (pending.replaces)
    return {
      kind: 'swap',
      to: { item: target, quantity: intent.quantity, modifiers: lines.at(-1)?.modifiers ?? [] },
      from: pending.replaces,
    };
  return { kind: 'order', items: corrected };
}

/** Which option of a `which` question the guest chose by position ("the second one", "the latter"), if any. */
export function chosenOption(text: string, count: number): number | undefined {
  const t = text.toLowerCase();
  if (/\b(first|1st|former)\b/.test(t)) return 0;
  if (/\b(second|2nd)\b/.test(t) && count >= 2) return 1;
  if (/\b(third|3rd)\b/.test(t) && count >= 3) return 2;
  if (/\b(latter|last one|other one|the other)\b/.test(t)) return count - 1;
  return undefined;
}

function answerToWhich(pending: Pending, intent: Intent, text: string): ConfirmStep | undefined {
  const chosen = chosenOption(text, pending.items.length);
  if (chosen !== undefined)
    return {
      kind: 'confirmed',
      pending: { kind: 'confirm_order', items: [pending.items[chosen]!] },
    };
  if (intent.kind === 'yes') return { kind: 'read_back', pending };
  return undefined;
}

/**
 * Words that take what Maya offered or talked about without naming it: "I'll have one", "ok, give
 * me two", "great, one please", "two of those", "I'll take it", "yes please". Group 1: the count.
 */
const TAKES_OFFER = new RegExp(
  '^(?:(?:ok|okay|great|sure|yes|yeah|yep|cool|nice|perfect|alright|lovely|sounds (?:good|great|nice|lovely)|' +
    'that sounds (?:good|great|nice|lovely)|in that case|then|so|well|oh|mm|hmm) )*' +
    '(?:(?:i ll|i will|we ll|we will|i d|we d|let me|let s|can i|could i|may i|can we|could we|i want|i d like|we d like) )?' +
    '(?:(?:have|take|get|try|do|grab|go with|go for|like|give) |(?:give|get|bring|pour|make) (?:me|us) )?' +
    `(?:${NUMBER_PATTERN}(?: of (?:them|those|these|that|it|em))?|it|that|that one|them|those|one of (?:them|those|these)|please)` +
    // "…, then", "… for the kids", "… a try" ("i'll give it a try", "let's give that a go").
    `(?: (?:please|then|thanks|thank you|too|as well|for ${FOR_SOMEONE}|a (?:try|go|shot|whirl)))*$`,
);

/**
 * The offer's drinks as the guest took them, with the count they said (one drink offered), or
 * undefined when their words do not take it. A bare "yes" is not taking here: it confirms an offer
 * as it stands.
 */
function takenFromOffer(pending: Pending, text: string, intent: Intent): OrderItem[] | undefined {
  const t = prepare(text).words.join(' ');
  const m = t.match(TAKES_OFFER);
  // Typed words that agree first in a clause of their own ("ok I'm in, one please", "sold! two of
  // those"): the last clause takes it, when nothing in the words asks, names or does anything else.
  const clauses = text.split(/[,.;!?]+|\s[-–—]+\s/).filter((c) => c.trim());
  const lastClause = clauses.at(-1);
  if (
    !m &&
    lastClause &&
    clauses.length > 1 &&
    (intent.kind === 'small_talk' || intent.kind === 'yes') &&
    !text.slice(0, text.lastIndexOf(lastClause)).includes('?')
  )
    return takenFromOffer(pending, lastClause, intent);
  if (!m || /^(yes|yeah|yep|sure|ok|okay)$/.test(t)) return undefined;
  // A pronoun alone ("that", "it") is not taking anything: a recogniser makes "that" of a cough.
  if (
    m[1] === undefined &&
    !/\b(have|take|get|try|do|grab|go|like|give|bring|pour|make|please)\b/.test(t)
  )
    return undefined;
  const count = m[1] ? parseNumber(m[1]) : undefined;
  if (count === undefined) return pending.items;
  if (pending.items.length !== 1 || count < 1 || count > MAX_QUANTITY) return undefined;
  return [{ ...pending.items[0]!, quantity: count }];
}

/** A choice among an offer's drinks is said in a few words ("the first one sounds nice"). */
const MAX_CHOICE_WORDS = 8;

export function confirmStep({
  intent,
  pending,
  options,
  lastAdded,
  onTab,
  text,
  alternatives = [],
}: ConfirmInput): ConfirmStep {
  if (pending?.kind === 'which') {
    const answered = answerToWhich(pending, intent, text);
    if (answered) return answered;
    if (intent.kind === 'no' || intent.kind === 'cancel_last') return { kind: 'declined', pending };
    pending = null;
  }
  // An offer taken in words ("I'll have two", "the second one sounds nice") is an order of its own,
  // read back like any other when it was heard with doubts.
  let taken: Intent | undefined;
  if (pending?.kind === 'offer') {
    const chosen =
      pending.choices && text.split(/\s+/).length <= MAX_CHOICE_WORDS
        ? chosenOption(text, pending.choices.length)
        : undefined;
    const items =
      chosen !== undefined ? [pending.choices![chosen]!] : takenFromOffer(pending, text, intent);
    if (items) taken = { kind: 'order', items };
    // A drink only talked about asked nothing: any other words are answered as they are.
    else if (pending.onlyTalkedAbout) pending = null;
  }
  if (pending && intent.kind === 'yes') return { kind: 'confirmed', pending };
  // "Hang on, let me think" to "two IPAs — right?": the question stays open.
  if (pending && intent.kind === 'wait') return { kind: 'waiting', pending };
  if (pending && unheardAnswer(pending, intent, options, text))
    return { kind: 'read_back', pending: { ...pending, reasked: true } };
  if (pending && (intent.kind === 'no' || intent.kind === 'cancel_last')) {
    const other = pending.kind === 'confirm_order' ? pending.otherReading : undefined;
    return other
      ? {
          kind: 'read_back',
          pending: { kind: 'confirm_order', items: other, isOtherReading: true },
        }
      : { kind: 'declined', pending };
  }
  const corrected = taken ?? (pending ? correctedReadBack(pending, intent) : undefined);
  // "yes, one" to "one Martini?" is a yes.
  if (
    pending &&
    corrected?.kind === 'order' &&
    !pending.replaces &&
    orderKey(corrected.items) === orderKey(pending.items)
  )
    return { kind: 'confirmed', pending };
  const next = corrected ?? intent;
  const charge = itemsToConfirm(next, lastAdded, onTab);
  if (
    charge &&
    (tentative(next) ||
      retractedByEar(options, next) ||
      needsConfirmation(options) ||
      implausibleVoiceOrder(options, charge.items) ||
      doubtedOrder(options, text, charge.items, alternatives) ||
      correctsNothing(options, next, lastAdded))
  ) {
    const otherReading = charge.replaces || charge.more ? undefined : otherOrder(charge.items);
    return {
      kind: 'read_back',
      pending: { kind: 'confirm_order', ...charge, ...(otherReading && { otherReading }) },
    };
  }
  return { kind: 'answer', intent: next };

  /** The first alternative transcript that orders something other than `items`, as its drinks. */
  function otherOrder(items: readonly OrderItem[]): OrderItem[] | undefined {
    for (const alt of alternatives) {
      if (alt.kind !== 'order') continue;
      const other = itemsToConfirm(alt, lastAdded, onTab);
      if (other && !other.replaces && orderKey(other.items) !== orderKey(items)) return other.items;
    }
    return undefined;
  }
}
