/**
 * What Maya says about payments (worded in the phrasebook, like every spoken line), and the helper
 * that puts an out-of-turn line into a session.
 */
import { formatCents } from '../../shared/money.ts';
import { line } from '../phrasebook/lines.ts';
import type { Emotion } from '../../shared/domain.ts';
import { MAX_HISTORY_MESSAGES } from '../domain/session.ts';
import type { PaymentFailure, SessionState } from '../domain/session.ts';

export type FailureReason = PaymentFailure;

/** Payment lines, from the phrasebook (one variant each: the overlay and the payment tests match them exactly). */
export const paymentLines = {
  opened: (totalCents: number) => line('pay_opened', { total: formatCents(totalCents) }, 0),
  stillOpen: (totalCents: number) => line('pay_still_open', { total: formatCents(totalCents) }, 0),
  paid: (paidCents: number) => line('pay_paid', { paid: formatCents(paidCents) }, 0),
  failed: (reason: FailureReason) => line(`pay_${reason}`, {}, 0),
  get cancelled(): string {
    return line('pay_cancelled', {}, 0);
  },
};

export const PAID_EMOTION: Emotion = 'happy';
export const FAILED_EMOTION: Emotion = 'neutral';
export const WAITING_EMOTION: Emotion = 'thinking';

/** Maya says `text` outside a turn: it enters the history (what the guest hears) and sets her emotion. */
export function withMayaLine(s: SessionState, text: string, emotion: Emotion): SessionState {
  const history = [...s.conversation.history, { role: 'maya' as const, text }].slice(
    -MAX_HISTORY_MESSAGES,
  );
  return { ...s, emotion, conversation: { ...s.conversation, history } };
}
