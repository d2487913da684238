/**
 * The SessionStore contract: one suite, every implementation (memory; Redis when available —
 * required under CI=true). Tests go through the state manager where the rule matters to guests.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateManager } from '../state/manager.ts';
import { DomainError } from '../domain/errors.ts';
import { newSession } from '../domain/session.ts';
import type { SessionState } from '../domain/session.ts';
import { canTransition } from '../state/rules.ts';
import { PAYMENT_STATUSES, START_BALANCE_CENTS } from '../../shared/domain.ts';
import type { PaymentStatus } from '../../shared/domain.ts';
import { storesUnderTest } from '../testing/stores.ts';
import type { StoreHandle } from '../testing/stores.ts';

const { stores, redis } = await storesUnderTest('contract');
afterAll(() => redis.stop());

const EXPIRY_SECONDS = 3600;

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe(code);
}

describe.each(stores)('SessionStore contract: $name', (factory) => {
  let clockOffsetMs = 0;
  const now = () => Date.now() + clockOffsetMs;
  let handle: StoreHandle;
  let manager: StateManager;

  beforeEach(async () => {
    clockOffsetMs = 0;
    handle = await factory.make(now);
    manager = new StateManager(handle.store, { expirySeconds: EXPIRY_SECONDS, now });
  });
  afterEach(() => handle.close());

  it('creates, reads and refuses a duplicate id; an unknown id reads as null', async () => {
    const s = newSession('contract-aaaa', now(), EXPIRY_SECONDS);
    expect(await handle.store.create(s)).toBe(true);
    expect(await handle.store.create(s)).toBe(false);
    expect(await handle.store.get(s.id)).toEqual(s);
    expect(await handle.store.get('never-created')).toBeNull();
    await rejectsWith(manager.get('never-created'), 'INVALID_SESSION');
    await rejectsWith(
      manager.atomicOrderUpdate('never-created', [{ item: 'beer' }]),
      'INVALID_SESSION',
    );
  });

  it('compare-and-set writes only on the expected version and a +1 next version', async () => {
    const s = await manager.createSession();
    const next = { ...s, version: 1, emotion: 'happy' as const };
    expect(await handle.store.compareAndSet(s.id, 5, { ...next, version: 6 })).toBe(false);
    expect(await handle.store.compareAndSet(s.id, 0, { ...next, version: 2 })).toBe(false);
    expect((await handle.store.get(s.id))?.version).toBe(0);
    expect(await handle.store.compareAndSet(s.id, 0, next)).toBe(true);
    expect(await handle.store.compareAndSet(s.id, 0, { ...next, emotion: 'upset' })).toBe(false);
    expect(await handle.store.get(s.id)).toMatchObject({ version: 1, emotion: 'happy' });
  });

  it('orders atomically, refunds removals, toggles tips and bumps the version each time', async () => {
    const { id } = await manager.createSession();
    const a = await manager.atomicOrderUpdate(id, [{ item: 'negroni', quantity: 3 }]);
    expect(a.state.payment).toMatchObject({
      tabCents: 3300,
      balanceCents: START_BALANCE_CENTS - 3300,
    });
    const t = await manager.setTip(id, 20);
    expect(t.state.payment).toMatchObject({ tipPercent: 20, tipCents: 660 });
    const r = await manager.removeFromOrder(id, { item: 'negroni', quantity: 1 });
    expect(r.state.payment).toMatchObject({
      tabCents: 2200,
      tipCents: 440,
      balanceCents: START_BALANCE_CENTS - 2200,
    });
    const off = await manager.setTip(id, 20);
    expect(off.state.payment).toMatchObject({ tipPercent: null, tipCents: 0 });
    expect([a, t, r, off].map((x) => x.state.version)).toEqual([1, 2, 3, 4]);
    await rejectsWith(
      manager.atomicOrderUpdate(id, [{ item: 'water' }], { expectedVersion: 3 }),
      'CONCURRENT_MODIFICATION',
    );
    expect((await manager.get(id)).version).toBe(4);
  });

  it('INSUFFICIENT_FUNDS changes nothing', async () => {
    const { id } = await manager.createSession();
    await manager.atomicOrderUpdate(id, [{ item: 'brandy', quantity: 20, modifiers: ['double'] }]); // 270.00
    const before = await manager.get(id);
    const tooMuch = Array.from({ length: 3 }, () => ({
      item: 'brandy',
      quantity: 20,
      modifiers: ['double' as const],
    })); // 810.00 > 730.00
    await rejectsWith(manager.atomicOrderUpdate(id, tooMuch), 'INSUFFICIENT_FUNDS');
    expect(await manager.get(id)).toEqual(before);
  });

  it('a wrong type in an update is a coded error and writes nothing', async () => {
    const { id } = await manager.createSession();
    const before = await manager.get(id);
    await rejectsWith(
      manager.atomicOrderUpdate(id, [{ item: 'beer', quantity: '2' as unknown as number }]),
      'INVALID_QUANTITY',
    );
    await rejectsWith(
      manager.atomicOrderUpdate(id, [{ item: 42 as unknown as string }]),
      'ITEM_NOT_FOUND',
    );
    await rejectsWith(manager.setTip(id, '15' as unknown as number), 'INVALID_TIP_PERCENTAGE');
    await rejectsWith(
      manager.mutate(id, (s) => ({ ...s, payment: { ...s.payment, balanceCents: -5 } })),
      'INVALID_SESSION',
    );
    await rejectsWith(
      manager.mutate(id, (s) => ({ ...s, emotion: 'furious' as SessionState['emotion'] })),
      'INVALID_SESSION',
    );
    const bad = {
      ...before,
      version: 1,
      payment: { ...before.payment, tabCents: 'lots' },
    } as unknown as SessionState;
    await rejectsWith(handle.store.compareAndSet(id, 0, bad), 'INVALID_SESSION');
    expect(await manager.get(id)).toEqual(before);
  });

  it('corrupt or foreign data under a session key is INVALID_SESSION, never a crash or a write', async () => {
    const foreign = newSession('someone-else-1', now(), EXPIRY_SECONDS);
    const cases: [string, string, 'string' | 'list'][] = [
      ['corrupt-json', '{"id": "corrupt-json", "version": ', 'string'],
      ['wrong-shape', JSON.stringify({ id: 'wrong-shape', version: 3, hello: 'world' }), 'string'],
      ['foreign-id', JSON.stringify(foreign), 'string'],
      ['another-type', 'not a maya session', 'list'],
    ];
    for (const [id, raw, kind] of cases) {
      await handle.plantRaw(id, raw, kind);
      await rejectsWith(handle.store.get(id), 'INVALID_SESSION');
      await rejectsWith(manager.atomicOrderUpdate(id, [{ item: 'beer' }]), 'INVALID_SESSION');
      expect(await handle.store.deleteIfExpired(id, now() + 10 * EXPIRY_SECONDS * 1000)).toBe(
        false,
      );
    }
    // A compare-and-set straight at the store never overwrites data it cannot read as a session.
    const s = { ...newSession('another-type', now(), EXPIRY_SECONDS), version: 1 };
    const wrote = await handle.store.compareAndSet('another-type', 0, s).catch((e: unknown) => e);
    expect(
      wrote === false || (wrote instanceof DomainError && wrote.code === 'INVALID_SESSION'),
    ).toBe(true);
    await rejectsWith(handle.store.get('another-type'), 'INVALID_SESSION');
  });

  it('tells onChange listeners about every committed change', async () => {
    const seen: number[] = [];
    const off = handle.store.onChange((s) => seen.push(s.version));
    const { id } = await manager.createSession();
    await manager.atomicOrderUpdate(id, [{ item: 'ipa' }]);
    await manager.setTip(id, 10);
    off();
    await manager.setTip(id, null, false);
    expect(seen).toEqual([1, 2]);
  });

  it('expires idle sessions but never pinned ones (payment processing or needing reconciliation)', async () => {
    const idle = await manager.createSession();
    const paying = await manager.createSession();
    await manager.atomicOrderUpdate(paying.id, [{ item: 'martini' }]);
    await manager.beginCheckout(paying.id);
    const reconcile = await manager.createSession();
    await manager.markNeedsReconciliation(reconcile.id);
    clockOffsetMs = (EXPIRY_SECONDS + 1) * 1000;

    expect(await handle.store.get(idle.id)).toBeNull();
    await rejectsWith(manager.setTip(idle.id, 10), 'INVALID_SESSION');
    expect((await manager.get(paying.id)).payment.status).toBe('processing');
    expect((await manager.get(reconcile.id)).payment.needsReconciliation).toBe(true);

    expect((await handle.store.listIds()).sort()).toEqual(
      [idle.id, paying.id, reconcile.id].sort(),
    );
    expect(await handle.store.deleteIfExpired(idle.id, now())).toBe(true);
    expect(await handle.store.deleteIfExpired(paying.id, now())).toBe(false);
    expect(await handle.store.deleteIfExpired(reconcile.id, now())).toBe(false);
    expect((await handle.store.listIds()).sort()).toEqual([paying.id, reconcile.id].sort());
    // A write refreshes the expiry: the paid session is live again after its payment completes.
    await manager.attachCheckout(
      paying.id,
      (await manager.get(paying.id)).payment.idempotencyKey!,
      { checkoutId: 'cs_x', url: 'http://127.0.0.1/pay' },
    );
    const done = await manager.atomicPaymentComplete(paying.id, 'cs_x');
    expect(done.state.expiresAt).toBeGreaterThan(now());
    expect(await handle.store.deleteIfExpired(paying.id, now())).toBe(false);
  });

  it('turn locks: one holder, increasing fencing tokens, expiry, and stale holders cannot write', async () => {
    const { id } = await manager.createSession();
    const first = await handle.store.acquireLock(id, 1_000);
    expect(first).not.toBeNull();
    expect(await handle.store.acquireLock(id, 1_000)).toBeNull();
    expect(await handle.store.releaseLock(id, first! + 1)).toBe(false);
    expect(await handle.store.extendLock(id, first!, 300)).toBe(true);
    // Let the lock expire (real time for Redis, the clock for memory), then another holder takes it.
    clockOffsetMs += 400;
    await new Promise((r) => setTimeout(r, 400));
    const second = await handle.store.acquireLock(id, 5_000);
    expect(second).toBeGreaterThan(first!);
    expect(await handle.store.extendLock(id, first!, 100)).toBe(false);
    const s = await manager.get(id);
    await rejectsWith(
      handle.store.compareAndSet(
        id,
        s.version,
        { ...s, version: s.version + 1, emotion: 'upset' },
        { fenceToken: first! },
      ),
      'CONCURRENT_MODIFICATION',
    );
    expect(
      await handle.store.compareAndSet(
        id,
        s.version,
        { ...s, version: s.version + 1, emotion: 'happy' },
        { fenceToken: second! },
      ),
    ).toBe(true);
    expect(await handle.store.releaseLock(id, second!)).toBe(true);
    expect(await handle.store.acquireLock(id, 100)).toBeGreaterThan(second!);
  });

  it('serialises turns of one session: they never interleave, and arrive in order', async () => {
    const { id } = await manager.createSession();
    const peerManager = new StateManager(await handle.peer(), {
      expirySeconds: EXPIRY_SECONDS,
      now,
    });
    const log: string[] = [];
    const turn = (m: StateManager, n: number) =>
      m.serialised(id, async () => {
        log.push(`start ${n}`);
        await new Promise((r) => setTimeout(r, 5));
        await m.atomicOrderUpdate(id, [{ item: 'water' }]);
        log.push(`end ${n}`);
      });
    await Promise.all(
      Array.from({ length: 10 }, (_, n) => turn(n % 2 === 0 ? manager : peerManager, n)),
    );
    for (let i = 0; i < log.length; i += 2) {
      expect(log[i]!.replace('start', '')).toBe(log[i + 1]!.replace('end', ''));
    }
    expect((await manager.get(id)).payment.tabCents).toBe(1000);
  });

  it('200 concurrent order updates from 8 clients: no lost update, exact balance', async () => {
    const { id } = await manager.createSession();
    const clients = await Promise.all(
      Array.from(
        { length: 8 },
        async () =>
          new StateManager(await handle.peer(), {
            expirySeconds: EXPIRY_SECONDS,
            now,
            maxRetries: 1000,
          }),
      ),
    );
    const items = ['water', 'iced tea', 'soda'] as const; // 1.00, 2.00, 3.00
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        clients[i % 8]!.atomicOrderUpdate(id, [{ item: items[i % 3]! }]),
      ),
    );
    const expectedTab = Array.from({ length: 200 }, (_, i) => [100, 200, 300][i % 3]!).reduce(
      (a, b) => a + b,
      0,
    );
    const s = await manager.get(id);
    expect(s.version).toBe(200);
    expect(s.payment.tabCents).toBe(expectedTab);
    expect(s.payment.balanceCents).toBe(START_BALANCE_CENTS - expectedTab);
    expect(new Set(results.map((r) => r.state.version)).size).toBe(200);
  });

  it('a racing double completion (poll + webhook) completes the tab once', async () => {
    const { id } = await manager.createSession();
    await manager.atomicOrderUpdate(id, [{ item: 'manhattan', quantity: 2 }]);
    await manager.setTip(id, 15);
    const key = (await manager.beginCheckout(id)).state.payment.idempotencyKey!;
    await manager.attachCheckout(id, key, {
      checkoutId: 'cs_race',
      url: 'http://127.0.0.1/pay/cs_race',
    });
    const webhook = new StateManager(await handle.peer(), { expirySeconds: EXPIRY_SECONDS, now });
    const outcomes = await Promise.all([
      manager.atomicPaymentComplete(id, 'cs_race'),
      webhook.atomicPaymentComplete(id, 'cs_race'),
    ]);
    const s = await manager.get(id);
    expect(s.orderHistory).toHaveLength(1);
    expect(s.payment).toMatchObject({
      paidCents: 2400,
      tabCents: 0,
      tipCents: 0,
      tabNo: 2,
      status: 'pending',
      balanceCents: START_BALANCE_CENTS - 2400,
    });
    expect(Math.max(...outcomes.map((o) => o.state.version))).toBe(s.version);
    // A late third confirmation is still a no-op.
    expect((await manager.atomicPaymentComplete(id, 'cs_race')).state.version).toBe(s.version);
  });

  describe('payment state machine: every pair', () => {
    async function sessionIn(status: PaymentStatus): Promise<string> {
      const { id } = await manager.createSession();
      await manager.atomicOrderUpdate(id, [{ item: 'gin' }]);
      if (status === 'pending') return id;
      const key = (await manager.beginCheckout(id)).state.payment.idempotencyKey!;
      await manager.attachCheckout(id, key, {
        checkoutId: 'cs_1',
        url: 'http://127.0.0.1/pay/cs_1',
      });
      if (status === 'failed') await manager.failPayment(id, 'cs_1');
      if (status === 'completed') {
        // `completed` is never stored by the rules (a new tab opens at once); plant it to prove it is terminal.
        await manager.mutate(id, (s) => ({ ...s, payment: { ...s.payment, status: 'completed' } }));
      }
      return id;
    }

    const pairs = PAYMENT_STATUSES.flatMap((from) => PAYMENT_STATUSES.map((to) => ({ from, to })));
    it.each(pairs)('$from → $to', async ({ from, to }) => {
      const id = await sessionIn(from);
      const before = await manager.get(id);
      expect(before.payment.status).toBe(from);
      const attempt = manager.transitionPayment(id, to, 'cs_1');
      if (from === to) {
        await attempt;
        expect(await manager.get(id)).toEqual(before); // staying put changes nothing, not even the version
      } else if (canTransition(from, to)) {
        const { state } = await attempt;
        expect(state.version).toBe(before.version + 1);
        if (to === 'completed') {
          expect(state.orderHistory.map((h) => h.checkoutId)).toEqual(['cs_1']);
          expect(state.payment).toMatchObject({
            status: 'pending',
            tabNo: before.payment.tabNo + 1,
            tabCents: 0,
            paidCents: 800,
          });
        } else {
          expect(state.payment.status).toBe(to);
        }
      } else {
        await rejectsWith(attempt, 'INVALID_TRANSITION');
        expect(await manager.get(id)).toEqual(before);
      }
    });
  });
});
