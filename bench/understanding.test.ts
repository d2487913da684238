import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTurn, loadRound, orderDiff, scoreRound } from './understanding.ts';
import type { Observed, TurnResult } from './understanding.ts';
import type { PublicState } from '../shared/domain.ts';

function state(
  over: {
    tab?: number;
    tipPercent?: 10 | 15 | 20 | null;
    tip?: number;
    status?: PublicState['payment']['status'];
    checkoutUrl?: string | null;
    order?: PublicState['order'];
    phase?: PublicState['phase'];
  } = {},
): PublicState {
  const tab = over.tab ?? 0;
  const tip = over.tip ?? 0;
  return {
    version: 3,
    phase: over.phase ?? 'small_talk',
    emotion: 'mixing',
    order: over.order ?? [],
    payment: {
      balanceCents: 100_000 - tab,
      tabCents: tab,
      tipPercent: over.tipPercent ?? null,
      tipCents: tip,
      totalCents: tab + tip,
      status: over.status ?? 'pending',
      tabNo: 1,
      checkoutUrl: over.checkoutUrl ?? null,
    },
  };
}
const line = (
  item: string,
  quantity: number,
  unit: number,
  modifiers: PublicState['order'][number]['modifiers'] = [],
) => ({ item, quantity, modifiers, unitPriceCents: unit, lineCents: unit * quantity });
const seen = (s: PublicState, replyText = '', emotion: string | null = 'mixing'): Observed => ({
  replyText,
  emotion,
  state: s,
});

describe('understanding scorer: one turn', () => {
  it('passes a turn whose every expectation holds', () => {
    const s = state({ tab: 2200, order: [line('Mojito', 2, 1100)] });
    expect(
      checkTurn(
        {
          tabCents: 2200,
          balanceCents: 97800,
          order: [{ item: 'Mojito', quantity: 2 }],
          phase: 'small_talk',
          emotion: 'mixing',
          replyMentions: ['mojito'],
        },
        seen(s, 'Two Mojitos, coming up.'),
      ),
    ).toEqual([]);
  });

  it('names every money field that differs', () => {
    const diffs = checkTurn(
      { tabCents: 700, balanceCents: 100_000, tipCents: 80, totalCents: 800 },
      seen(state({ tab: 800 })),
    );
    expect(diffs).toEqual([
      'tab: expected $7.00, got $8.00',
      'balance: expected $1000.00, got $992.00',
      'tip: expected $0.80, got $0.00',
    ]);
  });

  it('checks the tip percent, null included', () => {
    expect(
      checkTurn({ tipPercent: null }, seen(state({ tab: 1000, tipPercent: 15, tip: 150 }))),
    ).toEqual(['tipPercent: expected none, got 15']);
    expect(
      checkTurn({ tipPercent: 15 }, seen(state({ tab: 1000, tipPercent: 15, tip: 150 }))),
    ).toEqual([]);
  });

  it('tells a checkout present from a checkout absent, and checks the payment status', () => {
    const paying = state({ tab: 900, status: 'processing', checkoutUrl: 'http://127.0.0.1/pay/x' });
    expect(checkTurn({ checkout: true, status: 'processing' }, seen(paying))).toEqual([]);
    expect(checkTurn({ checkout: false, status: 'pending' }, seen(paying))).toHaveLength(2);
    expect(checkTurn({ checkout: true }, seen(state({ tab: 900 })))).toEqual([
      'checkout: expected a checkout URL, got none',
    ]);
  });

  it('matches reply words case-insensitively: all, any, none', () => {
    const s = seen(
      state(),
      'A Manhattan is rye and sweet vermouth; an Old Fashioned is whiskey, sugar and bitters.',
    );
    expect(checkTurn({ replyMentions: ['manhattan', 'OLD FASHIONED'] }, s)).toEqual([]);
    expect(checkTurn({ replyMentions: ['Manhattan', 'Negroni'] }, s)).toEqual([
      'reply should mention "Negroni"',
    ]);
    expect(checkTurn({ replyMentionsAny: ['campari', 'Vermouth'] }, s)).toEqual([]);
    expect(checkTurn({ replyMentionsAny: ['campari', 'mint'] }, s)).toHaveLength(1);
    expect(checkTurn({ replyNotMentions: ['lime', 'Bitters'] }, s)).toEqual([
      'reply should not mention "Bitters"',
    ]);
  });

  it('checks phase and emotion', () => {
    expect(
      checkTurn({ phase: 'order_taking', emotion: 'neutral' }, seen(state(), 'Hi!', 'happy')),
    ).toEqual([
      'phase: expected order_taking, got small_talk',
      'emotion: expected neutral, got happy',
    ]);
  });
});

