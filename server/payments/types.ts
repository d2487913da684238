/** The payment adapter: Stripe Checkout when keyed, Maya's own sandbox checkout page otherwise. */
import type { OrderLine, TipPercent } from '../../shared/domain.ts';

export interface CheckoutRequest {
  sessionId: string;
  tabNo: number;
  /** DOMAIN.md: unique per tab and attempt; creating twice with the same key returns the same checkout. */
  idempotencyKey: string;
  lines: readonly OrderLine[];
  tipPercent: TipPercent | null;
  tipCents: number;
  totalCents: number;
}

export interface Checkout {
  checkoutId: string;
  /** Where the guest pays (also rendered as a QR code). */
  url: string;
}

export type CheckoutStatus = 'open' | 'paid' | 'declined' | 'expired';

/** What a provider reports about a checkout out of band (a webhook, the sandbox page's buttons). */
export interface CheckoutEvent {
  checkoutId: string;
  /** The Maya session the checkout belongs to (Stripe: client_reference_id). */
  sessionId: string;
  status: CheckoutStatus;
}

export interface PaymentProvider {
  readonly name: 'sandbox' | 'stripe';
  createCheckout(req: CheckoutRequest): Promise<Checkout>;
  /** Throws UnknownCheckoutError for an id the provider never issued. */
  getStatus(checkoutId: string): Promise<CheckoutStatus>;
  /**
   * Close an open checkout (guest cancelled, the tab changed, polling gave up) and return its final
   * status: 'expired' normally, 'paid' when the guest paid first — then the tab must be completed.
   */
  expire(checkoutId: string): Promise<CheckoutStatus>;
}

export class UnknownCheckoutError extends Error {
  constructor(readonly checkoutId: string) {
    super(`Unknown checkout ${checkoutId}.`);
    this.name = 'UnknownCheckoutError';
  }
}

/**
 * The idempotency key was already used with different parameters (e.g. a retry after a restart
 * computed another expiry). The attempt must move on to a fresh key.
 */
export class IdempotencyConflictError extends Error {
  constructor(readonly idempotencyKey: string) {
    super(`Idempotency key ${idempotencyKey} was already used with different parameters.`);
    this.name = 'IdempotencyConflictError';
  }
}

/** The sum the provider will charge, from the lines and tip: must equal the tab's total. */
export function checkoutAmountCents(req: Pick<CheckoutRequest, 'lines' | 'tipCents'>): number {
  return req.lines.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0) + req.tipCents;
}

/** The line-item label of an order line, e.g. "Martini (dirty, shaken)". */
export function lineLabel(line: OrderLine): string {
  return line.modifiers.length ? `${line.item} (${line.modifiers.join(', ')})` : line.item;
}
