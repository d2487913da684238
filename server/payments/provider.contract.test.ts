/**
 * One contract for every PaymentProvider (sandbox, Stripe against the local stub of its REST API),
 * plus what only Stripe does: the wire format of the Checkout Session and webhook verification.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { priceLine } from '../state/rules.ts';
import { SandboxPaymentProvider } from './sandbox.ts';
import {
  STRIPE_CHECKOUT_EXPIRY_SECONDS,
  StripePaymentProvider,
  WebhookSignatureError,
} from './stripe.ts';
import { IdempotencyConflictError, UnknownCheckoutError } from './types.ts';
import type { CheckoutRequest, PaymentProvider } from './types.ts';
import { StripeStub, decodeForm, signStripePayload } from '../testing/stripeStub.ts';

process.env.STRIPE_SUPPRESS_NOTICES = 'true';
const API_KEY = 'sk_test_maya_stub_key';
const WEBHOOK_SECRET = 'whsec_test_maya_secret';
const stub = new StripeStub({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET });
beforeAll(() => stub.start());
afterAll(() => stub.stop());

const stripeProvider = () =>
  new StripePaymentProvider({
    secretKey: API_KEY,
    webhookSecret: WEBHOOK_SECRET,
    apiUrl: stub.url,
    publicUrl: () => 'http://maya.test',
    maxNetworkRetries: 0,
  });

let keyNo = 0;
function request(overrides: Partial<CheckoutRequest> = {}): CheckoutRequest {
  const lines = [
    priceLine({ item: 'margarita', quantity: 2 }),
    priceLine({ item: 'whiskey', modifiers: ['double', 'neat'] }),
  ];
  const tab = lines.reduce((s, l) => s + l.lineCents, 0); // 2200 + 1200
  return {
    sessionId: 'session-abcdef',
    tabNo: 1,
    idempotencyKey: `tab-session-abcdef-1-${++keyNo}`,
    lines,
    tipPercent: 15,
    tipCents: 510,
    totalCents: tab + 510,
    ...overrides,
  };
}

interface Harness {
  make(): PaymentProvider;
  /** The guest pays / the checkout lapses, outside Maya. */
  pay(p: PaymentProvider, id: string): void;
  lapse(p: PaymentProvider, id: string): void;
}

const harnesses: [string, Harness][] = [
  [
    'sandbox',
    {
      make: () => new SandboxPaymentProvider(() => 'http://maya.test'),
      pay: (p, id) => void (p as SandboxPaymentProvider).decide(id, 'paid'),
      lapse: (p, id) => void p.expire(id),
    },
  ],
  [
    'stripe (stub)',
    {
      make: stripeProvider,
      pay: (_p, id) => void stub.markPaid(id),
      lapse: (_p, id) => void stub.markExpired(id),
    },
  ],
];

describe.each(harnesses)('PaymentProvider contract: %s', (_name, h) => {
  it('creates an open checkout with a URL; the same idempotency key returns the same checkout', async () => {
    const p = h.make();
    const req = request();
    const a = await p.createCheckout(req);
    expect(new URL(a.url).protocol).toMatch(/^https?:$/);
    expect(await p.getStatus(a.checkoutId)).toBe('open');
    const again = await p.createCheckout(req);
    expect(again.checkoutId).toBe(a.checkoutId);
    const other = await p.createCheckout(request());
    expect(other.checkoutId).not.toBe(a.checkoutId);
  });

  it('reports paid once paid; expiring a paid checkout reports paid', async () => {
    const p = h.make();
    const { checkoutId } = await p.createCheckout(request());
    h.pay(p, checkoutId);
    expect(await p.getStatus(checkoutId)).toBe('paid');
    expect(await p.expire(checkoutId)).toBe('paid');
  });

  it('expires an open checkout, and expiring again is harmless', async () => {
    const p = h.make();
    const { checkoutId } = await p.createCheckout(request());
    expect(await p.expire(checkoutId)).toBe('expired');
    expect(await p.getStatus(checkoutId)).toBe('expired');
    expect(await p.expire(checkoutId)).toBe('expired');
  });

  it('reports a lapsed checkout as expired', async () => {
    const p = h.make();
    const { checkoutId } = await p.createCheckout(request());
    h.lapse(p, checkoutId);
    expect(await p.getStatus(checkoutId)).toBe('expired');
  });

  it('refuses unknown checkout ids and totals that do not add up', async () => {
    const p = h.make();
    await expect(p.getStatus('cs_test_unknown')).rejects.toBeInstanceOf(UnknownCheckoutError);
    await expect(p.createCheckout(request({ totalCents: 1 }))).rejects.toThrow(/add up/);
  });
});

