/**
 * The Stripe provider: one Checkout Session per tab attempt (line items = drinks + tip), status by
 * polling `sessions.retrieve` and by signed webhooks, `sessions.expire` when the guest cancels or
 * the tab changes. The SDK's Idempotency-Key makes a repeated create return the same session.
 */
import Stripe from 'stripe';
import {
  IdempotencyConflictError,
  UnknownCheckoutError,
  checkoutAmountCents,
  lineLabel,
} from './types.ts';
import type {
  Checkout,
  CheckoutEvent,
  CheckoutRequest,
  CheckoutStatus,
  PaymentProvider,
} from './types.ts';

/** Stripe requires expires_at 30 min .. 24 h ahead; a minute of slack over the minimum. */
export const STRIPE_CHECKOUT_EXPIRY_SECONDS = 31 * 60;
/** Webhook signatures older than this are refused (replays); Stripe's own default. */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;
export const STRIPE_REQUEST_TIMEOUT_MS = 10_000;
/** Expiries remembered per idempotency key, so a repeated create sends identical parameters. */
const REMEMBERED_EXPIRIES_MAX = 10_000;

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret?: string;
  /** API base override, e.g. a local stub: http://127.0.0.1:12111. */
  apiUrl?: string;
  /** Public base URL of Maya (success and cancel pages). */
  publicUrl: () => string;
  now?: () => number;
  /** SDK retries of failed requests (safe: creates carry our idempotency key). */
  maxNetworkRetries?: number;
}

