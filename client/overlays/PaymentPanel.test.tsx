// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import QRCode from 'qrcode';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PaymentView } from '../../shared/domain.ts';
import { PaymentPanel, paymentPanelDefaults, qrPath, shortUrl } from './PaymentPanel.tsx';

const payment = (over: Partial<PaymentView> = {}): PaymentView => ({
  balanceCents: 98_680,
  tabCents: 1100,
  tipPercent: 20,
  tipCents: 220,
  totalCents: 1320,
  status: 'pending',
  tabNo: 1,
  checkoutUrl: null,
  ...over,
});
const url = 'http://127.0.0.1:3000/pay/cs_test_a1b2c3d4';

afterEach(cleanup);

describe('payment panel', () => {
  it('shows nothing while the tab is simply open', () => {
    const { container } = render(<PaymentPanel payment={payment()} />);
    expect(container.innerHTML).toBe('');
  });

  it('shows a QR code of the checkout URL and a short URL while payment is processing', () => {
    render(<PaymentPanel payment={payment({ status: 'processing', checkoutUrl: url })} />);
    const qr = screen.getByTestId('payment-qr');
    expect(qr.getAttribute('aria-label')).toContain('$13.20');
    expect(qr.querySelector('path')?.getAttribute('d')).toBe(qrPath(url).path);
    const link = screen.getByTestId('payment-url');
    expect(link.textContent).toBe('127.0.0.1:3000/pay/cs_test_a1b2c3d4');
    expect(link.getAttribute('href')).toBe(url);
    expect(screen.getByRole('heading').textContent).toBe('Scan to pay $13.20');
  });

  it('says it is preparing before the checkout URL arrives, and offers a retry after a failure', () => {
    const { rerender } = render(<PaymentPanel payment={payment({ status: 'processing' })} />);
    expect(screen.getByTestId('payment-panel').textContent).toMatch(/Preparing/);
    expect(screen.queryByTestId('payment-qr')).toBeNull();
    rerender(<PaymentPanel payment={payment({ status: 'failed' })} />);
    expect(screen.getByRole('alert').textContent).toMatch(/try again/);
  });
});

describe('after paying', () => {
  it('thanks the guest for a few seconds when the server opens the next tab', () => {
    vi.useFakeTimers();
    try {
      const { rerender } = render(
        <PaymentPanel payment={payment({ status: 'processing', checkoutUrl: url })} />,
      );
      rerender(
        <PaymentPanel
          payment={payment({ tabNo: 2, tabCents: 0, tipPercent: null, tipCents: 0, totalCents: 0 })}
        />,
      );
      expect(screen.getByRole('status').textContent).toBe('Paid — thank you!');
      expect(screen.queryByTestId('payment-qr')).toBeNull();
      act(() => void vi.advanceTimersByTime(paymentPanelDefaults.paidNoticeMs + 10));
      expect(screen.queryByTestId('payment-panel')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('QR drawing', () => {
  it('draws exactly the dark modules of the code, inside a 4-module quiet zone', () => {
    const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
    let dark = 0;
    for (let r = 0; r < modules.size; r++)
      for (let c = 0; c < modules.size; c++) dark += modules.get(r, c) ? 1 : 0;
    const { size, path } = qrPath(url);
    expect(size).toBe(modules.size + 8);
    expect(path.match(/M/g)?.length).toBe(dark);
    // The top-left finder pattern's corner module sits right after the quiet zone.
    expect(path.startsWith('M4 4h1v1h-1z')).toBe(true);
  });

  it('shortens long URLs in the middle, keeping host and tail', () => {
    expect(shortUrl('https://www.example.com/p')).toBe('example.com/p');
    const long = shortUrl(
      'https://checkout.stripe.com/c/pay/cs_test_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ',
    );
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long.startsWith('checkout.stripe.com/')).toBe(true);
    expect(long).toContain('…');
    expect(long.endsWith('XyZ')).toBe(true);
  });
});
