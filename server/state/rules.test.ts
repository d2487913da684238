import { describe, expect, it } from 'vitest';
import { newSession } from '../domain/session.ts';
import {
  addLines,
  canTransition,
  moneyInvariantHolds,
  priceLine,
  removeItem,
  setTip,
  swapItem,
} from './rules.ts';
import { PAYMENT_STATUSES, START_BALANCE_CENTS } from '../../shared/domain.ts';
import { DomainError } from '../domain/errors.ts';

const fresh = () => newSession('test-session-1', 0, 3600);

describe('money rules', () => {
  it('prices a double at 1.5× rounded half-up, other modifiers free', () => {
    expect(priceLine({ item: 'whiskey', modifiers: ['double'] }).unitPriceCents).toBe(1200);
    expect(priceLine({ item: 'Rum', modifiers: ['double'] }).unitPriceCents).toBe(1050);
    expect(priceLine({ item: 'martini', modifiers: ['dirty', 'shaken'] }).unitPriceCents).toBe(
      1300,
    );
    expect(priceLine({ item: 'old fashioneds', quantity: 3 }).lineCents).toBe(3600);
  });

  it('fills a line of the same drink up to 20, then starts a new one', () => {
    let s = fresh();
    for (let i = 0; i < 45; i++) s = addLines(s, [priceLine({ item: 'water' })]);
    expect(s.order.map((l) => l.quantity)).toEqual([20, 20, 5]);
    expect(moneyInvariantHolds(s, START_BALANCE_CENTS)).toBe(true);
  });

  it('rejects unknown drinks with suggestions, and bad quantities', () => {
    expect(() => priceLine({ item: 'margaritta' })).toThrow(/Margarita/);
    expect(() => priceLine({ item: 'beer', quantity: 0 })).toThrow(DomainError);
    expect(() => priceLine({ item: 'beer', quantity: 21 })).toThrow(/1 to 20/);
  });

  it('refuses an order the balance cannot cover and changes nothing', () => {
    const s = fresh();
    s.payment.balanceCents = 500;
    expect(() => addLines(s, [priceLine({ item: 'martini' })])).toThrow(/balance is \$5.00/);
    expect(s.payment.balanceCents).toBe(500);
  });

  it('keeps the tip following the tab and toggles it', () => {
    let s = addLines(fresh(), [priceLine({ item: 'negroni', quantity: 3 })]);
    s = setTip(s, 15);
    expect(s.payment.tipCents).toBe(495); // 15% of 33.00
    s = addLines(s, [priceLine({ item: 'water' })]);
    expect(s.payment.tipCents).toBe(510); // 15% of 34.00
    s = setTip(s, 15);
    expect(s.payment.tipPercent).toBeNull();
    expect(() => setTip(s, 12)).toThrow(/10, 15, 20/);
    expect(moneyInvariantHolds(s, START_BALANCE_CENTS)).toBe(true);
  });

  it('removes the newest drinks first and refunds them', () => {
    let s = addLines(fresh(), [
      priceLine({ item: 'beer', quantity: 2 }),
      priceLine({ item: 'ipa' }),
    ]);
    s = removeItem(s, { item: 'tap beer', quantity: 1 }).state;
    expect(s.payment).toMatchObject({ tabCents: 1100, balanceCents: START_BALANCE_CENTS - 1100 });
    expect(() => removeItem(s, { item: 'martini' })).toThrow(/no Martini/);
    expect(moneyInvariantHolds(s, START_BALANCE_CENTS)).toBe(true);
  });

  it('allows exactly the drawn payment transitions', () => {
    const allowed = new Set([
      'pending>processing',
      'processing>completed',
      'processing>pending',
      'processing>failed',
      'failed>processing',
    ]);
    for (const from of PAYMENT_STATUSES) {
      for (const to of PAYMENT_STATUSES) {
        expect(canTransition(from, to), `${from}>${to}`).toBe(
          from === to || allowed.has(`${from}>${to}`),
        );
      }
    }
  });
});

describe('swapping a drink', () => {
  it('refunds the old drink and charges the new one in one step, as many as were removed by default', () => {
    const s = addLines(fresh(), [priceLine({ item: 'beer', quantity: 2 })]);
    const { state, removed, added } = swapItem(s, { item: 'Tap Beer' }, [{ item: 'ipa' }]);
    expect(removed.map((l) => [l.item, l.quantity])).toEqual([['Tap Beer', 2]]);
    expect(added.map((l) => [l.item, l.quantity])).toEqual([['IPA', 2]]);
    expect(state.order.map((l) => l.item)).toEqual(['IPA']);
    expect(state.payment.tabCents).toBe(1200);
    expect(moneyInvariantHolds(state, START_BALANCE_CENTS)).toBe(true);
  });

  it('changes nothing when the new drink cannot be afforded even after the refund, or the old one is not there', () => {
    const s = addLines(fresh(), [priceLine({ item: 'water' })]);
    s.payment.balanceCents = 500;
    const before = structuredClone(s);
    expect(() => swapItem(s, { item: 'Water' }, [{ item: 'martini' }])).toThrow(/balance/);
    expect(() => swapItem(s, { item: 'Gin' }, [{ item: 'rum' }])).toThrow(DomainError);
    expect(() => swapItem(s, { item: 'Water' }, [{ item: 'rum', quantity: 0 }])).toThrow(
      DomainError,
    );
    expect(s).toEqual(before);
  });
});
