/**
 * Payment figures: `npx tsx bench/payments.ts`. Through the real server (memory store):
 *  - sandbox: guest presses Pay on the checkout page → Maya's thanks on the guest's websocket;
 *  - Stripe (local stub of its REST API): signed webhook delivered → thanks on the websocket;
 *  - a duplicate storm: every paid session's webhook delivered 10× concurrently → tabs completed once.
 */
import { pino } from 'pino';
import { startApp } from '../server/app.ts';
import type { App } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { TestClient } from '../server/testing/wsClient.ts';
import { StripeStub } from '../server/testing/stripeStub.ts';

process.env.STRIPE_SUPPRESS_NOTICES = 'true';
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 100);
const DUPLICATES = 10;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const fmt = (xs: number[]) =>
  `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;

async function payingGuest(app: App) {
  const c = await TestClient.open(`${app.url.replace('http', 'ws')}/ws`);
  const w = await c.hello();
  await c.say('two margaritas');
  c.send({ type: 'pay' });
  const st = await c.next('state', (m) => m.state.payment.checkoutUrl !== null);
  await c.next('reply');
  return { c, sessionId: w.sessionId, url: st.state.payment.checkoutUrl! };
}

async function sandbox(): Promise<void> {
  const app = await startApp(loadConfig({ PORT: '0', MAYA_PAYMENT_POLL_INTERVAL_MS: '60000' }), {
    log: pino({ level: 'silent' }),
    serveClient: false,
  });
  const ms: number[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const { c, url } = await payingGuest(app);
    const t0 = performance.now();
    await fetch(`${url}/pay`, { method: 'POST' });
    await c.next('reply', (m) => m.text.startsWith('Thank you'));
    ms.push(performance.now() - t0);
    await c.close();
  }
  console.log(`sandbox Pay pressed → thanks on the websocket: ${fmt(ms)}`);
  await app.close();
}

async function stripe(): Promise<void> {
  const stub = await new StripeStub({
    apiKey: 'sk_test_bench',
    webhookSecret: 'whsec_bench_secret',
  }).start();
  const env = {
    PORT: '0',
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_WEBHOOK_SECRET: 'whsec_bench_secret',
    STRIPE_API_URL: stub.url,
    MAYA_PAYMENT_POLL_INTERVAL_MS: '60000',
  };
  const app = await startApp(loadConfig(env), {
    log: pino({ level: 'silent' }),
    serveClient: false,
  });
  const hook = `${app.url}/webhooks/stripe`;
  const create: number[] = [];
  const webhook: number[] = [];
  const guests: { c: TestClient; sessionId: string; checkoutId: string }[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const c = await TestClient.open(`${app.url.replace('http', 'ws')}/ws`);
    const w = await c.hello();
    await c.say('two margaritas');
    const t0 = performance.now();
    await c.say("I'd like to pay");
    create.push(performance.now() - t0);
    const checkoutId = (await app.manager.get(w.sessionId)).payment.providerRef!.checkoutId;
    guests.push({ c, sessionId: w.sessionId, checkoutId });
  }
  // Half paid with one webhook each (latency), half with a storm of duplicates (exactly once).
  const half = guests.length / 2;
  for (const g of guests.slice(0, half)) {
    const evt = stub.signedEvent('checkout.session.completed', stub.markPaid(g.checkoutId));
    const t0 = performance.now();
    await stub.deliver(hook, evt);
    await g.c.next('reply', (m) => m.text.startsWith('Thank you'));
    webhook.push(performance.now() - t0);
  }
  const t0 = performance.now();
  await Promise.all(
    guests.slice(half).map((g) => {
      const evt = stub.signedEvent('checkout.session.completed', stub.markPaid(g.checkoutId));
      return Promise.all(
        Array.from({ length: DUPLICATES }, () => stub.deliver(hook, evt).then((r) => r.text())),
      );
    }),
  );
  const stormMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 100));
  let paidTabs = 0;
  let thanks = 0;
  for (const g of guests) {
    paidTabs += (await app.manager.get(g.sessionId)).orderHistory.length;
    thanks += g.c.messages.filter(
      (m) => m.type === 'reply' && m.text.startsWith('Thank you'),
    ).length;
  }
  console.log(
    `stripe "I'd like to pay" turn (create Checkout Session on the stub + attach): ${fmt(create)}`,
  );
  console.log(`stripe signed webhook → thanks on the websocket: ${fmt(webhook)}`);
  console.log(
    `duplicate storm: ${guests.length - half} sessions × ${DUPLICATES} concurrent deliveries in ${stormMs.toFixed(0)} ms`,
  );
  console.log(
    `exactly once: ${guests.length} sessions paid → ${paidTabs} tabs completed, ${thanks} thanks said`,
  );
  for (const g of guests) await g.c.close();
  await app.close();
  await stub.stop();
}

await sandbox();
await stripe();
