import { MENU } from '../../shared/menu.ts';
/**
 * Pure scoring of the ears bench: one guest's outcome → a verdict, and verdicts → a row of figures.
 * Kept apart from the websocket driver so it can be unit-tested.
 */
import type { EarsItem, Split } from './set.ts';

export interface HeardLine {
  item: string;
  quantity: number;
  modifiers: readonly string[];
}

/** How one guest's visit ended. */
export interface Outcome {
  /** Tab change from the start of the visit, in cents. */
  tabCents: number;
  lines: readonly HeardLine[];
  /** Maya asked back (a question with no charge) and the guest answered. */
  readBack: boolean;
}

export type Verdict =
  | 'right' // an order charged exactly as expected, straight away
  | 'read_back' // an order charged exactly as expected after Maya read it back and the guest said yes
  | 'wrong' // a charge that differs from the expected one (other item, quantity, modifier or price)
  | 'not_charged' // an order that reached no tab
  | 'no_charge' // a remark that, rightly, charged nothing
  | 'false_charge'; // a remark that charged something

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');

/** Heard lines equal the expected ones: same items and total quantities; modifiers judged where expected. */
export function linesMatch(
  expected: EarsItem['expect']['lines'],
  heard: readonly HeardLine[],
): boolean {
  const want = new Map<string, { quantity: number; modifiers?: readonly string[] }>();
  for (const l of expected) {
    const w = want.get(l.item);
    want.set(l.item, {
      quantity: (w?.quantity ?? 0) + l.quantity,
      ...(l.modifiers && { modifiers: l.modifiers }),
    });
  }
  const got = new Map<string, number>();
  for (const l of heard) {
    const w = want.get(l.item);
    if (!w) return false;
    if (w.modifiers && !sameSet(w.modifiers, l.modifiers)) return false;
    got.set(l.item, (got.get(l.item) ?? 0) + l.quantity);
  }
  return want.size === got.size && [...want].every(([item, w]) => got.get(item) === w.quantity);
}

export function judge(item: Pick<EarsItem, 'kind' | 'expect'>, outcome: Outcome): Verdict {
  const charged = outcome.tabCents !== 0 || outcome.lines.length > 0;
  if (item.kind === 'remark') return charged ? 'false_charge' : 'no_charge';
  if (!charged) return 'not_charged';
  if (outcome.tabCents === item.expect.tabCents && linesMatch(item.expect.lines, outcome.lines))
    return outcome.readBack ? 'read_back' : 'right';
  return 'wrong';
}

/** One guest's visit as measured: the verdict, and the timing facts the row needs. */
export interface Visit {
  itemId: string;
  voiceId: string;
  split: Split;
  verdict: Verdict;
  /** End of the guest's speech → first byte of reply audio, if any came. */
  latencyMs?: number;
  /** Only for paused utterances: Maya finished the turn during the pause. */
  cutOff?: boolean;
}

export interface Row {
  orders: number;
  /** Right in the end, read-backs included. */
  right: number;
  readBack: number;
  wrong: number;
  notCharged: number;
  remarks: number;
  falseCharges: number;
  paused: number;
  cutOffs: number;
  latencyP50?: number;
  latencyP95?: number;
}

/** Nearest-rank percentile. */
export function percentile(xs: readonly number[], p: number): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function summarise(visits: readonly Visit[]): Row {
  const count = (v: Verdict) => visits.filter((x) => x.verdict === v).length;
  const lat = visits.flatMap((v) => (v.latencyMs === undefined ? [] : [v.latencyMs]));
  const paused = visits.filter((v) => v.cutOff !== undefined);
  const p50 = percentile(lat, 50);
  const p95 = percentile(lat, 95);
  return {
    orders: visits.filter((v) => !['no_charge', 'false_charge'].includes(v.verdict)).length,
    right: count('right') + count('read_back'),
    readBack: count('read_back'),
    wrong: count('wrong'),
    notCharged: count('not_charged'),
    remarks: count('no_charge') + count('false_charge'),
    falseCharges: count('false_charge'),
    paused: paused.length,
    cutOffs: paused.filter((v) => v.cutOff).length,
    ...(p50 !== undefined && { latencyP50: p50 }),
    ...(p95 !== undefined && { latencyP95: p95 }),
  };
}

const NUMBER_WORDS = [
  'zero',
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
  'eleven',
  'twelve',
];

/**
 * Would the guest agree with Maya's read-back? A real guest hears "Two Brandies — right?" after
 * asking for one and says no. Yes only when every expected drink is named with its count (a count
 * of one may go unsaid) and no drink is named with another count.
 */
/** A drink name's stem as said: "Brandy" and "Brandies" → "brand", "Tap Beer" → "tap". */
const stem = (item: string) =>
  item
    .toLowerCase()
    .split(' ')[0]!
    .replace(/(ies|s|y)$/, '');

/** A name that also matches its plural ("brandy" → brandy|brandies, "ipa" → ipa|ipas). */
const pluralTolerant = (name: string) => {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return /[^aeiou]y$/.test(n) ? `${n.slice(0, -1)}(?:y|ies)` : `${n}(?:s|es)?`;
};

export function readBackMatches(
  text: string,
  lines: readonly { item: string; quantity: number }[],
): boolean {
  const said = text.toLowerCase();
  // A guest says no to a read-back that names a drink they did not order ("Two IPAs and a Brandy?").
  // The drinks they did order are taken out first, so "Whiskey Sour" does not also read as "Whiskey".
  const expected = new Set(lines.map((l) => l.item));
  const spoken = (m: (typeof MENU)[number]) =>
    [m.name, ...m.aliases].map((n) => new RegExp(`\\b${pluralTolerant(n.toLowerCase())}\\b`, 'g'));
  let rest = said;
  for (const m of MENU.filter((x) => expected.has(x.name)))
    for (const re of spoken(m)) rest = rest.replace(re, ' ');
  if (MENU.some((m) => !expected.has(m.name) && spoken(m).some((re) => re.test(rest))))
    return false;
  return lines.every(({ item, quantity }) => {
    const name = stem(item);
    // The guest adds up every mention: "six Tap Beers and one Tap Beer" is seven.
    let heard = 0;
    for (let at = said.indexOf(name); at >= 0; at = said.indexOf(name, at + name.length)) {
      const before = said.slice(Math.max(0, at - 14), at);
      const counts = NUMBER_WORDS.map(
        (w, n) => [n, new RegExp(`\\b(${w}|${n})\\b`).test(before)] as const,
      )
        .filter(([, hit]) => hit)
        .map(([n]) => n);
      heard += counts.includes(quantity) ? quantity : (counts.find((n) => n > 0) ?? 1);
    }
    return heard === quantity;
  });
}
