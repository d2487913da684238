import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { StateManager } from '../state/manager.ts';
import { moneyInvariantHolds } from '../state/rules.ts';
import { DomainError } from '../domain/errors.ts';
import { START_BALANCE_CENTS } from '../../shared/domain.ts';
import { StoreUnavailableError } from '../store/types.ts';
import { FlakyStore } from '../testing/flakyStore.ts';
import { SandboxPaymentProvider } from './sandbox.ts';
import { PaymentService } from './service.ts';
import type { PaymentTiming } from './service.ts';
import { paymentLines } from './phrases.ts';

const log = pino({ level: 'silent' });
const services: PaymentService[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.close();
});

function setup(timing: Partial<PaymentTiming> = {}) {
  const store = new FlakyStore();
  const manager = new StateManager(store, { expirySeconds: 3600 });
  const provider = new SandboxPaymentProvider(() => 'http://maya.test');
  const service = new PaymentService({
    manager,
    provider,
    log,
    timing: { pollIntervalMs: 60_000, reconcileIntervalMs: 60_000, ...timing },
  });
  services.push(service);
  return { store, manager, provider, service };
}

async function sessionWithTab(manager: StateManager) {
  const s = await manager.createSession();
  await manager.atomicOrderUpdate(s.id, [{ item: 'margarita', quantity: 2 }, { item: 'ipa' }]);
  await manager.setTip(s.id, 20);
  return s.id;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'none';
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e);
  }
}

