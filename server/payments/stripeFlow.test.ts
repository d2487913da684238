/**
 * The whole Stripe payment flow through the real server: websocket turns, the real `stripe` SDK
 * against the local stub of the Stripe REST API, signed webhooks at /webhooks/stripe, polling,
 * cancellation, a restart mid-payment and a store that fails on purpose.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../app.ts';
import type { App, AppOverrides } from '../app.ts';
import { loadConfig } from '../config.ts';
import { TestClient } from '../testing/wsClient.ts';
import { StripeStub } from '../testing/stripeStub.ts';
import { FlakyStore } from '../testing/flakyStore.ts';
import { MemorySessionStore } from '../store/memory.ts';
import { paymentLines } from './phrases.ts';
import { StripePaymentProvider } from './stripe.ts';

process.env.STRIPE_SUPPRESS_NOTICES = 'true';
const API_KEY = 'sk_test_maya_flow';
const WEBHOOK_SECRET = 'whsec_maya_flow_secret';
const stub = new StripeStub({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET });
beforeAll(() => stub.start());
afterAll(() => stub.stop());

const apps: App[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const a of apps.splice(0)) await a.close();
});

async function start(env: Record<string, string> = {}, overrides: AppOverrides = {}) {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    STRIPE_SECRET_KEY: API_KEY,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_URL: stub.url,
    MAYA_PAYMENT_POLL_INTERVAL_MS: '60000', // webhook-only unless a test polls
    ...env,
  });
  const app = await startApp(config, {
    log: pino({ level: process.env.DEBUG_LOG ?? 'silent' }),
    serveClient: false,
    ...overrides,
  });
  apps.push(app);
  return app;
}

async function guest(app: App, resume?: { sessionId: string; resumeToken: string }) {
  const c = await TestClient.open(`${app.url.replace('http', 'ws')}/ws`);
  clients.push(c);
  const welcome = await c.hello(resume ?? {});
  return { c, welcome };
}

/** Order two margaritas, tip 20 %, say "I'd like to pay": the open Stripe session. */
async function openCheckout(app: App) {
  const { c, welcome } = await guest(app);
  await c.say('two margaritas please');
  c.send({ type: 'set_tip', percent: 20 });
  await c.next('state', (m) => m.state.payment.tipPercent === 20);
  const { reply } = await c.say("I'd like to pay");
  expect(reply).toEqual({ type: 'reply', text: paymentLines.opened(2640), emotion: 'thinking' });
  const s = await app.manager.get(welcome.sessionId);
  expect(s.payment.status).toBe('processing');
  const checkoutId = s.payment.providerRef!.checkoutId;
  expect(stub.sessions.get(checkoutId)).toMatchObject({
    status: 'open',
    amount_total: 2640,
    client_reference_id: welcome.sessionId,
  });
  expect(
    c.messages.some(
      (m) =>
        m.type === 'state' && m.state.payment.checkoutUrl === stub.sessions.get(checkoutId)!.url,
    ),
  ).toBe(true);
  return { c, welcome, checkoutId, sessionId: welcome.sessionId };
}

const thanks = (c: TestClient) =>
  c.messages.filter((m) => m.type === 'reply' && m.text === paymentLines.paid(2640));
const webhookUrl = (app: App) => `${app.url}/webhooks/stripe`;

