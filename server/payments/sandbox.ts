/**
 * The sandbox provider: Maya's own checkout page (GET /pay/<id>, with Pay and Decline buttons), so the
 * whole payment flow works offline and in tests. Checkouts live in this process's memory: with several
 * server processes the page must be opened on the process that created it (Stripe has no such limit).
 */
import { randomBytes } from 'node:crypto';
import type { OrderLine } from '../../shared/domain.ts';
import { IdempotencyConflictError, UnknownCheckoutError, checkoutAmountCents } from './types.ts';
import type { Checkout, CheckoutRequest, CheckoutStatus, PaymentProvider } from './types.ts';

export interface SandboxCheckout {
  checkoutId: string;
  sessionId: string;
  idempotencyKey: string;
  lines: OrderLine[];
  tipCents: number;
  totalCents: number;
  status: CheckoutStatus;
  url: string;
}

export class SandboxPaymentProvider implements PaymentProvider {
  readonly name = 'sandbox' as const;
  private readonly byId = new Map<string, SandboxCheckout>();
  private readonly byKey = new Map<string, string>();

  /** `baseUrl` is read per checkout: with PORT=0 it is only known after the server listens. */
  constructor(private readonly baseUrl: () => string) {}

  async createCheckout(req: CheckoutRequest): Promise<Checkout> {
    const existing = this.byKey.get(req.idempotencyKey);
    if (existing) {
      const c = this.byId.get(existing)!;
      if (c.totalCents !== req.totalCents) throw new IdempotencyConflictError(req.idempotencyKey);
      return { checkoutId: c.checkoutId, url: c.url };
    }
    if (checkoutAmountCents(req) !== req.totalCents)
      throw new Error('Line items and tip do not add up to the total.');
    const checkoutId = `sbx_${randomBytes(16).toString('base64url')}`;
    const url = `${this.baseUrl()}/pay/${checkoutId}`;
    this.byId.set(checkoutId, {
      checkoutId,
      sessionId: req.sessionId,
      idempotencyKey: req.idempotencyKey,
      lines: structuredClone([...req.lines]),
      tipCents: req.tipCents,
      totalCents: req.totalCents,
      status: 'open',
      url,
    });
    this.byKey.set(req.idempotencyKey, checkoutId);
    return { checkoutId, url };
  }

  async getStatus(checkoutId: string): Promise<CheckoutStatus> {
    return this.find(checkoutId).status;
  }

  async expire(checkoutId: string): Promise<CheckoutStatus> {
    const c = this.find(checkoutId);
    if (c.status === 'open') c.status = 'expired';
    return c.status;
  }

  /** The checkout page's view of a checkout, or undefined for an id never issued here. */
  get(checkoutId: string): Readonly<SandboxCheckout> | undefined {
    return this.byId.get(checkoutId);
  }

  /**
   * The guest pressed Pay or Decline on the page. Only an open checkout can be decided; the status
   * it ends in is returned (so pressing Pay twice reports "already paid" and changes nothing).
   */
  decide(
    checkoutId: string,
    outcome: 'paid' | 'declined',
  ): { changed: boolean; status: CheckoutStatus } {
    const c = this.find(checkoutId);
    if (c.status !== 'open') return { changed: false, status: c.status };
    c.status = outcome;
    return { changed: true, status: outcome };
  }

  private find(checkoutId: string): SandboxCheckout {
    const c = this.byId.get(checkoutId);
    if (!c) throw new UnknownCheckoutError(checkoutId);
    return c;
  }
}