describe('payment service', () => {
  it('opens a checkout for tab + tip with an idempotency key per tab and attempt', async () => {
    const { manager, provider, service } = setup();
    const id = await sessionWithTab(manager);
    const created = await service.createPayment(id);
    expect(created).toMatchObject({ totalCents: 2800 + 560, alreadyOpen: false });
    expect(created.checkoutUrl).toBe(`http://maya.test/pay/${created.checkoutId}`);
    const s = await manager.get(id);
    expect(s.payment).toMatchObject({
      status: 'processing',
      attempt: 1,
      idempotencyKey: `tab-${id}-1-1`,
      providerRef: { checkoutId: created.checkoutId },
    });
    expect(provider.get(created.checkoutId)).toMatchObject({
      totalCents: 3360,
      tipCents: 560,
      sessionId: id,
    });
    expect(service.isWatching(id)).toBe(true);
  });

  it('paying twice shows the same checkout and writes nothing', async () => {
    const { manager, service } = setup();
    const id = await sessionWithTab(manager);
    const first = await service.createPayment(id);
    const version = (await manager.get(id)).version;
    const second = await service.createPayment(id);
    expect(second).toMatchObject({ checkoutId: first.checkoutId, alreadyOpen: true });
    expect((await manager.get(id)).version).toBe(version);
  });

  it('refuses to pay an empty tab, before and after paying, and changes nothing', async () => {
    const { manager, service } = setup();
    const s = await manager.createSession();
    expect(await codeOf(service.createPayment(s.id))).toBe('PAYMENT_FAILED');
    expect((await manager.get(s.id)).version).toBe(s.version);

    const id = await sessionWithTab(manager);
    const { checkoutId } = await service.createPayment(id);
    await service.settle({ sessionId: id, checkoutId, status: 'paid' }, 'test');
    const after = await manager.get(id);
    expect(await codeOf(service.createPayment(id))).toBe('PAYMENT_FAILED');
    expect((await manager.get(id)).version).toBe(after.version);
  });

  it('completes the tab exactly once when ten confirmations race', async () => {
    const { manager, service } = setup();
    const id = await sessionWithTab(manager);
    const { checkoutId } = await service.createPayment(id);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        service.settle({ sessionId: id, checkoutId, status: 'paid' }, 'race'),
      ),
    );
    expect(outcomes.filter((o) => o === 'completed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'already_completed')).toHaveLength(9);
    const s = await manager.get(id);
    expect(s.orderHistory).toHaveLength(1);
    expect(s.orderHistory[0]).toMatchObject({ checkoutId, tabCents: 2800, tipCents: 560 });
    expect(s.payment).toMatchObject({
      status: 'pending',
      tabNo: 2,
      tabCents: 0,
      tipCents: 0,
      paidCents: 2800,
      needsReconciliation: false,
    });
    expect(s.emotion).toBe('happy');
    expect(s.conversation.history.filter((m) => m.text === paymentLines.paid(3360))).toHaveLength(
      1,
    );
    expect(moneyInvariantHolds(s, START_BALANCE_CENTS)).toBe(true);
    expect(service.isWatching(id)).toBe(false);
  });

  it('completes once when two server processes (two services on one store) both hear "paid"', async () => {
    const { store, manager, provider, service } = setup();
    const other = new PaymentService({
      manager: new StateManager(store, { expirySeconds: 3600 }),
      provider,
      log,
      timing: { pollIntervalMs: 60_000 },
    });
    services.push(other);
    const id = await sessionWithTab(manager);
    const { checkoutId } = await service.createPayment(id);
    const outcomes = await Promise.all(
      [service, other, service, other].map((svc) =>
        svc.settle({ sessionId: id, checkoutId, status: 'paid' }, 'two processes'),
      ),
    );
    expect(outcomes.sort()).toEqual([
      'already_completed',
      'already_completed',
      'already_completed',
      'completed',
    ]);
    expect((await manager.get(id)).orderHistory).toHaveLength(1);
  });

  it('ignores unknown and stale checkouts, and changes nothing', async () => {
    const { manager, service } = setup();
    const id = await sessionWithTab(manager);
    const { checkoutId } = await service.createPayment(id);
    const before = await manager.get(id);
    expect(
      await service.settle(
        { sessionId: id, checkoutId: 'sbx_not_a_checkout', status: 'paid' },
        'test',
      ),
    ).toBe('ignored');
    expect(
      await service.settle(
        { sessionId: id, checkoutId: 'sbx_not_a_checkout', status: 'expired' },
        'test',
      ),
    ).toBe('ignored');
    expect(
      await service.settle({ sessionId: 'no-such-session', checkoutId, status: 'paid' }, 'test'),
    ).toBe('ignored');
    expect((await manager.get(id)).version).toBe(before.version);
  });

  it('a decline fails the attempt; a retry opens a new checkout with a new key', async () => {
    const { manager, provider, service } = setup();
    const id = await sessionWithTab(manager);
    const first = await service.createPayment(id);
    provider.decide(first.checkoutId, 'declined');
    expect(
      await service.settle(
        { sessionId: id, checkoutId: first.checkoutId, status: 'declined' },
        'test',
      ),
    ).toBe('failed');
    let s = await manager.get(id);
    expect(s.payment.status).toBe('failed');
    expect(s.conversation.history.at(-1)?.text).toBe(paymentLines.failed('declined'));
    // A duplicate decline is stale news.
    expect(
      await service.settle(
        { sessionId: id, checkoutId: first.checkoutId, status: 'declined' },
        'test',
      ),
    ).toBe('ignored');
    const retry = await service.createPayment(id);
    expect(retry.checkoutId).not.toBe(first.checkoutId);
    s = await manager.get(id);
    expect(s.payment).toMatchObject({
      status: 'processing',
      attempt: 2,
      idempotencyKey: `tab-${id}-1-2`,
    });
  });

  it('cancelling expires the checkout at the provider; cancelling with nothing open is refused', async () => {
    const { manager, provider, service } = setup();
    const id = await sessionWithTab(manager);
    const { checkoutId } = await service.createPayment(id);
    await service.cancelPayment(id);
    expect(provider.get(checkoutId)?.status).toBe('expired');
    expect((await manager.get(id)).payment).toMatchObject({ status: 'pending', providerRef: null });
    expect(await codeOf(service.cancelPayment(id))).toBe('INVALID_TRANSITION');
  });

  it('cancelling while the provider is unreachable is refused (the checkout must not stay payable)', async () => {
    const { manager, provider, service } = setup();
    const id = await sessionWithTab(manager);
    const { checkoutId } = await service.createPayment(id);
    const expire = provider.expire.bind(provider);
    provider.expire = async () => {
      throw new Error('provider unreachable');
    };
    expect(await codeOf(service.cancelPayment(id))).toBe('PAYMENT_UNAVAILABLE');
    expect((await manager.get(id)).payment.status).toBe('processing');

    // A tab change while it is unreachable: the expiry is retried by the reconciler's pass.
    await manager.atomicOrderUpdate(id, [{ item: 'water' }]);
    await new Promise((r) => setTimeout(r, 10));
    expect(provider.get(checkoutId)?.status).toBe('open');
    provider.expire = expire;
    await service.reconcile();
    expect(provider.get(checkoutId)?.status).toBe('expired');
  });

  it('cancelling a checkout the guest already paid completes the tab instead', async () => {
    const { manager, provider, service } = setup();
    const id = await sessionWithTab(manager);
    const { checkoutId } = await service.createPayment(id);
    provider.decide(checkoutId, 'paid');
    expect(await codeOf(service.cancelPayment(id))).toBe('INVALID_TRANSITION');
    expect((await manager.get(id)).orderHistory).toHaveLength(1);
  });

  it('ordering or changing the tip while paying expires the open checkout', async () => {
    const { manager, provider, service } = setup();
    const id = await sessionWithTab(manager);
    const a = await service.createPayment(id);
    await manager.atomicOrderUpdate(id, [{ item: 'water' }]);
    await vi_waitFor(() => provider.get(a.checkoutId)?.status === 'expired');
    expect((await manager.get(id)).payment.status).toBe('pending');

    const b = await service.createPayment(id);
    expect(b.totalCents).toBe(2900 + 580);
    await manager.setTip(id, 10);
    await vi_waitFor(() => provider.get(b.checkoutId)?.status === 'expired');
    expect((await manager.get(id)).payment.status).toBe('pending');
  });

  it('a tab change while the checkout is being created closes that checkout and says so', async () => {
    const { manager, provider, service } = setup();
    const id = await sessionWithTab(manager);
    const create = provider.createCheckout.bind(provider);
    let created = '';
    provider.createCheckout = async (req) => {
      const c = await create(req);
      created = c.checkoutId;
      await manager.atomicOrderUpdate(id, [{ item: 'soda' }]); // the guest orders meanwhile
      return c;
    };
    expect(await codeOf(service.createPayment(id))).toBe('PAYMENT_FAILED');
    expect(provider.get(created)?.status).toBe('expired');
    expect((await manager.get(id)).payment).toMatchObject({
      status: 'pending',
      providerRef: null,
      tabCents: 3100,
    });
  });

  it('polls the provider and completes when the guest pays', async () => {
    const { manager, provider, service } = setup({ pollIntervalMs: 10 });
    const id = await sessionWithTab(manager);
    const { checkoutId } = await service.createPayment(id);
    provider.decide(checkoutId, 'paid');
    await vi_waitFor(async () => (await manager.get(id)).orderHistory.length === 1);
    expect(service.isWatching(id)).toBe(false);
  });

  it('keeps polling through a provider outage and completes when it is back', async () => {
    const { manager, provider, service } = setup({ pollIntervalMs: 5 });
    const id = await sessionWithTab(manager);
    const { checkoutId } = await service.createPayment(id);
    let failures = 0;
    const realGetStatus = provider.getStatus.bind(provider);
    provider.getStatus = async (cid) => {
      if (failures < 3) {
        failures++;
        throw new Error('provider unreachable');
      }
      return realGetStatus(cid);
    };
    provider.decide(checkoutId, 'paid');
    await vi_waitFor(async () => (await manager.get(id)).orderHistory.length === 1);
    expect(failures).toBe(3);
  });

  it('gives up polling at the deadline: expires the checkout and fails with a timeout', async () => {
    const { manager, provider, service } = setup({ pollIntervalMs: 10, deadlineMs: 50 });
    const id = await sessionWithTab(manager);
    const { checkoutId } = await service.createPayment(id);
    await vi_waitFor(async () => (await manager.get(id)).payment.status === 'failed');
    expect(provider.get(checkoutId)?.status).toBe('expired');
    expect((await manager.get(id)).conversation.history.at(-1)?.text).toBe(
      paymentLines.failed('timeout'),
    );
  });
});

