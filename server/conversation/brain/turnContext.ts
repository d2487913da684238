/**
 * What every intent handler of the embedded brain gets: the turn's understanding (made once, by the
 * processor), the session as the turn found it, the registry's tools typed by name, Maya's voice and
 * the small-talk corpus — and the small helpers that word drinks and bills the same way everywhere.
 */
import { formatCents } from '../../../shared/money.ts';
import type { Emotion, OrderLine } from '../../../shared/domain.ts';
import type { LlmTurnOutput } from '../ports.ts';
import type { SessionState } from '../../domain/session.ts';
import type { BillView, TypedToolRunner } from '../tools.ts';
import type { Intent, IntentKind, Understanding } from './intents.ts';
import { describeLines, lowerFirst } from '../../phrasebook/persona.ts';
import type { Voice } from '../../phrasebook/persona.ts';
import type { SmallTalk } from './smallTalk.ts';
import type { Menu } from '../../../shared/menu.ts';

export type Reply = LlmTurnOutput;

export interface TurnContext {
  text: string;
  understood: Understanding;
  state: SessionState;
  tools: TypedToolRunner;
  voice: Voice;
  smallTalk: SmallTalk;
  /** The menu this turn reads (the live one when the turn began). */
  menu: Menu;
}

/** One handler per intent kind: the brain's respond() is a table of these. */
export type Handler<K extends IntentKind> = (
  ctx: TurnContext,
  intent: Extract<Intent, { kind: K }>,
) => Promise<Reply> | Reply;
export type HandlerTable = { readonly [K in IntentKind]: Handler<K> };

export function reply(
  text: string,
  emotion: Emotion,
  extra: Partial<Omit<Reply, 'text' | 'emotion'>> = {},
): Reply {
  return { text, emotion, smallTalk: false, ...extra };
}

/** "one Margarita and two Tap Beers": drinks said mid-sentence. */
export const linesOf = (lines: readonly Pick<OrderLine, 'item' | 'quantity' | 'modifiers'>[]) =>
  lowerFirst(describeLines(lines));
export const distinctItems = (items: readonly { item: string }[]) => [
  ...new Set(items.map((i) => i.item)),
];
export const centsOf = (lines: readonly { lineCents: number }[]) =>
  lines.reduce((sum, l) => sum + l.lineCents, 0);

/** The first order of a session gets the fixed first-order reply. */
export function isFirstOrder(state: SessionState): boolean {
  return (
    state.order.length === 0 &&
    state.orderHistory.length === 0 &&
    state.conversation.lastOrderTurn === null
  );
}

/** "the drink just ordered": the last order of this conversation, or the tab's last lines. */
export function recentDrinks(state: SessionState) {
  return state.conversation.lastAdded.length ? state.conversation.lastAdded : state.order;
}

export function mergeLines(lines: readonly OrderLine[]): OrderLine[] {
  const out: OrderLine[] = [];
  for (const l of lines) {
    const same = out.find((o) => o.item === l.item && o.modifiers.join() === l.modifiers.join());
    if (same) {
      same.quantity += l.quantity;
      same.lineCents += l.lineCents;
    } else out.push({ ...l });
  }
  return out;
}

/** "a Martini", "an Iced Tea", "an IPA". */
export function withArticle(name: string): string {
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

export function andList(items: readonly string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function orList(items: readonly string[]): string {
  const named = items.map((i) => `the ${i}`);
  return named.length <= 1 ? named.join('') : `${named.slice(0, -1).join(', ')} or ${named.at(-1)}`;
}

/** The bill in one sentence, worded by the phrasebook. */
export function billText(voice: Voice, b: BillView): string {
  if (b.tabCents === 0)
    return voice.fragment('bill_empty', { balance: formatCents(b.balanceCents) });
  if (b.tipCents > 0)
    return voice.fragment('bill_with_tip', {
      tab: formatCents(b.tabCents),
      pct: b.tipPercent ?? 0,
      tip: formatCents(b.tipCents),
      total: formatCents(b.totalCents),
    });
  return voice.fragment('bill_tab', { tab: formatCents(b.tabCents) });
}
