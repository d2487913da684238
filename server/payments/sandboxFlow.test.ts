/** The default, offline payment flow: Maya's own checkout page at /pay/<id> with Pay and Decline. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../app.ts';
import type { App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { TestClient } from '../testing/wsClient.ts';
import { paymentLines } from './phrases.ts';
import { phrasebook } from '../phrasebook/lines.ts';
import { parseIntent } from '../conversation/brain/intents.ts';

let app: App;
beforeAll(async () => {
  app = await startApp(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', MAYA_PAYMENT_POLL_INTERVAL_MS: '60000' }),
    { log: pino({ level: 'silent' }), serveClient: false },
  );
});
afterAll(() => app.close());

async function payingGuest() {
  const c = await TestClient.open(`${app.url.replace('http', 'ws')}/ws`);
  const welcome = await c.hello();
  await c.say('a negroni and a dirty martini');
  c.send({ type: 'pay' });
  const state = await c.next('state', (m) => m.state.payment.checkoutUrl !== null);
  const reply = await c.next('reply');
  return { c, sessionId: welcome.sessionId, reply, url: state.state.payment.checkoutUrl! };
}

describe('sandbox checkout', () => {
  it('the Pay button opens a checkout page listing the drinks and the total', async () => {
    const { c, reply, url } = await payingGuest();
    expect(reply).toEqual({ type: 'reply', text: paymentLines.opened(2400), emotion: 'thinking' });
    expect(url).toMatch(new RegExp(`^${app.url}/pay/sbx_[A-Za-z0-9_-]+$`));
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('1 × Negroni');
    expect(html).toContain('1 × Martini (dirty)');
    expect(html).toContain('data-testid="checkout-total">$24.00');
    expect(html).toMatch(/<button class="pay" type="submit">Pay \$24\.00<\/button>/);
    expect(html).toContain('Decline');
    await c.close();
  });

  it('Pay completes the tab once: thanks (happy), a fresh tab; paying again is refused', async () => {
    const { c, sessionId, url } = await payingGuest();
    const res = await fetch(`${url}/pay`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Paid — thank you!');
    expect(await c.next('reply')).toEqual({
      type: 'reply',
      text: paymentLines.paid(2400),
      emotion: 'happy',
    });
    const s = await app.manager.get(sessionId);
    expect(s.payment).toMatchObject({ status: 'pending', tabNo: 2, tabCents: 0 });

    const twice = await fetch(`${url}/pay`, { method: 'POST' });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('already paid');
    expect((await app.manager.get(sessionId)).version).toBe(s.version);
    expect(await (await fetch(url)).text()).toContain('This checkout is paid.');
    await c.close();
  });

  it('Decline fails the attempt and Maya offers a retry', async () => {
    const { c, sessionId, url } = await payingGuest();
    const res = await fetch(`${url}/decline`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await c.next('reply')).toEqual({
      type: 'reply',
      text: paymentLines.failed('declined'),
      emotion: 'neutral',
    });
    expect((await app.manager.get(sessionId)).payment.status).toBe('failed');
    expect((await fetch(`${url}/pay`, { method: 'POST' })).status).toBe(409);
    const { reply } = await c.say("I'd like to pay");
    expect(reply.text).toBe(paymentLines.opened(2400));
    await c.close();
  });

  it('a checkout closed because the tab changed cannot be paid', async () => {
    const { c, url } = await payingGuest();
    await c.say('a water');
    await expect.poll(async () => (await fetch(`${url}/pay`, { method: 'POST' })).status).toBe(410);
    await c.close();
  });

  it('unknown checkouts and wrong methods get clear errors', async () => {
    expect((await fetch(`${app.url}/pay/sbx_unknown`)).status).toBe(404);
    expect(
      await (await fetch(`${app.url}/pay/sbx_unknown/pay`, { method: 'POST' })).text(),
    ).toContain('Unknown checkout');
    const { c, url } = await payingGuest();
    expect((await fetch(`${url}/pay`)).status).toBe(405);
    expect((await fetch(`${url}/refund`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${app.url}/webhooks/stripe`, { method: 'POST', body: '{}' })).status).toBe(
      404,
    ); // no Stripe here
    expect((await fetch(`${app.url}/paid`)).status).toBe(200);
    await c.close();
  });

  it('"did my payment go through?" answers from the state', async () => {
    const { c, url } = await payingGuest();
    expect((await c.say('did my payment go through')).reply.text).toBe(
      paymentLines.stillOpen(2400),
    );
    await fetch(`${url}/pay`, { method: 'POST' });
    await c.next('reply', (m) => m.text.startsWith('Thank you'));
    const { reply } = await c.say('did my payment go through');
    expect(reply.emotion).toBe('happy');
    expect(phrasebook().phrases.pay_status_completed).toContain(reply.text);
    await c.close();
  });
});

describe('payment intents', () => {
  it.each([
    ["I'd like to pay", 'pay'],
    ['pay my bill', 'pay'],
    ['can I pay now', 'pay'],
    ['pay', 'pay'],
    ['check please', 'bill'],
    ["what's my total", 'bill'],
    ['what do I owe', 'bill'],
    ['cancel the payment', 'cancel_payment'],
    ['cancel that', 'cancel_last'],
    ['did my payment go through', 'payment_status'],
  ])('%s → %s', (text, kind) => {
    expect(parseIntent(text).kind).toBe(kind);
  });
});
