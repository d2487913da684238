/**
 * The embedded bartender brain: intent → registry tools → a short spoken-style reply and an emotion.
 * Deterministic, offline, and the default for every guest without an LLM key.
 */
import { formatCents } from '../../../shared/money.ts';
import { MENU } from '../../../shared/menu.ts';
import type { Emotion, OrderLine } from '../../../shared/domain.ts';
import type { Llm, LlmTurnInput, LlmTurnOutput } from '../../llm/types.ts';
import type { BillView } from '../tools.ts';
import { parseIntent } from './intents.ts';
import { paymentLines } from '../../payments/phrases.ts';
import type { PaymentStatusView } from '../../payments/service.ts';

const NUMBER_NAMES = ['zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten'];

export function describeLines(lines: readonly OrderLine[]): string {
  const parts = lines.map((l) => {
    const count = NUMBER_NAMES[l.quantity] ?? String(l.quantity);
    const name = l.quantity > 1 ? pluralName(l.item) : l.item;
    const mods = l.modifiers.length ? ` (${l.modifiers.join(', ')})` : '';
    return `${count} ${name}${mods}`;
  });
  if (parts.length <= 1) return parts.join('');
  const lower = parts.map((p, i) => (i === 0 ? p : p.charAt(0).toLowerCase() + p.slice(1)));
  return `${lower.slice(0, -1).join(', ')} and ${lower.at(-1)}`;
}

function pluralName(name: string): string {
  if (name.endsWith('s')) return name;
  if (/[^aeiou]y$/.test(name)) return name.slice(0, -1) + 'ies';
  if (name === 'Soda' || name === 'Water' || name === 'Lemonade' || name === 'Iced Tea') return name === 'Soda' ? 'Sodas' : `${name}s`;
  return `${name}s`;
}

function billText(b: BillView): string {
  if (b.tabCents === 0) return `Your tab is empty, and your balance is ${formatCents(b.balanceCents)}.`;
  const tip = b.tipCents > 0 ? ` plus a ${b.tipPercent}% tip of ${formatCents(b.tipCents)}, so ${formatCents(b.totalCents)} in all` : '';
  return `Your tab is ${formatCents(b.tabCents)}${tip}.`;
}

function reply(text: string, emotion: Emotion, smallTalk = false): LlmTurnOutput {
  return { text, emotion, smallTalk };
}

export class EmbeddedBrain implements Llm {
  readonly name = 'embedded';

