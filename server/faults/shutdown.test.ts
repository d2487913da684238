import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import { startApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { MemorySessionStore } from '../store/memory.ts';
import { RedisSessionStore } from '../store/redis.ts';
import { TestClient } from '../testing/wsClient.ts';
import { findTestRedis, uniquePrefix } from '../testing/redis.ts';
import type { TestRedis } from '../testing/redis.ts';
import { startServerProcess } from '../testing/processes.ts';
import { GatedBrain } from '../testing/gatedBrain.ts';

const silent = pino({ level: 'silent' });
const config = () => loadConfig({ PORT: '0', HOST: '127.0.0.1' });
const wsOf = (url: string) => `${url.replace('http', 'ws')}/ws`;

describe('graceful shutdown (in process)', () => {
  it('finishes the turn in flight: the change is committed and the reply sent before the socket closes', async () => {
    const store = new MemorySessionStore();
    const brain = new GatedBrain();
    const app = await startApp(config(), {
      log: silent,
      serveClient: false,
      speech: false,
      store,
      llm: brain,
    });
    const c = await TestClient.open(wsOf(app.url));
    const w = await c.hello();
    let closedAt = -1;
    c.ws.once('close', () => (closedAt = c.messages.length));

    brain.hold();
    c.send({ type: 'user_text', text: 'a margarita please' });
    await brain.whenEntered();
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 50));
    // Still waiting for the turn; new connections are refused meanwhile.
    expect(closed).toBe(false);
    await expect(TestClient.open(wsOf(app.url))).rejects.toThrow();

    brain.release();
    await closing;
    const replyIndex = c.messages.findIndex((m) => m.type === 'reply');
    expect(replyIndex).toBeGreaterThanOrEqual(0);
    expect(c.messages[replyIndex]).toMatchObject({
      text: "One Margarita, that's $11.00 — coming right up.",
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(closedAt).toBeGreaterThan(replyIndex);
    const saved = await store.get(w.sessionId);
    expect(saved?.payment.tabCents).toBe(1100);
  });

  it('refuses messages that arrive while draining with SHUTTING_DOWN', async () => {
    const brain = new GatedBrain();
    const app = await startApp(config(), {
      log: silent,
      serveClient: false,
      speech: false,
      llm: brain,
    });
    const c = await TestClient.open(wsOf(app.url));
    await c.hello();
    brain.hold();
    c.send({ type: 'user_text', text: 'a margarita please' });
    await brain.whenEntered();
    const closing = app.close();
    c.send({ type: 'user_text', text: 'a negroni' });
    const refused = await c.next('error');
    expect(refused.code).toBe('SHUTTING_DOWN');
    brain.release();
    await closing;
    expect(brain.entered).toBe(1);
  });

  it('does not wait past the grace period for a turn that never ends', async () => {
    const brain = new GatedBrain();
    const graceMs = 300;
    const app = await startApp(config(), {
      log: silent,
      serveClient: false,
      speech: false,
      llm: brain,
      shutdownGraceMs: graceMs,
    });
    const c = await TestClient.open(wsOf(app.url));
    await c.hello();
    brain.hold();
    c.send({ type: 'user_text', text: 'a margarita please' });
    await brain.whenEntered();
    const started = Date.now();
    await app.close();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(graceMs - 10);
    expect(took).toBeLessThan(graceMs + 2000);
    brain.release();
  });
});

describe('graceful shutdown (child process, SIGTERM)', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await findTestRedis();
  });
  afterAll(() => redis.stop());

  it('exits 0 after finishing every queued turn, and the tab is persisted in Redis', async (ctx) => {
    if (!redis.url) return ctx.skip();
    const prefix = uniquePrefix('shutdown');
    const server = await startServerProcess({
      REDIS_URL: redis.url,
      MAYA_REDIS_KEY_PREFIX: prefix,
      MAYA_RATE_SESSION_BURST: '1000',
      MAYA_RATE_ADDRESS_BURST: '1000',
    });
    const c = await TestClient.open(server.wsUrl);
    const w = await c.hello();
    const turns = 30;
    for (let i = 0; i < turns; i++) c.send({ type: 'user_text', text: 'a margarita please' });
    await c.next('reply');
    // SIGTERM while the rest of the turns are still queued or running.
    const signalledAt = Date.now();
    const exit = server.stop();
    const repliesAtSignal = c.messages.filter((m) => m.type === 'reply').length;
    const exitCode = await exit;
    console.log(
      `SIGTERM after ${repliesAtSignal} of ${turns} replies; exited ${exitCode} in ${Date.now() - signalledAt} ms`,
    );
    expect(exitCode).toBe(0);
    const replies = c.messages.filter((m) => m.type === 'reply').length;
    expect(repliesAtSignal).toBeLessThan(turns);
    expect(replies).toBe(turns);
    expect(c.messages.filter((m) => m.type === 'error')).toEqual([]);

    const store = await RedisSessionStore.connect({ url: redis.url, keyPrefix: prefix });
    try {
      const saved = await store.get(w.sessionId);
      expect(saved?.payment.tabCents).toBe(1100 * turns);
    } finally {
      await store.close();
      const cleanup = new Redis(redis.url);
      const keys = await cleanup.keys(`${prefix}*`);
      if (keys.length) await cleanup.del(...keys);
      cleanup.disconnect();
    }
  }, 30_000);
});
