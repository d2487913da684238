/**
 * Handlers for the tab as a whole: tips, the bill, the order so far, the balance, and paying. Paying
 * is worded by the payments module (server/payments/phrases.ts), whose lines the overlay buttons and
 * the out-of-turn "paid" / "declined" announcements share.
 */
import { formatCents, percentOf } from '../../../../shared/money.ts';
import { TIP_PERCENTS } from '../../../../shared/domain.ts';
import { paymentLines } from '../../../payments/phrases.ts';
import type { Emotion, PaymentStatus } from '../../../../shared/domain.ts';
import type { PaymentStatusView } from '../../../payments/service.ts';
import { billText, linesOf, reply } from '../turnContext.ts';
import type { HandlerTable, Reply, TurnContext } from '../turnContext.ts';

/** PaymentStatusView (server/payments/service.ts), typed by the registry: a paid tab opens a fresh one, back to pending. */
function paymentStatusOf(v: PaymentStatusView): PaymentStatus {
  return v.status === 'pending' && v.paidTabs > 0 && v.tabCents === 0 ? 'completed' : v.status;
}

/** The lines so far and the bill; asked for the order with nothing on it, an invitation instead. */
async function billReply(ctx: TurnContext, askedForBill: boolean): Promise<Reply> {
  const r = await ctx.tools('get_bill', {});
  if (!r.ok) return reply(ctx.voice.say('order_failed', { message: r.message }), 'neutral');
  const b = r.result;
  if (!askedForBill && b.lines.length === 0)
    return reply(ctx.voice.say('show_order_empty'), 'neutral');
  const lines = b.lines.length ? ctx.voice.fragment('bill_lines', { lines: linesOf(b.lines) }) : '';
  return reply(ctx.voice.say('bill', { lines, bill: billText(ctx.voice, b) }), 'neutral');
}

export const tabHandlers = {
  tip: async (ctx, intent) => {
    const { voice, state } = ctx;
    if (intent.percent !== null && state.payment.tabCents === 0)
      return reply(voice.say('tip_no_tab'), 'neutral');
    if (intent.quote && intent.percent !== null) {
      if (!(TIP_PERCENTS as readonly number[]).includes(intent.percent))
        return reply(voice.say('tip_invalid'), 'neutral');
      const tip = percentOf(state.payment.tabCents, intent.percent);
      return reply(
        voice.say('tip_quote', {
          pct: intent.percent,
          tab: formatCents(state.payment.tabCents),
          tip: formatCents(tip),
          total: formatCents(state.payment.tabCents + tip),
        }),
        'neutral',
      );
    }
    const r = await ctx.tools('set_tip', { percent: intent.percent as 10 | 15 | 20 | null });
    if (!r.ok)
      return reply(
        voice.say(r.error === 'INVALID_TIP_PERCENTAGE' ? 'tip_invalid' : 'order_failed', {
          message: r.message,
        }),
        'neutral',
      );
    const b = r.result;
    if (b.tipPercent === null)
      return reply(voice.say('tip_removed', { bill: billText(voice, b) }), 'neutral');
    // Saying the tip already set keeps it (DOMAIN.md: the toggle is for the overlay buttons).
    const key = state.payment.tipPercent === b.tipPercent ? 'tip_kept' : 'tip_set';
    return reply(
      voice.say(key, {
        pct: b.tipPercent,
        tip: formatCents(b.tipCents),
        total: formatCents(b.totalCents),
      }),
      'happy',
    );
  },

  bill: (ctx) => billReply(ctx, true),

  show_order: (ctx) => billReply(ctx, false),

  balance: async (ctx) => {
    const r = await ctx.tools('get_balance', {});
    if (!r.ok) return reply(ctx.voice.say('order_failed', { message: r.message }), 'neutral');
    return reply(
      ctx.voice.say('balance', { balance: formatCents(r.result.balanceCents) }),
      'neutral',
    );
  },

  pay: async (ctx) => {
    const r = await ctx.tools('create_payment', {});
    if (!r.ok) return reply(ctx.voice.say('pay_failed', { message: r.message }), 'neutral');
    const total =
      typeof r.result.totalCents === 'number'
        ? r.result.totalCents
        : ctx.state.payment.tabCents + ctx.state.payment.tipCents;
    return reply(
      r.result.alreadyOpen ? paymentLines.stillOpen(total) : paymentLines.opened(total),
      'thinking',
    );
  },

  cancel_payment: async (ctx) => {
    const r = await ctx.tools('cancel_payment', {});
    if (!r.ok) return reply(ctx.voice.say('pay_cancel_failed', { message: r.message }), 'neutral');
    return reply(paymentLines.cancelled, 'neutral');
  },

  payment_status: async (ctx) => {
    const r = await ctx.tools('check_payment_status', {});
    if (!r.ok) return reply(ctx.voice.say('pay_status_unknown', { message: r.message }), 'neutral');
    const status = paymentStatusOf(r.result);
    const emotion: Emotion =
      status === 'completed' ? 'happy' : status === 'processing' ? 'thinking' : 'neutral';
    if (status === 'processing') return reply(paymentLines.stillOpen(r.result.totalCents), emotion);
    return reply(ctx.voice.say(`pay_status_${status}`), emotion);
  },
} satisfies Partial<HandlerTable>;