  async turn({ text, runTool }: LlmTurnInput): Promise<LlmTurnOutput> {
    const intent = parseIntent(text);
    switch (intent.kind) {
      case 'order': {
        const added: OrderLine[] = [];
        let last: BillView | undefined;
        for (const slot of intent.items) {
          const r = await runTool('add_to_order', slot);
          if (!r.ok) {
            const done = added.length ? `I've added ${describeLines(added)}, but ` : '';
            return reply(`${done}${r.message}`, 'flustered');
          }
          const res = r.result as BillView & { added: OrderLine[] };
          added.push(...res.added);
          last = res;
        }
        const cost = added.reduce((s, l) => s + l.lineCents, 0);
        const tab = last && last.tabCents !== cost ? ` Your tab is now ${formatCents(last.tabCents)}.` : '';
        return reply(`${describeLines(added)}, that's ${formatCents(cost)} — coming right up.${tab}`, 'mixing');
      }
      case 'remove':
      case 'cancel_last': {
        const r = intent.kind === 'remove'
          ? await runTool('remove_from_order', intent.quantity === undefined ? { item: intent.item } : { item: intent.item, quantity: intent.quantity })
          : await this.cancelLast(runTool);
        if (!r.ok) return reply(r.message, 'neutral');
        const res = r.result as BillView & { removed: OrderLine[] };
        const refund = res.removed.reduce((s, l) => s + l.lineCents, 0);
        return reply(`Done, I took off ${describeLines(res.removed).replace(/^One /, 'one ')} and refunded ${formatCents(refund)}. ${billText(res)}`, 'neutral');
      }
      case 'tip': {
        const r = await runTool('set_tip', { percent: intent.percent });
        if (!r.ok) return reply(r.message, 'neutral');
        const b = r.result as BillView;
        if (b.tipPercent === null) return reply(`No tip, no problem. ${billText(b)}`, 'neutral');
        return reply(`Thank you! A ${b.tipPercent}% tip is ${formatCents(b.tipCents)}, so your total is ${formatCents(b.totalCents)}.`, 'happy');
      }
      case 'bill':
      case 'show_order': {
        const r = await runTool('get_bill', {});
        if (!r.ok) return reply(r.message, 'neutral');
        const b = r.result as BillView;
        const lines = b.lines.length ? `You've got ${describeLines(b.lines).replace(/^One /, 'one ')}. ` : '';
        return reply(`${lines}${billText(b)}`, 'neutral');
      }
      case 'balance': {
        const r = await runTool('get_bill', {});
        if (!r.ok) return reply(r.message, 'neutral');
        return reply(`You have ${formatCents((r.result as BillView).balanceCents)} left to spend.`, 'neutral');
      }
      case 'recommend': {
        const r = await runTool('get_recommendation', { preference: intent.preference });
        if (!r.ok) return reply(r.message, 'neutral');
        const drinks = (r.result as { drinks: string[] }).drinks;
        return reply(`How about a ${drinks[0]}? The ${drinks[1]} and the ${drinks[2]} are lovely too.`, 'thinking');
      }
      case 'menu': {
        const cats = [...new Set(MENU.map((m) => m.category))];
        return reply(`We've got ${cats.join(', ')} — cocktails like the Margarita, Negroni and Old Fashioned are the favourites. What can I get you?`, 'neutral');
      }
      case 'unknown_drink': {
        const r = await runTool('add_to_order', { item: intent.name });
        return reply(r.ok ? 'Coming right up.' : r.message, 'thinking');
      }
      case 'greeting':
        return reply("Hi, I'm Maya. What can I pour for you tonight?", 'neutral');
      case 'thanks':
        return reply('My pleasure. Enjoy!', 'happy');
      case 'goodbye':
        return reply('Take care, and come back soon!', 'happy');
      case 'pay': {
        const r = await runTool('create_payment', {});
        if (!r.ok) return reply(r.message, 'neutral');
        const c = r.result as { totalCents: number; alreadyOpen: boolean };
        return reply(c.alreadyOpen ? paymentLines.stillOpen(c.totalCents) : paymentLines.opened(c.totalCents), 'thinking');
      }
      case 'cancel_payment': {
        const r = await runTool('cancel_payment', {});
        return r.ok ? reply(paymentLines.cancelled, 'neutral') : reply(r.message, 'neutral');
      }
      case 'payment_status': {
        const r = await runTool('check_payment_status', {});
        if (!r.ok) return reply(r.message, 'neutral');
        const v = r.result as PaymentStatusView;
        if (v.status === 'processing') return reply(paymentLines.stillOpen(v.totalCents), 'thinking');
        if (v.status === 'failed') return reply('Your last payment did not go through. Say "pay" to try again.', 'neutral');
        if (v.paidTabs > 0 && v.tabCents === 0) return reply('Yes, your payment went through — thank you!', 'happy');
        return reply('You have not started a payment yet. Say "pay" when you are ready.', 'neutral');
      }
      case 'small_talk':
        return reply("Ha, fair enough. Can I get you something to drink while we chat?", 'neutral', true);
    }
  }

  private async cancelLast(runTool: LlmTurnInput['runTool']) {
    // "cancel that": the latest line. get_order gives it; remove_from_order refunds it.
    const order = await runTool('get_order', {});
    if (!order.ok) return order;
    const last = (order.result as OrderLine[]).at(-1);
    if (!last) return { ok: false as const, error: 'ITEM_NOT_FOUND' as const, message: 'There is nothing on your tab to cancel.' };
    return runTool('remove_from_order', { item: last.item, quantity: last.quantity });
  }
}
