/** The payment adapter: Stripe Checkout when keyed, Maya's own sandbox checkout page otherwise. */
import type { OrderLine } from '../../shared/domain.ts';

export interface CheckoutRequest {
  sessionId: string;
  tabNo: number;
  /** DOMAIN.md: unique per tab and attempt; creating twice with the same key returns the same checkout. */
  idempotencyKey: string;
  lines: readonly OrderLine[];
  tipCents: number;
  totalCents: number;
}

export interface Checkout {
  checkoutId: string;
  /** Where the guest pays (also rendered as a QR code). */
  url: string;
}

export type CheckoutStatus = 'open' | 'paid' | 'declined' | 'expired';

export interface PaymentProvider {
  readonly name: 'sandbox' | 'stripe';
  createCheckout(req: CheckoutRequest): Promise<Checkout>;
  getStatus(checkoutId: string): Promise<CheckoutStatus>;
  /** Close an open checkout (guest cancelled or the tab changed). */
  expire(checkoutId: string): Promise<void>;
}
