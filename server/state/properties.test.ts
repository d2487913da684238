/**
 * Property tests of the money rules through the state manager: any sequence of orders, removals,
 * swaps, tips and payment steps keeps balance + tab + paid == start, tip == round(tab × pct), never a
 * negative amount, and a version that only moves up (strictly, on every committed change).
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StateManager } from './manager.ts';
import { DomainError } from '../domain/errors.ts';
import type { SessionState } from '../domain/session.ts';
import { MemorySessionStore } from '../store/memory.ts';
import { MENU } from '../../shared/menu.ts';
import { START_BALANCE_CENTS } from '../../shared/domain.ts';
import { percentOf } from '../../shared/money.ts';
import { storesUnderTest } from '../testing/stores.ts';

const { stores, redis } = await storesUnderTest('properties');
afterAll(() => redis.stop());
/** Runs per store: Redis does a round trip per step, so it gets fewer sequences. */
const SEQUENCES = { memory: 150, redis: 25 } as const;

const itemName = fc.constantFrom(...MENU.map((m) => m.name));
const op = fc.oneof(
  fc.record({
    kind: fc.constant('order' as const),
    item: itemName,
    quantity: fc.integer({ min: 1, max: 20 }),
    double: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('remove' as const),
    item: itemName,
    quantity: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('swap' as const),
    from: itemName,
    fromQuantity: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
    to: itemName,
    quantity: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('cancelLast' as const) }),
  fc.record({
    kind: fc.constant('tip' as const),
    percent: fc.constantFrom(10, 15, 20, null),
    toggle: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('checkout' as const) }),
  fc.record({ kind: fc.constant('confirm' as const), twice: fc.boolean() }),
  fc.record({ kind: fc.constant('decline' as const) }),
  fc.record({ kind: fc.constant('cancelCheckout' as const) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

async function apply(m: StateManager, id: string, o: Op): Promise<void> {
  switch (o.kind) {
    case 'order':
      await m.atomicOrderUpdate(id, [
        { item: o.item, quantity: o.quantity, modifiers: o.double ? ['double'] : [] },
      ]);
      return;
    case 'remove':
      await m.removeFromOrder(id, { item: o.item, quantity: o.quantity });
      return;
    case 'swap':
      await m.atomicSwap(
        id,
        o.fromQuantity === undefined
          ? { item: o.from }
          : { item: o.from, quantity: o.fromQuantity },
        [o.quantity === undefined ? { item: o.to } : { item: o.to, quantity: o.quantity }],
      );
      return;
    case 'cancelLast':
      await m.cancelLast(id);
      return;
    case 'tip':
      await m.setTip(id, o.percent, o.toggle);
      return;
    case 'checkout': {
      const { state } = await m.beginCheckout(id);
      if (!state.payment.providerRef)
        await m.attachCheckout(id, state.payment.idempotencyKey!, {
          checkoutId: `cs_${state.payment.idempotencyKey}`,
          url: 'http://127.0.0.1/pay',
        });
      return;
    }
    case 'confirm': {
      const ref = (await m.get(id)).payment.providerRef;
      await m.atomicPaymentComplete(id, ref?.checkoutId ?? 'cs_none');
      if (o.twice) await m.atomicPaymentComplete(id, ref?.checkoutId ?? 'cs_none');
      return;
    }
    case 'decline':
      await m.failPayment(id, null);
      return;
    case 'cancelCheckout':
      await m.cancelCheckout(id);
  }
}

function checkInvariants(s: SessionState): void {
  const p = s.payment;
  expect(p.balanceCents + p.tabCents + p.paidCents).toBe(START_BALANCE_CENTS);
  expect(p.tipCents).toBe(p.tipPercent === null ? 0 : percentOf(p.tabCents, p.tipPercent));
  expect(s.order.reduce((sum, l) => sum + l.lineCents, 0)).toBe(p.tabCents);
  for (const n of [p.balanceCents, p.tabCents, p.tipCents, p.paidCents])
    expect(n).toBeGreaterThanOrEqual(0);
  expect(s.orderHistory.reduce((sum, h) => sum + h.tabCents, 0)).toBe(p.paidCents);
}

describe.each(stores)('money rules under random sequences ($name store)', (factory) => {
  it('keep every invariant, and rejected steps change nothing', async () => {
    const handle = await factory.make(Date.now);
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
          const m = new StateManager(handle.store, { expirySeconds: 3600 });
          const { id } = await m.createSession();
          let before = await m.get(id);
          for (const o of ops) {
            let rejected = false;
            try {
              await apply(m, id, o);
            } catch (e) {
              if (!(e instanceof DomainError)) throw e;
              rejected = true;
            }
            const after = await m.get(id);
            checkInvariants(after);
            if (o.kind !== 'checkout' && o.kind !== 'confirm' && rejected)
              expect(after).toEqual(before);
            // Version moves up strictly on every committed change, and only then.
            if (after.version === before.version) expect(after).toEqual(before);
            else expect(after.version).toBeGreaterThan(before.version);
            before = after;
          }
        }),
        { numRuns: SEQUENCES[factory.name] },
      );
    } finally {
      await handle.close();
    }
  });
});

describe('money rules under random concurrent clients', () => {
  it('keep the invariant and lose no committed write', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { maxLength: 12 }), { minLength: 2, maxLength: 4 }),
        async (clients) => {
          const store = new MemorySessionStore();
          // A manager per client: they race through compare-and-set like separate processes.
          const managers = clients.map(
            () => new StateManager(store, { expirySeconds: 3600, maxRetries: 1000 }),
          );
          const m = managers[0]!;
          const { id } = await m.createSession();
          let commits = 0;
          const off = store.onChange(() => commits++);
          await Promise.all(
            clients.map(async (ops, i) => {
              for (const o of ops)
                await apply(managers[i]!, id, o).catch((e: unknown) => {
                  if (!(e instanceof DomainError)) throw e;
                });
            }),
          );
          off();
          const s = await m.get(id);
          checkInvariants(s);
          expect(s.version).toBe(commits);
        },
      ),
      { numRuns: 60 },
    );
  });
});