describe('Stripe Checkout flow', () => {
  it('a signed webhook completes the tab: thanks once (happy), tab reset, a new tab; duplicates change nothing', async () => {
    const app = await start();
    const { c, sessionId, checkoutId } = await openCheckout(app);
    const evt = stub.signedEvent('checkout.session.completed', stub.markPaid(checkoutId));

    const res = await stub.deliver(webhookUrl(app), evt);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, outcome: 'completed' });
    const said = await c.next('reply', (m) => m.text.startsWith('Thank you'));
    expect(said).toEqual({ type: 'reply', text: paymentLines.paid(2640), emotion: 'happy' });
    const s = await app.manager.get(sessionId);
    expect(s.payment).toMatchObject({
      status: 'pending',
      tabNo: 2,
      tabCents: 0,
      tipCents: 0,
      tipPercent: null,
      balanceCents: 100000 - 2200,
    });
    expect(s.emotion).toBe('happy');
    const last = c.messages.filter((m) => m.type === 'state').at(-1);
    expect(last?.type === 'state' && last.state.payment).toMatchObject({
      tabCents: 0,
      totalCents: 0,
      tabNo: 2,
      checkoutUrl: null,
    });

    // Stripe delivers at least once: the same event again, and a replay of it, are no-ops.
    for (let i = 0; i < 3; i++) {
      const again = await stub.deliver(
        webhookUrl(app),
        i === 2
          ? stub.signedEvent('checkout.session.completed', stub.sessions.get(checkoutId)!)
          : evt,
      );
      expect(await again.json()).toEqual({ received: true, outcome: 'already_completed' });
    }
    expect((await app.manager.get(sessionId)).version).toBe(s.version);
    await new Promise((r) => setTimeout(r, 50));
    expect(thanks(c)).toHaveLength(1);
  });

  it('poll and webhooks racing complete the tab exactly once', async () => {
    const app = await start({ MAYA_PAYMENT_POLL_INTERVAL_MS: '10' });
    const { c, sessionId, checkoutId } = await openCheckout(app);
    const evt = stub.signedEvent('checkout.session.completed', stub.markPaid(checkoutId));
    const responses = await Promise.all([1, 2, 3, 4].map(() => stub.deliver(webhookUrl(app), evt)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await c.next('reply', (m) => m.text.startsWith('Thank you'));
    await new Promise((r) => setTimeout(r, 60)); // several poll intervals
    const s = await app.manager.get(sessionId);
    expect(s.orderHistory).toHaveLength(1);
    expect(s.payment.paidCents).toBe(2200);
    expect(thanks(c)).toHaveLength(1);
    expect(app.payments.isWatching(sessionId)).toBe(false);
  });

  it('polling alone notices the payment (no webhook reachable)', async () => {
    const app = await start({ MAYA_PAYMENT_POLL_INTERVAL_MS: '10', STRIPE_WEBHOOK_SECRET: '' }, {});
    const { c, checkoutId } = await openCheckout(app);
    stub.markPaid(checkoutId);
    expect((await c.next('reply', (m) => m.text.startsWith('Thank you'))).emotion).toBe('happy');
  });

  it('refuses forged, replayed and unsigned webhooks; acknowledges unknown checkouts; nothing changes', async () => {
    const app = await start();
    const { sessionId, checkoutId } = await openCheckout(app);
    const paid = stub.markPaid(checkoutId);
    const version = (await app.manager.get(sessionId)).version;
    const post = (body: string, signature?: string) =>
      fetch(webhookUrl(app), {
        method: 'POST',
        headers: signature ? { 'stripe-signature': signature } : {},
        body,
      });

    const forged = stub.signedEvent('checkout.session.completed', paid, {
      secret: 'whsec_attacker_secret',
    });
    const replayed = stub.signedEvent('checkout.session.completed', paid, {
      timestampSeconds: Math.floor(Date.now() / 1000) - 3600,
    });
    for (const [res, why] of [
      [await post(forged.body, forged.signature), /signature/i],
      [await post(replayed.body, replayed.signature), /tolerance/i],
      [await post(forged.body), /Missing Stripe-Signature/],
      [await post('{"not":"json"', stub.signedEvent('x', paid).signature), /signature/i],
    ] as const) {
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe('bad_signature');
      expect(body.message).toMatch(why);
    }
    expect((await fetch(webhookUrl(app))).status).toBe(405);
    const huge = await post('x'.repeat(300 * 1024), 't=1,v1=00');
    expect(huge.status).toBe(413);

    // Authentic events about checkouts that are not ours: acknowledged, ignored.
    const foreign = {
      ...paid,
      id: 'cs_test_someone_else',
      client_reference_id: 'not-a-maya-session',
    };
    const unknown = stub.signedEvent('checkout.session.completed', foreign);
    expect(await (await post(unknown.body, unknown.signature)).json()).toEqual({
      received: true,
      ignored: 'unknown or stale checkout',
    });
    const wrongSession = stub.signedEvent('checkout.session.completed', {
      ...paid,
      id: 'cs_test_not_open',
    });
    expect(await (await post(wrongSession.body, wrongSession.signature)).json()).toEqual({
      received: true,
      ignored: 'unknown or stale checkout',
    });
    const other = stub.signedEvent('customer.created', paid);
    expect(await (await post(other.body, other.signature)).json()).toEqual({
      received: true,
      ignored: 'event type not used',
    });

    const s = await app.manager.get(sessionId);
    expect(s.version).toBe(version);
    expect(s.payment.status).toBe('processing');
  });

  it('an expired checkout: Maya says so and offers a retry; the retry opens a new session with a new key', async () => {
    const app = await start();
    const { c, sessionId, checkoutId } = await openCheckout(app);
    const res = await stub.deliver(
      webhookUrl(app),
      stub.signedEvent('checkout.session.expired', stub.markExpired(checkoutId)),
    );
    expect(await res.json()).toEqual({ received: true, outcome: 'failed' });
    expect(await c.next('reply', (m) => m.text.includes('expired'))).toEqual({
      type: 'reply',
      text: paymentLines.failed('expired'),
      emotion: 'neutral',
    });
    expect((await app.manager.get(sessionId)).payment.status).toBe('failed');

    const { reply } = await c.say('pay my bill');
    expect(reply.text).toBe(paymentLines.opened(2640));
    const s = await app.manager.get(sessionId);
    expect(s.payment).toMatchObject({ status: 'processing', attempt: 2 });
    expect(s.payment.providerRef!.checkoutId).not.toBe(checkoutId);
    expect(
      stub.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)?.idempotencyKey,
    ).toBe(`tab-${sessionId}-1-2`);
  });

  it('the Pay button twice shows the same checkout; "cancel the payment" expires it at Stripe', async () => {
    const app = await start();
    const { c, sessionId, checkoutId } = await openCheckout(app);
    const creates = stub.requests.filter((r) => r.path === '/v1/checkout/sessions').length;
    c.send({ type: 'pay' });
    expect((await c.next('reply')).text).toBe(paymentLines.stillOpen(2640));
    expect(stub.requests.filter((r) => r.path === '/v1/checkout/sessions').length).toBe(creates);

    const { reply } = await c.say('cancel the payment');
    expect(reply.text).toBe(paymentLines.cancelled);
    expect(stub.sessions.get(checkoutId)?.status).toBe('expired');
    expect((await app.manager.get(sessionId)).payment).toMatchObject({
      status: 'pending',
      tabCents: 2200,
    });
    c.send({ type: 'cancel_payment' });
    expect((await c.next('error')).code).toBe('INVALID_TRANSITION');
  });

  it('ordering more while paying expires the Stripe session; paying an empty tab is refused', async () => {
    const app = await start();
    const { c, sessionId, checkoutId } = await openCheckout(app);
    await c.say('and a water');
    await expect.poll(() => stub.sessions.get(checkoutId)?.status).toBe('expired');
    expect((await app.manager.get(sessionId)).payment.status).toBe('pending');

    const { c: empty } = await guest(app);
    empty.send({ type: 'pay' });
    const err = await empty.next('error');
    expect(err).toMatchObject({ code: 'PAYMENT_FAILED' });
    expect(err.message).toMatch(/nothing to pay/);
  });

  it('two server processes on one store: webhook on one, polling on the other, the guest hears thanks once', async () => {
    // Two app instances sharing a store object stand in for two processes sharing Redis: each has its
    // own transport, payment service, poller and webhook endpoint; changes reach both via onChange.
    const store = new MemorySessionStore();
    const a = await start({ MAYA_PAYMENT_POLL_INTERVAL_MS: '10' }, { store });
    const b = await start({ MAYA_PAYMENT_POLL_INTERVAL_MS: '10' }, { store });
    const { c, sessionId, checkoutId } = await openCheckout(a); // guest on A, A polls
    const { c: sameGuestOnB } = await guest(b, {
      sessionId,
      resumeToken: (await a.manager.get(sessionId)).resumeToken,
    });
    const evt = stub.signedEvent('checkout.session.completed', stub.markPaid(checkoutId));
    const results = await Promise.all([
      stub.deliver(webhookUrl(b), evt),
      stub.deliver(webhookUrl(a), evt),
      stub.deliver(webhookUrl(b), evt),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await c.next('reply', (m) => m.text.startsWith('Thank you'));
    await sameGuestOnB.next('reply', (m) => m.text.startsWith('Thank you'));
    await new Promise((r) => setTimeout(r, 60));
    expect(thanks(c)).toHaveLength(1);
    expect(thanks(sameGuestOnB)).toHaveLength(1);
    expect((await a.manager.get(sessionId)).orderHistory).toHaveLength(1);
    expect(a.payments.isWatching(sessionId)).toBe(false);
  });

  it('Stripe unreachable: Maya says so (PAYMENT_UNAVAILABLE), the tab is kept, and a retry works', async () => {
    const provider = new StripePaymentProvider({
      secretKey: API_KEY,
      apiUrl: stub.url,
      publicUrl: () => 'http://maya.test',
      maxNetworkRetries: 0,
    });
    const app = await start({}, { paymentProvider: provider });
    const { c, welcome } = await guest(app);
    await c.say('a mojito');
    stub.failNext = 1;
    c.send({ type: 'pay' });
    const err = await c.next('error');
    expect(err.code).toBe('PAYMENT_UNAVAILABLE');
    expect((await app.manager.get(welcome.sessionId)).payment).toMatchObject({
      status: 'failed',
      tabCents: 1100,
    });
    const { reply } = await c.say('I want to pay');
    expect(reply.text).toBe(paymentLines.opened(1100));
    // The failed creation was answered by the error alone: no stray out-of-turn announcement.
    expect(
      c.messages.filter((m) => m.type === 'reply').map((m) => m.type === 'reply' && m.text),
    ).toEqual(["One Mojito, that's $11.00 — coming right up.", paymentLines.opened(1100)]);
    expect((await app.manager.get(welcome.sessionId)).payment).toMatchObject({
      status: 'processing',
      attempt: 2,
    });
  });

  it('a checkout created before a crash (key spent, never shown) makes way for a fresh attempt', async () => {
    const app = await start();
    const { c, welcome } = await guest(app);
    await c.say('a mojito');
    // The crashed process: began the checkout and created it at Stripe twenty seconds ago, then died.
    const { state } = await app.manager.beginCheckout(welcome.sessionId);
    const before = new StripePaymentProvider({
      secretKey: API_KEY,
      apiUrl: stub.url,
      publicUrl: () => 'http://maya.test',
      maxNetworkRetries: 0,
      now: () => Date.now() - 20_000,
    });
    const orphan = await before.createCheckout({
      sessionId: welcome.sessionId,
      tabNo: 1,
      idempotencyKey: state.payment.idempotencyKey!,
      lines: state.order,
      tipPercent: null,
      tipCents: 0,
      totalCents: 1100,
    });
    const { reply } = await c.say('pay my tab');
    expect(reply.text).toBe(paymentLines.opened(1100));
    const s = await app.manager.get(welcome.sessionId);
    expect(s.payment).toMatchObject({ status: 'processing', attempt: 2 });
    expect(s.payment.providerRef!.checkoutId).not.toBe(orphan.checkoutId);
  });

  it("the stub's test route marks a session paid over HTTP", async () => {
    const app = await start({ MAYA_PAYMENT_POLL_INTERVAL_MS: '10' });
    const { c, checkoutId } = await openCheckout(app);
    const res = await fetch(`${stub.url}/__stub/checkout/sessions/${checkoutId}/pay`, {
      method: 'POST',
    });
    expect(await res.json()).toMatchObject({
      id: checkoutId,
      status: 'complete',
      payment_status: 'paid',
      url: null,
    });
    expect(
      (await fetch(`${stub.url}/__stub/checkout/sessions/${checkoutId}/expire`, { method: 'POST' }))
        .status,
    ).toBe(409);
    await c.next('reply', (m) => m.text.startsWith('Thank you'));
  });

  it('a server restart mid-payment: the new process resumes and completes the tab once', async () => {
    const store = new MemorySessionStore();
    const first = await start({}, { store });
    const { sessionId, welcome, checkoutId } = await openCheckout(first);
    await clients.pop()!.close();
    await first.close(); // the process goes away with the checkout open
    apps.splice(apps.indexOf(first), 1);
    stub.markPaid(checkoutId); // the guest pays on the phone meanwhile

    const second = await start({ MAYA_PAYMENT_POLL_INTERVAL_MS: '10' }, { store });
    // The restarted server found the open checkout in the store and polls it: the guest, back on
    // the kiosk, sees a fresh tab.
    await expect.poll(async () => (await second.manager.get(sessionId)).payment.tabNo).toBe(2);
    const { welcome: back } = await guest(second, { sessionId, resumeToken: welcome.resumeToken });
    expect(back.resumed).toBe(true);
    expect(back.state.payment).toMatchObject({ tabCents: 0, tabNo: 2, status: 'pending' });
    // A late webhook for the same payment (Stripe retries) changes nothing.
    const late = await stub.deliver(
      webhookUrl(second),
      stub.signedEvent('checkout.session.completed', stub.sessions.get(checkoutId)!),
    );
    expect(await late.json()).toEqual({ received: true, outcome: 'already_completed' });
    expect((await second.manager.get(sessionId)).orderHistory).toHaveLength(1);
  });

  it('a guest who reconnects to a restarted server hears the thanks when the payment lands', async () => {
    const store = new MemorySessionStore();
    const first = await start({}, { store });
    const { sessionId, welcome, checkoutId } = await openCheckout(first);
    await clients.pop()!.close();
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    const second = await start({ MAYA_PAYMENT_POLL_INTERVAL_MS: '10' }, { store });
    const { c } = await guest(second, { sessionId, resumeToken: welcome.resumeToken });
    stub.markPaid(checkoutId);
    expect(await c.next('reply')).toEqual({
      type: 'reply',
      text: paymentLines.paid(2640),
      emotion: 'happy',
    });
    expect((await second.manager.get(sessionId)).orderHistory).toHaveLength(1);
  });

  it('when the store cannot record a paid webhook: 500 (Stripe retries), flagged, reconciled once', async () => {
    const store = new FlakyStore();
    const app = await start({ MAYA_PAYMENT_RECONCILE_INTERVAL_MS: '20' }, { store });
    const { c, sessionId, checkoutId } = await openCheckout(app);
    const evt = stub.signedEvent('checkout.session.completed', stub.markPaid(checkoutId));
    store.failWrite = () => true;
    const res = await stub.deliver(webhookUrl(app), evt);
    expect(res.status).toBe(500);
    expect((await app.manager.get(sessionId)).payment.status).toBe('processing');
    expect(app.payments.pendingReconciliation().get(sessionId)).toBe(checkoutId);

    store.failWrite = () => false; // the store comes back; the reconciler's timer fixes the tab
    expect((await c.next('reply', (m) => m.text.startsWith('Thank you'))).emotion).toBe('happy');
    const retried = await stub.deliver(webhookUrl(app), evt); // Stripe's retry
    expect(await retried.json()).toEqual({ received: true, outcome: 'already_completed' });
    const s = await app.manager.get(sessionId);
    expect(s.orderHistory).toHaveLength(1);
    expect(s.payment.needsReconciliation).toBe(false);
    expect(thanks(c)).toHaveLength(1);
  });
});
