/**
 * Paying on the phone: while a checkout is open (status "processing" with a checkout URL) the panel
 * shows a QR code of that URL and a short form of it to type. The QR is drawn as one SVG path from
 * the `qrcode` package's module matrix (no canvas, no innerHTML).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import QRCode from 'qrcode';
import type { PaymentView } from '../../shared/domain.ts';
import { formatCents } from '../../shared/money.ts';

/** Quiet zone around the code, in modules (the QR standard asks for 4). */
const QUIET_ZONE_MODULES = 4;
const SHORT_URL_MAX_CHARS = 40;

/** The URL without its scheme, shortened in the middle when long (a guest can still type the start). */
export function shortUrl(url: string, maxChars: number = SHORT_URL_MAX_CHARS): string {
  let text = url;
  try {
    const u = new URL(url);
    text = `${u.host}${u.pathname === '/' ? '' : u.pathname}${u.search}`;
  } catch {
    // not a URL: show as is
  }
  text = text.replace(/^www\./, '');
  if (text.length <= maxChars) return text;
  const keep = maxChars - 1;
  return `${text.slice(0, Math.ceil(keep * 0.6))}…${text.slice(text.length - Math.floor(keep * 0.4))}`;
}

/** SVG path of the dark modules, one unit square each. */
export function qrPath(text: string): { size: number; path: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col))
        parts.push(`M${col + QUIET_ZONE_MODULES} ${row + QUIET_ZONE_MODULES}h1v1h-1z`);
    }
  }
  return { size: modules.size + QUIET_ZONE_MODULES * 2, path: parts.join('') };
}

export function QrCode({ text, label }: { text: string; label: string }) {
  const { size, path } = useMemo(() => qrPath(text), [text]);
  return (
    <svg
      className="qr"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      data-testid="payment-qr"
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

export const paymentPanelDefaults = { paidNoticeMs: 6000 } as const;

/** True for a few seconds after a tab was paid (the server then opens the next tab: tabNo goes up). */
export function usePaidNotice(
  tabNo: number,
  durationMs: number = paymentPanelDefaults.paidNoticeMs,
): boolean {
  const seen = useRef(tabNo);
  const [showing, setShowing] = useState(false);
  useEffect(() => {
    if (tabNo <= seen.current) {
      seen.current = tabNo;
      return;
    }
    seen.current = tabNo;
    setShowing(true);
    const id = setTimeout(() => setShowing(false), durationMs);
    return () => clearTimeout(id);
  }, [tabNo, durationMs]);
  return showing;
}

/**
 * `shortLink`: the typeable form of the checkout link (host + /t/<session>, redirected by the
 * server); without it the checkout URL itself is shown, shortened.
 */
export function PaymentPanel({
  payment,
  shortLink,
  large = false,
}: {
  payment: PaymentView;
  shortLink?: string;
  large?: boolean;
}) {
  const paid = usePaidNotice(payment.tabNo);
  if (payment.status === 'processing' && payment.checkoutUrl) {
    return (
      <section
        className={`payment-panel${large ? ' large' : ''}`}
        aria-label="Pay with your phone"
        data-testid="payment-panel"
      >
        <h2>Scan to pay {formatCents(payment.totalCents)}</h2>
        <QrCode
          text={payment.checkoutUrl}
          label={`QR code to pay ${formatCents(payment.totalCents)}`}
        />
        <p className="short-url">
          or open{' '}
          <a href={payment.checkoutUrl} target="_blank" rel="noreferrer" data-testid="payment-url">
            {shortLink ?? shortUrl(payment.checkoutUrl)}
          </a>
        </p>
      </section>
    );
  }
  if (payment.status === 'processing') {
    return (
      <section
        className="payment-panel waiting"
        aria-label="Payment"
        data-testid="payment-panel"
        role="status"
      >
        <p>Preparing your checkout…</p>
      </section>
    );
  }
  if (paid || payment.status === 'completed') {
    return (
      <section
        className="payment-panel paid"
        aria-label="Payment"
        data-testid="payment-panel"
        role="status"
      >
        <p>Paid — thank you!</p>
      </section>
    );
  }
  if (payment.status === 'failed') {
    return (
      <section
        className="payment-panel failed"
        aria-label="Payment"
        data-testid="payment-panel"
        role="alert"
      >
        <p>The payment didn't go through. Say “pay” to try again.</p>
      </section>
    );
  }
  return null;
}
