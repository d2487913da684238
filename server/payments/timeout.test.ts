import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../app.ts';
import type { App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { TestClient } from '../testing/wsClient.ts';
import { paymentLines } from './phrases.ts';

// DOMAIN.md: polling gives up after the deadline → failed with PAYMENT_TIMEOUT; the guest can retry.
let app: App;
beforeAll(async () => {
  const config = loadConfig({
    PORT: '0',
    MAYA_PAYMENT_POLL_INTERVAL_MS: '20',
    MAYA_PAYMENT_DEADLINE_SECONDS: '0.2',
  });
  app = await startApp(config, { log: pino({ level: 'silent' }), serveClient: false });
});
afterAll(() => app.close());

describe('a checkout whose deadline passes', () => {
  it('sends PAYMENT_TIMEOUT with Maya’s line, the tab stays and the guest can pay again', async () => {
    const c = await TestClient.open(`${app.url.replace('http', 'ws')}/ws`);
    await c.hello();
    await c.say('a mojito please');
    c.send({ type: 'pay' });
    await c.next('state', (m) => m.state.payment.status === 'processing');

    const failed = await c.next('state', (m) => m.state.payment.status === 'failed', 5_000);
    await c.next('reply', (m) => m.text === paymentLines.failed('timeout'));
    const error = await c.next('error');
    expect(error.code).toBe('PAYMENT_TIMEOUT');
    expect(error.message).toMatch(/not paid in time/);
    expect(failed.state.payment.tabCents).toBeGreaterThan(0);

    c.send({ type: 'pay' });
    const again = await c.next(
      'state',
      (m) => m.state.payment.status === 'processing' && !!m.state.payment.checkoutUrl,
    );
    expect(again.state.version).toBeGreaterThan(failed.state.version);
    await c.close();
  });

  it('a declined checkout is not a timeout: no PAYMENT_TIMEOUT frame', async () => {
    const { paymentAnnouncement } = await import('./announcer.ts');
    const { newSession } = await import('../domain/session.ts');
    const before = newSession('s', Date.now(), 60);
    const processing = {
      version: 1,
      paidTabs: 0,
      status: 'processing' as const,
      historyLength: 0,
      lastLine: undefined,
    };
    const failedWith = (failure: 'declined' | 'timeout') => ({
      ...before,
      version: 2,
      payment: { ...before.payment, status: 'failed' as const, failure },
      conversation: {
        ...before.conversation,
        history: [{ role: 'maya' as const, text: paymentLines.failed(failure) }],
      },
    });
    expect(paymentAnnouncement(processing, failedWith('declined'))?.error).toBeUndefined();
    expect(paymentAnnouncement(processing, failedWith('timeout'))?.error?.code).toBe(
      'PAYMENT_TIMEOUT',
    );
  });
});