describe('reconciliation', () => {
  it('when the store is down as the provider says paid, the reconciler completes the tab later, once', async () => {
    const { store, manager, service } = setup();
    const id = await sessionWithTab(manager);
    const { checkoutId } = await service.createPayment(id);
    const { provider } = service as unknown as { provider: SandboxPaymentProvider };
    provider.decide(checkoutId, 'paid');

    store.failWrite = () => true; // the store is down
    await expect(
      service.settle({ sessionId: id, checkoutId, status: 'paid' }, 'webhook'),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(service.pendingReconciliation().get(id)).toBe(checkoutId);
    expect(await service.reconcile()).toBe(0); // still down: kept for the next pass
    expect((await manager.get(id)).payment.status).toBe('processing');

    store.failWrite = () => false; // back up
    expect(await service.reconcile()).toBe(1);
    expect(await service.reconcile()).toBe(0);
    const s = await manager.get(id);
    expect(s.orderHistory).toHaveLength(1);
    expect(s.payment).toMatchObject({ status: 'pending', tabNo: 2, needsReconciliation: false });
    expect(service.pendingReconciliation().size).toBe(0);
    expect(moneyInvariantHolds(s, START_BALANCE_CENTS)).toBe(true);
  });

  it('sets needsReconciliation when only the completion fails, and a restarted server fixes it', async () => {
    const { store, manager, provider, service } = setup();
    const id = await sessionWithTab(manager);
    const { checkoutId } = await service.createPayment(id);
    provider.decide(checkoutId, 'paid');
    // Fail exactly the writes that would complete a tab (repeated conflicts, a bad shard...).
    store.failWrite = (current, next) =>
      next.orderHistory.length > (current?.orderHistory.length ?? 0);
    await expect(
      service.settle({ sessionId: id, checkoutId, status: 'paid' }, 'poll'),
    ).rejects.toThrow();
    await vi_waitFor(async () => (await manager.get(id)).payment.needsReconciliation);
    service.close(); // the process dies with the debt only in the store's flag

    store.failWrite = () => false;
    const restarted = new PaymentService({
      manager: new StateManager(store, { expirySeconds: 3600 }),
      provider,
      log,
      timing: { reconcileIntervalMs: 60_000 },
    });
    services.push(restarted);
    await restarted.recover(await store.listIds());
    const s = await manager.get(id);
    expect(s.orderHistory).toHaveLength(1);
    expect(s.payment.needsReconciliation).toBe(false);
  });

  it('the reconciler runs on its own timer', async () => {
    const { store, manager, provider, service } = setup({ reconcileIntervalMs: 20 });
    const id = await sessionWithTab(manager);
    const { checkoutId } = await service.createPayment(id);
    provider.decide(checkoutId, 'paid');
    store.failWrite = () => true;
    await service
      .settle({ sessionId: id, checkoutId, status: 'paid' }, 'sandbox')
      .catch(() => undefined);
    store.failWrite = () => false;
    await vi_waitFor(async () => (await manager.get(id)).orderHistory.length === 1);
  });
});

async function vi_waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 3000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('exactly once under any interleaving (property)', () => {
  it('concurrent confirmations, duplicate events and new orders never lose money or complete a tab twice', async () => {
    const fc = await import('fast-check');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('paid', 'paid', 'expired', 'order', 'tip', 'cancel', 'pay'), {
          minLength: 1,
          maxLength: 12,
        }),
        async (events) => {
          const { manager, provider, service } = setup();
          const id = await sessionWithTab(manager);
          const { checkoutId } = await service.createPayment(id);
          provider.decide(checkoutId, 'paid');
          const outcomes = await Promise.all(
            events.map(async (e) => {
              if (e === 'paid' || e === 'expired')
                return service.settle({ sessionId: id, checkoutId, status: e }, 'prop');
              if (e === 'order')
                return manager.atomicOrderUpdate(id, [{ item: 'water' }]).then(() => 'ordered');
              if (e === 'tip') return manager.setTip(id, 15, true).then(() => 'tipped');
              if (e === 'cancel')
                return service.cancelPayment(id).then(
                  () => 'cancelled',
                  () => 'no-cancel',
                );
              return service.createPayment(id).then(
                () => 'paying',
                () => 'no-pay',
              );
            }),
          );
          const s = await manager.get(id);
          expect(moneyInvariantHolds(s, START_BALANCE_CENTS)).toBe(true);
          const paidHere = s.orderHistory.filter((h) => h.checkoutId === checkoutId);
          expect(paidHere.length).toBeLessThanOrEqual(1);
          // Only the commit that completed the tab says so (a cancel that found it paid completes it too).
          expect(outcomes.filter((o) => o === 'completed').length).toBeLessThanOrEqual(
            paidHere.length,
          );
          // Nothing interfering (no tab change, no expiry): a confirmation always completes the tab.
          if (
            events.includes('paid') &&
            !events.some((e) => e === 'order' || e === 'tip' || e === 'expired')
          )
            expect(paidHere).toHaveLength(1);
          expect(s.conversation.history.filter((m) => m.text.startsWith('Thank you!')).length).toBe(
            paidHere.length,
          );
          service.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});
