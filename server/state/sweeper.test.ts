import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SessionSweeper } from './sweeper.ts';
import { StateManager } from './manager.ts';
import { MemorySessionStore } from '../store/memory.ts';
import { RedisSessionStore } from '../store/redis.ts';
import { findTestRedis, uniquePrefix } from '../testing/redis.ts';

const redis = await findTestRedis();
afterAll(() => redis.stop());

async function payingSession(m: StateManager): Promise<string> {
  const { id } = await m.createSession();
  await m.atomicOrderUpdate(id, [{ item: 'daiquiri' }]);
  await m.beginCheckout(id);
  return id;
}

describe('session sweeper, memory store (fake timers)', () => {
  afterEach(() => vi.useRealTimers());

  it('deletes a session that expires while a pass is under way before its hooks run, and ends it once', async () => {
    // The pass's clock is read when the pass starts; the store's a moment later, when the session
    // has just expired (CI saw this in the selection test): it must not be ended and left behind.
    let t = 1_000_000;
    const store = new MemorySessionStore(() => t + 5);
    const m = new StateManager(store, { expirySeconds: 60, now: () => t });
    const sweeper = new SessionSweeper(store, { intervalSeconds: 10, now: () => t });
    const freed: string[] = [];
    sweeper.onSessionEnd(async (id) => {
      freed.push(id);
      expect(await store.listIds()).not.toContain(id);
    });
    const { id } = await m.createSession();
    t += 60_000 - 2; // the pass still sees it live; the store sees it expired
    expect((await sweeper.sweep()).ended).toEqual([id]);
    expect(await store.listIds()).toEqual([]);
    t += 60_000;
    expect((await sweeper.sweep()).ended).toEqual([]);
    expect(freed).toEqual([id]);
  });

  it('frees idle sessions after the expiry through the hooks, keeps active and pinned ones', async () => {
    vi.useFakeTimers();
    const store = new MemorySessionStore();
    const m = new StateManager(store, { expirySeconds: 60 });
    const sweeper = new SessionSweeper(store, { intervalSeconds: 10 });
    const freed: string[] = [];
    sweeper.onSessionEnd(() => {
      throw new Error('a broken hook must not stop the others');
    });
    sweeper.onSessionEnd((id) => void freed.push(id));
    sweeper.start();

    const idle = await m.createSession();
    const active = await m.createSession();
    const paying = await payingSession(m);
    const reconcile = (await m.createSession()).id;
    await m.markNeedsReconciliation(reconcile);

    await vi.advanceTimersByTimeAsync(30_000);
    await m.atomicOrderUpdate(active.id, [{ item: 'ipa' }]); // active until t = 90 s
    await vi.advanceTimersByTimeAsync(40_000); // t = 70 s
    expect(freed).toEqual([idle.id]);
    expect(await store.listIds()).not.toContain(idle.id);
    expect((await m.get(active.id)).payment.tabCents).toBe(600);

    await vi.advanceTimersByTimeAsync(30_000); // t = 100 s
    expect(freed).toEqual([idle.id, active.id]);

    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(freed).toHaveLength(2);
    expect((await m.get(paying)).payment.status).toBe('processing');
    expect((await m.get(reconcile)).payment.needsReconciliation).toBe(true);
    await sweeper.stop();
  });
});

describe.skipIf(!redis.url)('session sweeper, Redis store (real short TTLs)', () => {
  it('lets Redis expire idle keys, runs the hooks, and never expires a pinned session', async () => {
    const store = await RedisSessionStore.connect({
      url: redis.url!,
      keyPrefix: uniquePrefix('sweeper'),
    });
    try {
      const m = new StateManager(store, { expirySeconds: 1 });
      const sweeper = new SessionSweeper(store, { intervalSeconds: 0.2 });
      const freed: string[] = [];
      sweeper.onSessionEnd((id) => void freed.push(id));
      const idle = await m.createSession();
      sweeper.track(idle.id);
      const paying = await payingSession(m);
      const ttl = await store.raw.pttl(store.key(idle.id));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1_000);
      expect(await store.raw.pttl(store.key(paying))).toBe(-1); // pinned: no TTL at all
      sweeper.start();

      await vi.waitFor(() => expect(freed).toEqual([idle.id]), { timeout: 5_000, interval: 50 });
      expect(await store.raw.exists(store.key(idle.id))).toBe(0);
      expect((await m.get(paying)).payment.status).toBe('processing');
      // When the checkout ends, the session is unpinned and gets its TTL back.
      await m.cancelCheckout(paying);
      expect(await store.raw.pttl(store.key(paying))).toBeGreaterThan(0);
      await sweeper.stop();
    } finally {
      await store.raw.del(...(await store.raw.keys(`${store.keyPrefix}*`)), 'nothing');
      await store.close();
    }
  });
});
