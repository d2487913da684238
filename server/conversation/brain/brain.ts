/**
 * The embedded bartender brain: speech act and intent → registry tools → a short spoken-style reply
 * and an emotion (DOMAIN.md "Emotions"). Deterministic, offline, and the default for every guest
 * without an LLM key. Replies come from the phrasebook; casual turns from the small-talk corpus.
 */
import { formatCents } from '../../../shared/money.ts';
import { MENU, RECOMMENDATIONS, findMenuItem } from '../../../shared/menu.ts';
import { closestDrinks } from './cousins.ts';
// Paying is worded once, by the payments module, for in-turn replies and out-of-turn announcements alike.
import { paymentLines } from '../../payments/phrases.ts';
import type { Modifier } from '../../../shared/menu.ts';
import { MODIFIERS } from '../../../shared/menu.ts';
import type { Emotion, OrderLine } from '../../../shared/domain.ts';
import { MAX_QUANTITY } from '../../../shared/domain.ts';
import type { Llm, LlmTurnInput, LlmTurnOutput, ToolRunner } from '../../llm/types.ts';
import type { OrderItem, SessionState } from '../../state/session.ts';
import type { BillView } from '../tools.ts';
import { understand } from './intents.ts';
import type { Intent } from './intents.ts';
import { Voice, billText, describeLines, loadPhrasebook, lowerFirst } from './persona.ts';
import type { Phrasebook } from './persona.ts';
import { SmallTalk } from './smallTalk.ts';
import { factsOf } from './drinkFacts.ts';

export { describeLines } from './persona.ts';

type Reply = LlmTurnOutput;

function reply(text: string, emotion: Emotion, extra: Partial<Omit<Reply, 'text' | 'emotion'>> = {}): Reply {
  return { text, emotion, smallTalk: false, ...extra };
}

const linesOf = (lines: readonly Pick<OrderLine, 'item' | 'quantity' | 'modifiers'>[]) => lowerFirst(describeLines(lines));
const distinctItems = (items: readonly { item: string }[]) => [...new Set(items.map((i) => i.item))];

/** "Whiskey neat" (a recommendation) → a menu item with its modifiers. */
export function itemFromPhrase(phrase: string): OrderItem | undefined {
  const modifiers = MODIFIERS.filter((m) => phrase.toLowerCase().endsWith(` ${m}`));
  const name = modifiers.reduce((p, m) => p.slice(0, -(m.length + 1)), phrase);
  const item = findMenuItem(name);
  return item ? { item: item.name, quantity: 1, modifiers: [...modifiers] } : undefined;
}

/** Shared with the processor (confirmations): order drinks and say what was added and what it cost. */
export async function orderAndReply(voice: Voice, runTool: ToolRunner, items: readonly OrderItem[], firstOrder: boolean): Promise<Reply> {
  const added: OrderLine[] = [];
  let last: BillView | undefined;
  for (const slot of items) {
    const r = await runTool('add_to_order', slot);
    if (!r.ok) {
      const problem = lowerFirst(r.message);
      if (added.length) return reply(voice.say('order_partly_failed', { lines: linesOf(added), problem }), 'mixing');
      if (r.error === 'INSUFFICIENT_FUNDS') return reply(voice.say('insufficient_funds', { message: r.message }), 'neutral');
      if (r.error === 'ITEM_NOT_FOUND') return unknownDrink(voice, slot.item);
      if (r.error === 'INVALID_QUANTITY') return reply(voice.say('quantity_invalid', { max: MAX_QUANTITY }), 'neutral');
      return reply(voice.say('order_failed', { message: problem }), 'neutral');
    }
    const res = r.result as BillView & { added: OrderLine[] };
    added.push(...res.added);
    last = res;
  }
  const cost = added.reduce((s, l) => s + l.lineCents, 0);
  const tabNote = last && last.tabCents !== cost ? voice.say('tab_note', { tab: formatCents(last.tabCents) }) : '';
  return reply(voice.say('order_added', { lines: linesOf(mergeLines(added)), cost: formatCents(cost), tabNote }, firstOrder ? 0 : undefined), 'mixing');
}

