/** The overlay's Pay and Cancel buttons: the same actions as the spoken requests, and Maya's answer. */
import type { StateManager } from '../state/manager.ts';
import type { Announcement } from './announcer.ts';
import { WAITING_EMOTION, paymentLines, withMayaLine } from './phrases.ts';
import type { PaymentService } from './service.ts';

/** Run a button press and put Maya's answer into the history (it is what the guest hears). */
export async function pressPaymentButton(
  payments: PaymentService,
  manager: StateManager,
  sessionId: string,
  button: 'pay' | 'cancel_payment',
): Promise<Announcement> {
  const said: Announcement =
    button === 'pay'
      ? await payments.createPayment(sessionId).then((c) => ({
          text: c.alreadyOpen
            ? paymentLines.stillOpen(c.totalCents)
            : paymentLines.opened(c.totalCents),
          emotion: WAITING_EMOTION,
        }))
      : await payments
          .cancelPayment(sessionId)
          .then(() => ({ text: paymentLines.cancelled, emotion: 'neutral' as const }));
  await manager.mutate(sessionId, (s) => withMayaLine(s, said.text, said.emotion));
  return said;
}
