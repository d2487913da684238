/**
 * What only the Redis store has to show: pub/sub between processes, two OS processes racing on one
 * session, turn locks across processes, and sessions that outlive a server process.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RedisSessionStore } from './redis.ts';
import { StateManager } from '../state/manager.ts';
import type { SessionState } from '../domain/session.ts';
import { START_BALANCE_CENTS } from '../../shared/domain.ts';
import { findTestRedis, uniquePrefix } from '../testing/redis.ts';
import { runHammer, startServerProcess } from '../testing/processes.ts';
import { TestClient } from '../testing/wsClient.ts';

const redis = await findTestRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)('Redis store across processes', () => {
  let keyPrefix: string;
  let store: RedisSessionStore;
  let manager: StateManager;
  const base = () => ({ REDIS_URL: redis.url!, MAYA_REDIS_KEY_PREFIX: keyPrefix });

  beforeEach(async () => {
    keyPrefix = uniquePrefix('redis');
    store = await RedisSessionStore.connect({ url: redis.url!, keyPrefix });
    manager = new StateManager(store, { expirySeconds: 3600 });
  });
  afterEach(async () => {
    const keys = await store.raw.keys(`${keyPrefix}*`);
    if (keys.length > 0) await store.raw.del(...keys);
    await store.close();
  });

  it('publishes every change to the other connections, once to its own, and ignores junk on the channel', async () => {
    const other = await RedisSessionStore.connect({ url: redis.url!, keyPrefix });
    const elsewhere = await RedisSessionStore.connect({
      url: redis.url!,
      keyPrefix: uniquePrefix('elsewhere'),
    });
    try {
      const mine: number[] = [];
      const theirs: SessionState[] = [];
      const foreign: SessionState[] = [];
      store.onChange((s) => mine.push(s.version));
      other.onChange((s) => theirs.push(s));
      elsewhere.onChange((s) => foreign.push(s));
      const { id } = await manager.createSession();
      await store.raw.publish(`${keyPrefix}changes`, 'junk|{"id": 1');
      await store.raw.publish(`${keyPrefix}changes`, 'no separator');
      await manager.atomicOrderUpdate(id, [{ item: 'cosmopolitan' }]);
      await vi.waitFor(
        () =>
          expect(theirs.map((s) => [s.id, s.version, s.payment.tabCents])).toEqual([[id, 1, 1200]]),
        { timeout: 5_000 },
      );
      expect(mine).toEqual([1]);
      expect(foreign).toEqual([]);
    } finally {
      await Promise.all([other.close(), elsewhere.close()]);
    }
  });

  it('two OS processes, 100 order updates each at 8 concurrent: zero lost updates, exact balance', async () => {
    const { id } = await manager.createSession();
    const env = {
      ...base(),
      SESSION_ID: id,
      MODE: 'orders',
      COUNT: '100',
      CONCURRENCY: '8',
      PARTIES: '2',
    };
    const results = await Promise.all([runHammer(env), runHammer(env)]);
    expect(results.map((r) => r.committed)).toEqual([100, 100]);
    const s = await manager.get(id);
    expect(s.version).toBe(200);
    expect(s.payment).toMatchObject({
      tabCents: 20_000,
      balanceCents: START_BALANCE_CENTS - 20_000,
    });
    expect(s.order).toEqual([
      expect.objectContaining({ item: 'Water', quantity: 20 }),
      ...Array(9).fill(expect.objectContaining({ quantity: 20 })),
    ]);
  }, 60_000);

  it('two OS processes confirming the same checkout (poll + webhook) complete it once', async () => {
    const { id } = await manager.createSession();
    await manager.atomicOrderUpdate(id, [{ item: 'old fashioned', quantity: 2 }]);
    const key = (await manager.beginCheckout(id)).state.payment.idempotencyKey!;
    await manager.attachCheckout(id, key, {
      checkoutId: 'cs_two_processes',
      url: 'http://127.0.0.1/pay',
    });
    const before = await manager.get(id);
    const env = {
      ...base(),
      SESSION_ID: id,
      MODE: 'complete',
      CHECKOUT_ID: 'cs_two_processes',
      PARTIES: '2',
    };
    const results = await Promise.all([runHammer(env), runHammer(env)]);
    const s = await manager.get(id);
    expect(s.version).toBe(before.version + 1);
    expect(results.map((r) => r.version)).toEqual([s.version, s.version]);
    expect(s.orderHistory).toHaveLength(1);
    expect(s.payment).toMatchObject({
      paidCents: 2400,
      tabCents: 0,
      tabNo: 2,
      balanceCents: START_BALANCE_CENTS - 2400,
    });
  }, 60_000);

  it('turns of one session never interleave across two OS processes', async () => {
    const { id } = await manager.createSession();
    const env = { ...base(), SESSION_ID: id, MODE: 'turns', COUNT: '6', PARTIES: '2' };
    await Promise.all([runHammer({ ...env, TAG: 'a' }), runHammer({ ...env, TAG: 'b' })]);
    const log = await store.raw.lrange(`${keyPrefix}turn-log`, 0, -1);
    expect(log).toHaveLength(24);
    for (let i = 0; i < log.length; i += 2)
      expect(log[i + 1]).toBe(log[i]!.replace('start', 'end'));
    expect(new Set(log.filter((l) => l.startsWith('start')).map((l) => l[6]))).toEqual(
      new Set(['a', 'b']),
    );
    expect(await store.raw.exists(store.lockKey(id))).toBe(0); // every lock released
  }, 60_000);

  it('pushes a change made through one server process to a browser on another, and keeps every tab when all server processes are replaced', async () => {
    const a = await startServerProcess(base());
    const b = await startServerProcess(base());
    let c: Awaited<ReturnType<typeof startServerProcess>> | null = null;
    try {
      const guest = await TestClient.open(a.wsUrl);
      const welcome = await guest.hello();
      const mirror = await TestClient.open(b.wsUrl);
      expect(
        (await mirror.hello({ sessionId: welcome.sessionId, resumeToken: welcome.resumeToken }))
          .resumed,
      ).toBe(true);
      await guest.say('two negronis please');
      const pushed = await mirror.next('state', (m) => m.state.payment.tabCents === 2200);
      expect(pushed.state.payment.balanceCents).toBe(START_BALANCE_CENTS - 2200);
      await Promise.all([guest.close(), mirror.close()]);
      const others = await Promise.all(
        ['a martini', 'three waters'].map(async (order) => {
          const c = await TestClient.open(b.wsUrl);
          const w = await c.hello();
          const { state } = await c.say(order);
          await c.close();
          return { w, tabCents: state!.payment.tabCents };
        }),
      );
      expect(others.map((o) => o.tabCents)).toEqual([1300, 300]);

      expect(await a.stop()).toBe(0);
      expect(await b.stop()).toBe(0);
      c = await startServerProcess(base());
      const back = await TestClient.open(c.wsUrl);
      const resumed = await back.hello({
        sessionId: welcome.sessionId,
        resumeToken: welcome.resumeToken,
      });
      expect(resumed.resumed).toBe(true);
      expect(resumed.state.payment).toMatchObject({
        tabCents: 2200,
        balanceCents: START_BALANCE_CENTS - 2200,
      });
      expect(resumed.state.order).toEqual([
        expect.objectContaining({ item: 'Negroni', quantity: 2 }),
      ]);
      await back.close();
      for (const { w, tabCents } of others) {
        const again = await TestClient.open(c.wsUrl);
        const r = await again.hello({ sessionId: w.sessionId, resumeToken: w.resumeToken });
        expect([r.resumed, r.state.payment.tabCents]).toEqual([true, tabCents]);
        await again.close();
      }
    } finally {
      await Promise.all([a.stop(), b.stop(), c?.stop()]);
    }
  }, 60_000);
});