export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;
  private readonly now: () => number;
  private readonly expiryByKey = new Map<string, number>();

  constructor(private readonly options: StripeProviderOptions) {
    this.now = options.now ?? Date.now;
    const api = options.apiUrl ? new URL(options.apiUrl) : undefined;
    this.stripe = new Stripe(options.secretKey, {
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: STRIPE_REQUEST_TIMEOUT_MS,
      telemetry: false,
      ...(api && {
        host: api.hostname,
        port: Number(api.port || (api.protocol === 'https:' ? 443 : 80)),
        protocol: api.protocol === 'https:' ? 'https' : 'http',
      }),
    });
  }

  get webhooksEnabled(): boolean {
    return this.options.webhookSecret !== undefined;
  }

  async createCheckout(req: CheckoutRequest): Promise<Checkout> {
    if (checkoutAmountCents(req) !== req.totalCents)
      throw new Error('Line items and tip do not add up to the total.');
    const lineItems: Stripe.Checkout.SessionCreateParams.LineItem[] = req.lines.map((l) => ({
      quantity: l.quantity,
      price_data: {
        currency: 'usd',
        unit_amount: l.unitPriceCents,
        product_data: { name: lineLabel(l) },
      },
    }));
    if (req.tipCents > 0) {
      lineItems.push({
        quantity: 1,
        price_data: {
          currency: 'usd',
          unit_amount: req.tipCents,
          product_data: { name: `Tip (${req.tipPercent}%)` },
        },
      });
    }
    const base = this.options.publicUrl();
    const expiresAt = this.expiryFor(req.idempotencyKey);
    let session: Stripe.Checkout.Session;
    try {
      session = await this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: lineItems,
          client_reference_id: req.sessionId,
          metadata: { maya_session: req.sessionId, tab_no: String(req.tabNo) },
          expires_at: expiresAt,
          success_url: `${base}/paid?checkout={CHECKOUT_SESSION_ID}`,
          cancel_url: `${base}/`,
        },
        { idempotencyKey: req.idempotencyKey },
      );
    } catch (e) {
      if (e instanceof Stripe.errors.StripeIdempotencyError)
        throw new IdempotencyConflictError(req.idempotencyKey);
      throw e;
    }
    if (!session.url) throw new Error(`Stripe returned checkout ${session.id} without a URL.`);
    if (session.amount_total !== null && session.amount_total !== req.totalCents) {
      throw new Error(
        `Stripe checkout ${session.id} charges ${session.amount_total}, expected ${req.totalCents}.`,
      );
    }
    return { checkoutId: session.id, url: session.url };
  }

  /** The same key always gets the same expiry in this process (another process or a restart may not). */
  private expiryFor(idempotencyKey: string): number {
    let at = this.expiryByKey.get(idempotencyKey);
    if (at === undefined) {
      at = Math.floor(this.now() / 1000) + STRIPE_CHECKOUT_EXPIRY_SECONDS;
      this.expiryByKey.set(idempotencyKey, at);
      if (this.expiryByKey.size > REMEMBERED_EXPIRIES_MAX)
        this.expiryByKey.delete(this.expiryByKey.keys().next().value!);
    }
    return at;
  }

  async getStatus(checkoutId: string): Promise<CheckoutStatus> {
    return statusOf(await this.retrieve(checkoutId));
  }

  async expire(checkoutId: string): Promise<CheckoutStatus> {
    try {
      return statusOf(await this.stripe.checkout.sessions.expire(checkoutId));
    } catch (e) {
      // Only open sessions can be expired: anything else already has its final status.
      if (e instanceof Stripe.errors.StripeInvalidRequestError && e.statusCode === 400)
        return this.getStatus(checkoutId);
      if (e instanceof Stripe.errors.StripeInvalidRequestError && e.statusCode === 404)
        throw new UnknownCheckoutError(checkoutId);
      throw e;
    }
  }

  /**
   * Verify a webhook (raw body + Stripe-Signature header, timestamp within tolerance) and read the
   * checkout event from it; null for event types that say nothing about a checkout's outcome.
   */
  parseWebhook(rawBody: Buffer, signatureHeader: string | undefined): CheckoutEvent | null {
    const secret = this.options.webhookSecret;
    if (!secret)
      throw new WebhookSignatureError('Webhooks are not configured (STRIPE_WEBHOOK_SECRET).');
    if (!signatureHeader) throw new WebhookSignatureError('Missing Stripe-Signature header.');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        signatureHeader,
        secret,
        STRIPE_WEBHOOK_TOLERANCE_SECONDS,
        undefined,
        this.now(),
      ); // receivedAt in ms
    } catch (e) {
      throw new WebhookSignatureError(e instanceof Error ? e.message : 'Bad signature.');
    }
    const status = WEBHOOK_STATUS[event.type];
    if (!status) return null;
    const session = event.data.object as Stripe.Checkout.Session;
    if (session.object !== 'checkout.session' || !session.client_reference_id) return null;
    const resolved = status === 'by_payment_status' ? statusOf(session) : status;
    return resolved === 'open'
      ? null
      : { checkoutId: session.id, sessionId: session.client_reference_id, status: resolved };
  }

  private async retrieve(checkoutId: string): Promise<Stripe.Checkout.Session> {
    try {
      return await this.stripe.checkout.sessions.retrieve(checkoutId);
    } catch (e) {
      if (e instanceof Stripe.errors.StripeInvalidRequestError && e.statusCode === 404)
        throw new UnknownCheckoutError(checkoutId);
      throw e;
    }
  }
}

const WEBHOOK_STATUS: Partial<Record<string, CheckoutStatus | 'by_payment_status'>> = {
  'checkout.session.completed': 'by_payment_status', // paid at once for cards; delayed methods follow
  'checkout.session.async_payment_succeeded': 'paid',
  'checkout.session.async_payment_failed': 'declined',
  'checkout.session.expired': 'expired',
};

function statusOf(s: Pick<Stripe.Checkout.Session, 'status' | 'payment_status'>): CheckoutStatus {
  if (s.payment_status === 'paid' || s.payment_status === 'no_payment_required') return 'paid';
  if (s.status === 'expired') return 'expired';
  return 'open'; // open, or complete but a delayed payment method has not settled yet
}