describe('understanding scorer: the order', () => {
  it('adds up lines of one item and ignores line order', () => {
    const actual = [line('IPA', 1, 600), line('Gin', 1, 800), line('IPA', 1, 600)];
    expect(
      orderDiff(
        [
          { item: 'Gin', quantity: 1 },
          { item: 'IPA', quantity: 2 },
        ],
        actual,
      ),
    ).toEqual([]);
  });

  it('fails on a wrong quantity, a missing item and an extra item', () => {
    expect(orderDiff([{ item: 'Negroni', quantity: 2 }], [line('Negroni', 1, 1100)])).toHaveLength(
      1,
    );
    expect(
      orderDiff(
        [{ item: 'Martini', quantity: 1 }],
        [line('Gin', 1, 800), line('Martini', 1, 1300)],
      ),
    ).toEqual([expect.stringContaining('unexpected Gin')]);
    expect(orderDiff([], [line('Tap Beer', 3, 500)])).toEqual([
      expect.stringContaining('unexpected Tap Beer'),
    ]);
    expect(orderDiff([], [])).toEqual([]);
  });

  it('checks modifiers only when given, in any order', () => {
    const actual = [line('Whiskey', 1, 1200, ['on the rocks', 'double'])];
    expect(orderDiff([{ item: 'Whiskey', quantity: 1 }], actual)).toEqual([]);
    expect(
      orderDiff([{ item: 'Whiskey', quantity: 1, modifiers: ['double', 'on the rocks'] }], actual),
    ).toEqual([]);
    expect(
      orderDiff([{ item: 'Whiskey', quantity: 1, modifiers: ['double'] }], actual),
    ).toHaveLength(1);
  });
});

describe('understanding scorer: rounds', () => {
  const r = (caseId: string, turn: number, ok: boolean): TurnResult => ({
    caseId,
    kind: 'k',
    turn,
    guest: 'g',
    reply: 'r',
    ok,
    diffs: ok ? [] : ['x'],
  });

  it('counts a case right only when all its turns are', () => {
    const s = scoreRound(1, [
      r('r1-01', 1, true),
      r('r1-02', 1, true),
      r('r1-02', 2, false),
      r('r1-03', 1, true),
    ]);
    expect(s).toMatchObject({ cases: 3, casesRight: 2, turns: 4, turnsRight: 3 });
    expect(s.failures.map((f) => f.caseId)).toEqual(['r1-02']);
  });

  it('loads the committed rounds, valid against the schema', () => {
    for (const [round, turns] of [
      [1, 60],
      [2, 60],
      [3, 60],
      [4, 53],
      [5, 55],
      [6, 55],
      [7, 56],
      [8, 47],
      [9, 42],
      [10, 36],
    ] as const) {
      const cases = loadRound(round);
      expect(cases.reduce((n, c) => n + c.turns.length, 0)).toBe(turns);
      expect(cases.every((c) => c.id.startsWith(`r${round}-`))).toBe(true);
    }
  });

  it('refuses a malformed round loudly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'understanding-'));
    writeFileSync(
      join(dir, 'round-9.json'),
      JSON.stringify([
        {
          id: 'r9-01',
          kind: 'order',
          turns: [
            { guest: 'a pint', expect: { tabCents: 500, order: [{ item: 'Pint', quantity: 1 }] } },
          ],
        },
      ]),
    );
    expect(() => loadRound(9, dir)).toThrow(/round-9\.json is malformed[\s\S]*item/);
    writeFileSync(
      join(dir, 'round-9.json'),
      JSON.stringify([
        { id: 'r9-01', kind: 'order', turns: [{ guest: 'a beer', expect: { tab: 500 } }] },
      ]),
    );
    expect(() => loadRound(9, dir)).toThrow(/malformed/);
  });
});
