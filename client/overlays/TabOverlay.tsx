import { formatCents } from '../../shared/money.ts';
import { TIP_PERCENTS } from '../../shared/domain.ts';
import type { PaymentView, TipPercent } from '../../shared/domain.ts';
import { useCountUp } from './useCountUp.ts';

/** Balance colour: white while comfortable, amber when getting low, red when empty. */
export function balanceTone(balanceCents: number): 'ok' | 'low' | 'empty' {
  if (balanceCents <= 0) return 'empty';
  return balanceCents >= 5000 ? 'ok' : 'low';
}

function Money({
  label,
  cents,
  testId,
  tone,
}: {
  label: string;
  cents: number;
  testId: string;
  tone?: string;
}) {
  const { value, pulsing } = useCountUp(cents);
  return (
    <div className={`money-row${pulsing ? ' pulse' : ''}${tone ? ` tone-${tone}` : ''}`}>
      <span className="money-label">{label}</span>
      <span className="money-value" data-testid={testId} data-cents={cents} aria-live="polite">
        {formatCents(value)}
      </span>
    </div>
  );
}

/** Pay button, or while a checkout is open its link (the kiosk also shows it as a QR code) and Cancel. */
function PayControls({
  payment,
  onPay,
  onCancelPayment,
}: {
  payment: PaymentView;
  onPay: () => void;
  onCancelPayment: () => void;
}) {
  if (payment.status !== 'processing') {
    return (
      <button type="button" className="pay-button" data-testid="pay" onClick={onPay}>
        Pay {formatCents(payment.totalCents)}
      </button>
    );
  }
  if (!payment.checkoutUrl) return <p className="checkout-note">Opening the checkout…</p>;
  return (
    <div className="checkout" data-testid="checkout">
      <a
        href={payment.checkoutUrl}
        target="_blank"
        rel="noopener noreferrer"
        data-testid="checkout-link"
      >
        Open the checkout to pay
      </a>
      <button type="button" className="cancel-button" onClick={onCancelPayment}>
        Cancel
      </button>
    </div>
  );
}

/** Tapping the selected tip again removes it (sends null); any other button selects that tip. */
export function nextTip(current: TipPercent | null, tapped: TipPercent): TipPercent | null {
  return current === tapped ? null : tapped;
}

export function TabOverlay({
  payment,
  onTip,
  onPay,
  onCancelPayment,
  large = false,
}: {
  payment: PaymentView;
  onTip: (percent: TipPercent | null) => void;
  onPay?: () => void;
  onCancelPayment?: () => void;
  large?: boolean;
}) {
  return (
    <section
      className={`overlay${large ? ' large' : ''}`}
      aria-label="Your tab"
      data-testid="tab-overlay"
    >
      <Money label="Tab" cents={payment.tabCents} testId="tab" />
      <Money
        label="Balance"
        cents={payment.balanceCents}
        testId="balance"
        tone={balanceTone(payment.balanceCents)}
      />
      {payment.tabCents > 0 && (
        <>
          <div className="tip-buttons" role="group" aria-label="Tip">
            {TIP_PERCENTS.map((p) => (
              <button
                key={p}
                type="button"
                className={payment.tipPercent === p ? 'selected' : ''}
                title={payment.tipPercent === p ? 'Tap again to remove the tip' : undefined}
                aria-pressed={payment.tipPercent === p}
                onClick={() => onTip(nextTip(payment.tipPercent, p))}
              >
                {p}%
              </button>
            ))}
          </div>
          <Money label="Tip" cents={payment.tipCents} testId="tip" />
          <Money label="Total" cents={payment.totalCents} testId="total" />
          {onPay && onCancelPayment && (
            <PayControls payment={payment} onPay={onPay} onCancelPayment={onCancelPayment} />
          )}
        </>
      )}
    </section>
  );
}