function unknownDrink(voice: Voice, name: string): Reply {
  const names = closestDrinks(name);
  const suggestions = `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
  return reply(voice.say('unknown_drink', { name, suggestions }), 'thinking');
}

export interface EmbeddedBrainOptions {
  phrasebook?: Phrasebook;
  smallTalk?: SmallTalk;
}

export class EmbeddedBrain implements Llm {
  readonly name = 'embedded';
  readonly phrasebook: Phrasebook;
  readonly smallTalk: SmallTalk;

  constructor(options: EmbeddedBrainOptions = {}) {
    this.phrasebook = options.phrasebook ?? loadPhrasebook();
    this.smallTalk = options.smallTalk ?? SmallTalk.load();
  }

  voiceFor(state: SessionState): Voice {
    return new Voice(this.phrasebook, state.conversation.turnCount);
  }

  async turn({ text, state, runTool }: LlmTurnInput): Promise<LlmTurnOutput> {
    const { intent } = understand(text);
    return this.respond(intent, text, state, runTool);
  }

  /** Answer an already-understood intent (the processor understands each turn once). */
  async respond(intent: Intent, text: string, state: SessionState, runTool: ToolRunner): Promise<LlmTurnOutput> {
    const voice = this.voiceFor(state);
    const conv = state.conversation;
    const firstOrder = state.order.length === 0 && state.orderHistory.length === 0 && conv.lastOrderTurn === null;
    const lastAdded = conv.lastAdded;

    switch (intent.kind) {
      case 'order': {
        // A negative, zero or too large count is never charged, not even the rest of the order.
        if (intent.items.some((i) => !Number.isInteger(i.quantity) || i.quantity < 1 || i.quantity > MAX_QUANTITY)) {
          return reply(voice.say('quantity_invalid', { max: MAX_QUANTITY }), 'neutral');
        }
        const ordered = await orderAndReply(voice, runTool, intent.items, firstOrder);
        if (!intent.unknown?.length) return ordered;
        const names = closestDrinks(intent.unknown[0]!);
        const missing = voice.say('unknown_in_order', { name: intent.unknown.join(' or '), suggestions: `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` });
        return { ...ordered, text: `${ordered.text} ${missing}` };
      }

      case 'unknown_drink':
        return unknownDrink(voice, intent.name);

      case 'did_you_mean':
        return reply(voice.say('did_you_mean', { a: intent.options[0] ?? '', b: intent.options[1] ?? '' }), 'thinking');

      case 'swap':
        return this.swapAndReply(voice, runTool, intent, state);

      case 'ask_price': {
        const each = intent.items.map((i) => ({ ...i, cents: (findMenuItem(i.item)?.priceCents ?? 0) * Math.max(1, i.quantity) }));
        const parts = each.map((i) => `${linesOf([{ ...i, quantity: Math.max(1, i.quantity) }])} ${i.quantity > 1 ? 'are' : 'is'} ${formatCents(i.cents)}`);
        const total = each.reduce((sum, i) => sum + i.cents, 0);
        const prices = each.length > 1 ? `${andList(parts)} — ${formatCents(total)} together` : parts[0]!;
        const offer = intent.items.filter((i) => i.quantity >= 1 && i.quantity <= MAX_QUANTITY);
        return reply(voice.say('ask_price', { prices }), 'neutral', offer.length ? { offer } : {});
      }

      case 'compare': {
        const [a, b] = intent.items as [string, string];
        const fa = factsOf(a);
        const fb = factsOf(b);
        const cost = (item: string) => formatCents(findMenuItem(item)?.priceCents ?? 0);
        return reply(voice.say('compare', { a, b, aMade: fa.made, bMade: fb.made, aLike: fa.like, bLike: fb.like, aCost: cost(a), bCost: cost(b) }), 'thinking');
      }

      case 'whats_in_last': {
        const last = (lastAdded.length ? lastAdded : state.order).at(-1);
        if (!last) return reply(voice.say('whats_in_nothing'), 'neutral');
        const f = factsOf(last.item);
        return reply(voice.say('whats_in_last', { item: last.item, made: f.made, like: f.like }), 'neutral');
      }

      case 'on_the_house':
        return reply(voice.say('on_the_house'), 'happy');

      case 'overdid':
        return reply(voice.say('overdid'), 'neutral', { offer: [{ item: 'Water', quantity: 1, modifiers: [] }] });

      case 'ask_drink': {
        const priced = intent.items.map((i) => ({ ...i, cents: (findMenuItem(i.item)?.priceCents ?? 0) * i.quantity }));
        const cost = priced.reduce((s, i) => s + i.cents, 0);
        return reply(voice.say('ask_drink', { lines: linesOf(intent.items), cost: formatCents(cost) }), 'neutral', { offer: intent.items });
      }

      case 'drink_talk': {
        const line = this.smallTalk.aboutDrink(intent.item, conv.usedLines);
        if (!line) {
          const f = factsOf(intent.item);
          return reply(voice.say('drink_fact', { item: intent.item, made: f.made, like: f.like, cost: formatCents(findMenuItem(intent.item)?.priceCents ?? 0) }), 'neutral');
        }
        return reply(line.text, line.emotion ?? 'neutral', { smallTalk: true, usedLine: line.id });
      }

      case 'clarify':
        return reply(voice.say(`clarify_${intent.about}`), 'thinking');

      case 'remove': {
        let item = intent.item;
        if (!item) {
          const candidates = distinctItems(lastAdded.length ? lastAdded : state.order);
          if (candidates.length === 0) return reply(voice.say('nothing_to_remove'), 'neutral');
          if (candidates.length > 1) return reply(voice.say('clarify_which', { options: orList(candidates) }), 'thinking');
          item = candidates[0]!;
        }
        return this.removeAndReply(voice, runTool, [{ item, quantity: intent.quantity }]);
      }

      case 'cancel_last': {
        const targets = lastAdded.length ? lastAdded : state.order.slice(-1);
        if (targets.length === 0) return reply(voice.say('nothing_to_remove'), 'neutral');
        return this.removeAndReply(voice, runTool, targets.map((t) => ({ item: t.item, quantity: t.quantity })));
      }

      case 'cancel_all': {
        if (state.order.length === 0) return reply(voice.say('nothing_to_remove'), 'neutral');
        return this.removeAndReply(voice, runTool, distinctItems(state.order).map((item) => ({ item, quantity: undefined })));
      }

      case 'set_quantity': {
        const pool = lastAdded.length ? lastAdded : state.order;
        const candidates = intent.item ? [intent.item] : distinctItems(pool);
        if (candidates.length === 0) return reply(voice.say('nothing_to_repeat'), 'neutral');
        if (candidates.length > 1) return reply(voice.say('clarify_which', { options: orList(candidates) }), 'thinking');
        const item = candidates[0]!;
        const fromLast = lastAdded.filter((l) => l.item === item);
        const basis = fromLast.length ? fromLast : state.order.filter((l) => l.item === item);
        const current = basis.reduce((s, l) => s + l.quantity, 0);
        const count = lowerFirst(describeLines([{ item, quantity: intent.quantity, modifiers: [] }]));
        if (current === intent.quantity) return reply(voice.say('quantity_same', { count }), 'neutral');
        if (current === 0 || intent.quantity > current) {
          const modifiers = basis.at(-1)?.modifiers ?? [];
          const r = await runTool('add_to_order', { item, quantity: intent.quantity - current, modifiers });
          if (!r.ok && r.error === 'INVALID_QUANTITY') return reply(voice.say('quantity_invalid', { max: MAX_QUANTITY }), 'neutral');
          if (!r.ok) return reply(voice.say('order_failed', { message: lowerFirst(r.message) }), 'neutral');
          const res = r.result as BillView & { added: OrderLine[] };
          const change = `added ${linesOf(res.added)}, ${formatCents(res.added.reduce((s, l) => s + l.lineCents, 0))}.`;
          return reply(voice.say('quantity_changed', { count, change, bill: billText(res) }), 'mixing');
        }
        const r = await runTool('remove_from_order', { item, quantity: current - intent.quantity });
        if (!r.ok) return reply(voice.say('order_failed', { message: lowerFirst(r.message) }), 'neutral');
        const res = r.result as BillView & { removed: OrderLine[] };
        const change = `took off ${linesOf(res.removed)}, refunded ${formatCents(res.removed.reduce((s, l) => s + l.lineCents, 0))}.`;
        return reply(voice.say('quantity_changed', { count, change, bill: billText(res) }), 'neutral');
      }

      case 'modify_last': {
        const target = (lastAdded.length ? lastAdded : state.order).at(-1);
        if (!target) return reply(voice.say('nothing_to_repeat'), 'neutral');
        if (intent.modifiers.length === 0) return reply(voice.say('clarify_which', { options: 'a double, neat or on the rocks' }), 'thinking');
        const removed = await runTool('remove_from_order', { item: target.item, quantity: target.quantity });
        if (!removed.ok) return reply(voice.say('order_failed', { message: lowerFirst(removed.message) }), 'neutral');
        // "on the rocks" replaces "neat" and the other way round.
        const keep = target.modifiers.filter((m) => !(intent.modifiers.includes('neat') && m === 'on the rocks') && !(intent.modifiers.includes('on the rocks') && m === 'neat'));
        const modifiers = [...new Set([...keep, ...intent.modifiers])] as Modifier[];
        const added = await runTool('add_to_order', { item: target.item, quantity: target.quantity, modifiers });
        if (!added.ok) {
          // Put the original back so a failed change never loses the drink.
          await runTool('add_to_order', { item: target.item, quantity: target.quantity, modifiers: target.modifiers });
          return reply(voice.say('order_failed', { message: lowerFirst(added.message) }), 'neutral');
        }
        const res = added.result as BillView & { added: OrderLine[] };
        return reply(voice.say('modified', { lines: linesOf(res.added), bill: billText(res) }), 'mixing');
      }

      case 'repeat_last': {
        const pool = lastAdded.length ? lastAdded : state.order.slice(-1);
        const candidates = distinctItems(pool);
        if (candidates.length === 0) return reply(voice.say('nothing_to_repeat'), 'neutral');
        if (candidates.length > 1) return reply(voice.say('clarify_which', { options: orList(candidates) }), 'thinking');
        const last = pool.filter((p) => p.item === candidates[0]).at(-1)!;
        return orderAndReply(voice, runTool, [{ item: last.item, quantity: intent.quantity, modifiers: last.modifiers }], false);
      }

      case 'repeat_round': {
        const round: OrderItem[] = lastAdded.length
          ? lastAdded
          : (state.orderHistory.at(-1)?.lines ?? []).map(({ item, quantity, modifiers }) => ({ item, quantity, modifiers }));
        if (round.length === 0) return reply(voice.say('nothing_to_repeat'), 'neutral');
        return orderAndReply(voice, runTool, round, false);
      }

      case 'tip': {
        if (intent.percent !== null && state.payment.tabCents === 0) return reply(voice.say('tip_no_tab'), 'neutral');
        const r = await runTool('set_tip', { percent: intent.percent });
        if (!r.ok) return reply(voice.say(r.error === 'INVALID_TIP_PERCENTAGE' ? 'tip_invalid' : 'order_failed', { message: lowerFirst(r.message) }), 'neutral');
        const b = r.result as BillView;
        if (b.tipPercent === null) return reply(voice.say('tip_removed', { bill: billText(b) }), 'neutral');
        return reply(voice.say('tip_set', { pct: b.tipPercent, tip: formatCents(b.tipCents), total: formatCents(b.totalCents) }), 'happy');
      }

      case 'bill':
      case 'show_order': {
        const r = await runTool('get_bill', {});
        if (!r.ok) return reply(voice.say('order_failed', { message: lowerFirst(r.message) }), 'neutral');
        const b = r.result as BillView;
        if (intent.kind === 'show_order' && b.lines.length === 0) return reply(voice.say('show_order_empty'), 'neutral');
        const lines = b.lines.length ? `You've got ${linesOf(b.lines)}. ` : '';
        return reply(voice.say('bill', { lines, bill: billText(b) }), 'neutral');
      }

      case 'balance': {
        const r = await runTool('get_balance', {});
        if (!r.ok) return reply(voice.say('order_failed', { message: lowerFirst(r.message) }), 'neutral');
        return reply(voice.say('balance', { balance: formatCents((r.result as { balanceCents: number }).balanceCents) }), 'neutral');
      }

      case 'pay': {
        const r = await runTool('create_payment', {});
        if (!r.ok) return reply(voice.say('pay_failed', { message: spokenError(r.message) }), 'neutral');
        const res = r.result as { totalCents?: number; alreadyOpen?: boolean };
        const total = typeof res.totalCents === 'number' ? res.totalCents : state.payment.tabCents + state.payment.tipCents;
        return reply(res.alreadyOpen ? paymentLines.stillOpen(total) : paymentLines.opened(total), 'thinking');
      }

      case 'cancel_payment': {
        const r = await runTool('cancel_payment', {});
        if (!r.ok) return reply(voice.say('pay_cancel_failed', { message: spokenError(r.message) }), 'neutral');
        return reply(paymentLines.cancelled, 'neutral');
      }

      case 'payment_status': {
        const r = await runTool('check_payment_status', {});
        if (!r.ok) return reply(voice.say('pay_status_unknown', { message: spokenError(r.message) }), 'neutral');
        const status = paymentStatusOf(r.result);
        const total = (r.result as { totalCents?: unknown }).totalCents;
        const emotion: Emotion = status === 'completed' ? 'happy' : status === 'processing' ? 'thinking' : 'neutral';
        if (status === 'processing') return reply(paymentLines.stillOpen(typeof total === 'number' ? total : 0), emotion);
        return reply(voice.say(`pay_status_${status}`), emotion);
      }

      case 'recommend': {
        const r = await runTool('get_recommendation', { preference: intent.preference });
        const drinks = r.ok ? (r.result as { drinks: string[] }).drinks : [...RECOMMENDATIONS.any];
        const d = [drinks[0] ?? 'Martini', drinks[1] ?? 'Daiquiri', drinks[2] ?? 'Old Fashioned'];
        const vars = { d0: d[0]!, d1: d[1]!, d2: d[2]!, ad0: withArticle(d[0]!), ad1: withArticle(d[1]!), ad2: withArticle(d[2]!) };
        const key = intent.surprise ? 'surprise' : intent.preference === 'sober' ? 'recommend_sober' : 'recommend';
        const first = itemFromPhrase(vars.d0);
        return reply(voice.say(key, vars), 'thinking', first ? { offer: [first] } : {});
      }

      case 'menu': {
        if (intent.category) {
          const items = MENU.filter((m) => m.category === intent.category).map((m) => `${m.name} at ${formatCents(m.priceCents)}`);
          return reply(voice.say('menu_category', { category: intent.category, items: andList(items) }), 'neutral');
        }
        return reply(voice.say('menu', { categories: 'cocktails, beer, spirits, wine and soft drinks' }), 'neutral');
      }

      case 'say_again': {
        const last = [...state.conversation.history].reverse().find((m) => m.role === 'maya');
        return reply(last ? `I said: ${last.text.replace(/^I said: /, '')}` : voice.say('greeting', {}, 0), 'neutral');
      }
      case 'yes':
        return reply(voice.say('yes_nothing_pending'), 'happy');
      case 'no':
        return reply(voice.say(conv.pending ? 'offer_declined' : 'no_nothing_pending'), 'neutral');
      case 'greeting':
        return reply(voice.say('greeting', {}, conv.turnCount === 0 ? 0 : undefined), 'neutral');
      case 'thanks':
        return reply(voice.say('thanks'), 'happy', { smallTalk: true });
      case 'goodbye':
        return reply(voice.say('goodbye'), 'happy');
      case 'compliment':
        return reply(voice.say('compliment'), 'flustered', { smallTalk: true });
      case 'praise':
        return reply(voice.say('praise'), 'happy', { smallTalk: true });
      case 'small_talk': {
        const { line } = this.smallTalk.pick(text, conv.usedLines, conv.turnCount);
        return reply(line.text, line.emotion ?? 'neutral', { smallTalk: true, usedLine: line.id });
      }
    }
  }

  /**
   * One drink for another in one step: refund the old, charge the new (swap_in_order). Without a
   * drink named to replace, the one just ordered goes; with nothing on the tab, it is a plain order.
   */
  private async swapAndReply(voice: Voice, runTool: ToolRunner, intent: Extract<Intent, { kind: 'swap' }>, state: SessionState): Promise<Reply> {
    const lastAdded = state.conversation.lastAdded;
    const pool = lastAdded.length ? lastAdded : state.order;
    const from = intent.from ?? pool.at(-1)?.item;
    const onTab = state.order.filter((l) => l.item === from);
    const firstOrder = state.order.length === 0 && state.orderHistory.length === 0 && state.conversation.lastOrderTurn === null;
    if (!from || onTab.length === 0) return orderAndReply(voice, runTool, [{ item: intent.to.item, quantity: intent.to.quantity ?? 1, modifiers: intent.to.modifiers }], firstOrder);
    const fromLast = lastAdded.filter((l) => l.item === from);
    const count = (fromLast.length ? fromLast : onTab).reduce((n, l) => n + l.quantity, 0);
    // A spirit for a spirit keeps how it was served ("vodka on the rocks" → "make it a gin instead").
    const old = (fromLast.length ? fromLast : onTab).at(-1)!;
    const sameKind = findMenuItem(from)?.category === findMenuItem(intent.to.item)?.category;
    const modifiers = intent.to.modifiers.length || !sameKind ? intent.to.modifiers : old.modifiers;
    if (from === intent.to.item && intent.to.quantity === undefined && modifiers.join() === old.modifiers.join()) {
      return reply(voice.say('quantity_same', { count: linesOf([{ item: from, quantity: count, modifiers: [] }]) }), 'neutral');
    }
    const r = await runTool('swap_in_order', { remove_item: from, remove_quantity: count, item: intent.to.item, ...(intent.to.quantity === undefined ? {} : { quantity: intent.to.quantity }), modifiers });
    if (!r.ok) {
      if (r.error === 'INSUFFICIENT_FUNDS') return reply(voice.say('insufficient_funds', { message: lowerFirst(r.message) }), 'neutral');
      if (r.error === 'INVALID_QUANTITY') return reply(voice.say('quantity_invalid', { max: MAX_QUANTITY }), 'neutral');
      return reply(voice.say('order_failed', { message: lowerFirst(r.message) }), 'neutral');
    }
    const res = r.result as BillView & { removed: OrderLine[]; added: OrderLine[] };
    const cost = res.added.reduce((sum, l) => sum + l.lineCents, 0);
    return reply(voice.say('swapped', { removed: linesOf(mergeLines(res.removed)), added: linesOf(res.added), cost: formatCents(cost), bill: billText(res) }), 'mixing');
  }

  private async removeAndReply(voice: Voice, runTool: ToolRunner, targets: readonly { item: string; quantity: number | undefined }[]): Promise<Reply> {
    const removed: OrderLine[] = [];
    let last: BillView | undefined;
    let failure: string | undefined;
    for (const t of targets) {
      const r = await runTool('remove_from_order', t.quantity === undefined ? { item: t.item } : { item: t.item, quantity: t.quantity });
      if (!r.ok) {
        failure ??= r.message;
        continue;
      }
      const res = r.result as BillView & { removed: OrderLine[] };
      removed.push(...res.removed);
      last = res;
    }
    if (!last) return reply(failure ?? voice.say('nothing_to_remove'), 'neutral');
    const refund = removed.reduce((s, l) => s + l.lineCents, 0);
    return reply(voice.say('removed', { lines: linesOf(mergeLines(removed)), refund: formatCents(refund), bill: billText(last) }), 'neutral');
  }
}

function mergeLines(lines: readonly OrderLine[]): OrderLine[] {
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

function andList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function orList(items: readonly string[]): string {
  const named = items.map((i) => `the ${i}`);
  return named.length <= 1 ? named.join('') : `${named.slice(0, -1).join(', ')} or ${named.at(-1)}`;
}

/** Tool messages are written to be spoken, mid-sentence. */
function spokenError(message: string): string {
  return lowerFirst(message);
}

function paymentStatusOf(result: unknown): 'completed' | 'processing' | 'failed' | 'pending' {
  // PaymentStatusView (server/payments/service.ts): a paid tab opens a fresh one, back to pending.
  const r = (result ?? {}) as { status?: unknown; paid?: unknown; paidTabs?: unknown; tabCents?: unknown };
  if (r.status === 'processing' || r.status === 'open') return 'processing';
  if (r.status === 'failed' || r.status === 'declined' || r.status === 'expired') return 'failed';
  if (r.paid === true || r.status === 'completed' || r.status === 'paid') return 'completed';
  if (typeof r.paidTabs === 'number' && r.paidTabs > 0 && r.tabCents === 0) return 'completed';
  return 'pending';
}