describe('Stripe provider on the wire', () => {
  it('sends a payment-mode Checkout Session: a line per drink, the tip, the session, an expiry, our idempotency key', async () => {
    const req = request();
    const before = Math.floor(Date.now() / 1000);
    const { checkoutId, url } = await stripeProvider().createCheckout(req);
    const s = stub.sessions.get(checkoutId)!;
    expect(url).toBe(s.url);
    expect(s).toMatchObject({
      mode: 'payment',
      currency: 'usd',
      client_reference_id: 'session-abcdef',
      amount_total: req.totalCents,
      metadata: { maya_session: 'session-abcdef', tab_no: '1' },
    });
    expect(s.line_items).toEqual([
      { name: 'Margarita', quantity: 2, unit_amount: 1100 },
      { name: 'Whiskey (double, neat)', quantity: 1, unit_amount: 1200 },
      { name: 'Tip (15%)', quantity: 1, unit_amount: 510 },
    ]);
    expect(s.expires_at - before).toBeGreaterThan(30 * 60);
    expect(s.expires_at - before).toBeLessThanOrEqual(STRIPE_CHECKOUT_EXPIRY_SECONDS);
    expect(s.success_url).toBe('http://maya.test/paid?checkout={CHECKOUT_SESSION_ID}');
    const creates = stub.requests.filter(
      (r) => r.method === 'POST' && r.path === '/v1/checkout/sessions',
    );
    expect(creates.at(-1)?.idempotencyKey).toBe(req.idempotencyKey);
  });

  it('the stub decodes bracket-encoded forms like the Stripe API', () => {
    expect(
      decodeForm(
        'mode=payment&line_items[0][quantity]=2&line_items[0][price_data][product_data][name]=Gin+%26+Tonic&metadata[a]=b',
      ),
    ).toEqual({
      mode: 'payment',
      line_items: [{ quantity: '2', price_data: { product_data: { name: 'Gin & Tonic' } } }],
      metadata: { a: 'b' },
    });
  });

  it('the same idempotency key with different parameters is an IdempotencyConflictError', async () => {
    const req = request();
    const p = stripeProvider();
    await p.createCheckout(req);
    await expect(
      p.createCheckout({ ...req, tipCents: 0, tipPercent: null, totalCents: req.totalCents - 510 }),
    ).rejects.toBeInstanceOf(IdempotencyConflictError);
    // Another process (or this one after a restart) computes another expiry for the same key.
    const later = new StripePaymentProvider({
      secretKey: API_KEY,
      apiUrl: stub.url,
      publicUrl: () => 'http://maya.test',
      maxNetworkRetries: 0,
      now: () => Date.now() + 120_000,
    });
    await expect(later.createCheckout(req)).rejects.toBeInstanceOf(IdempotencyConflictError);
    // The same process repeats the very same request, however much later.
    const sameProcessLater = await p.createCheckout(req);
    expect(stub.sessions.get(sameProcessLater.checkoutId)?.client_reference_id).toBe(
      'session-abcdef',
    );
  });

  it('a wrong key is an authentication error', async () => {
    const bad = new StripePaymentProvider({
      secretKey: 'sk_test_wrong',
      apiUrl: stub.url,
      publicUrl: () => 'http://maya.test',
      maxNetworkRetries: 0,
    });
    await expect(bad.createCheckout(request())).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
  });

  it('verifies webhook signatures: Stripe-signed events pass; forged, stale or unsigned ones are refused', async () => {
    const p = stripeProvider();
    const { checkoutId } = await p.createCheckout(request());
    const session = stub.markPaid(checkoutId);
    const good = stub.signedEvent('checkout.session.completed', session);
    expect(p.parseWebhook(Buffer.from(good.body), good.signature)).toEqual({
      checkoutId,
      sessionId: 'session-abcdef',
      status: 'paid',
    });

    // The SDK's own signer agrees with the stub's (not circular: the stub signs with node:crypto).
    const sdkHeader = Stripe.webhooks.generateTestHeaderString({
      payload: good.body,
      secret: WEBHOOK_SECRET,
    });
    expect(p.parseWebhook(Buffer.from(good.body), sdkHeader)?.status).toBe('paid');

    const forged = stub.signedEvent('checkout.session.completed', session, {
      secret: 'whsec_attacker',
    });
    const stale = stub.signedEvent('checkout.session.completed', session, {
      timestampSeconds: Math.floor(Date.now() / 1000) - 600,
    });
    const tampered = good.body.replace('"paid"', '"unpaid"');
    expect(() => p.parseWebhook(Buffer.from(forged.body), forged.signature)).toThrow(
      WebhookSignatureError,
    );
    expect(() => p.parseWebhook(Buffer.from(stale.body), stale.signature)).toThrow(/tolerance/i);
    expect(() => p.parseWebhook(Buffer.from(tampered), good.signature)).toThrow(
      WebhookSignatureError,
    );
    expect(() => p.parseWebhook(Buffer.from(good.body), undefined)).toThrow(/Missing/);
    expect(() =>
      p.parseWebhook(Buffer.from(good.body), signStripePayload(good.body, WEBHOOK_SECRET, 1)),
    ).toThrow(WebhookSignatureError);
  });

  it('maps checkout events to outcomes and ignores the rest', async () => {
    const p = stripeProvider();
    const { checkoutId } = await p.createCheckout(request());
    const open = stub.sessions.get(checkoutId)!;
    const parse = (type: string) => {
      const e = stub.signedEvent(type, open);
      return p.parseWebhook(Buffer.from(e.body), e.signature);
    };
    expect(parse('checkout.session.completed')).toBeNull(); // complete but unpaid: a delayed method
    expect(parse('checkout.session.async_payment_failed')?.status).toBe('declined');
    expect(parse('checkout.session.async_payment_succeeded')?.status).toBe('paid');
    expect(parse('customer.created')).toBeNull();
    stub.markExpired(checkoutId);
    expect(parse('checkout.session.expired')).toEqual({
      checkoutId,
      sessionId: 'session-abcdef',
      status: 'expired',
    });
  });
});
