/** What Maya says about payments, and the helper that puts an out-of-turn line into a session. */
import { formatCents } from '../../shared/money.ts';
import type { Emotion } from '../../shared/domain.ts';
import { MAX_HISTORY_MESSAGES } from '../state/session.ts';
import type { SessionState } from '../state/session.ts';

export type FailureReason = 'declined' | 'expired' | 'timeout';

export const paymentLines = {
  opened: (totalCents: number) => `Your total is ${formatCents(totalCents)}. Open the link or scan the code to pay — I'll wait right here.`,
  stillOpen: (totalCents: number) => `Your checkout for ${formatCents(totalCents)} is still open — I'm waiting for it to go through.`,
  paid: (paidCents: number) => `Thank you! Your ${formatCents(paidCents)} is paid. Your tab is fresh — what can I get you next?`,
  failed: (reason: FailureReason) =>
    reason === 'declined'
      ? "Hmm, that payment was declined and nothing was charged. Say \"pay\" when you'd like to try again."
      : reason === 'expired'
        ? 'That checkout expired before it was paid. Say "pay" and I\'ll open a new one.'
        : 'I didn\'t see the payment come through in time, so I closed that checkout. Say "pay" to try again.',
  cancelled: "No problem, I've cancelled that checkout. Your tab is still open.",
} as const;

export const PAID_EMOTION: Emotion = 'happy';
export const FAILED_EMOTION: Emotion = 'neutral';
export const WAITING_EMOTION: Emotion = 'thinking';

/** Maya says `text` outside a turn: it enters the history (what the guest hears) and sets her emotion. */
export function withMayaLine(s: SessionState, text: string, emotion: Emotion): SessionState {
  const history = [...s.conversation.history, { role: 'maya' as const, text }].slice(-MAX_HISTORY_MESSAGES);
  return { ...s, emotion, conversation: { ...s.conversation, history } };
}
