/** Tool results are read through the registry's types: what a turn added, removed and left on the tab. */
import { describe, expect, it } from 'vitest';
import { tabChanges, typedCall } from './tools.ts';

const line = (item: string, quantity = 1) => ({
  item,
  quantity,
  modifiers: [],
  unitPriceCents: 1000,
});
const bill = {
  lines: [],
  tabCents: 2500,
  tipPercent: null,
  tipCents: 0,
  totalCents: 2500,
  balanceCents: 7500,
};

describe('typed tool results', () => {
  it('sums adds, removals and swaps, and keeps the last tab reported', () => {
    const changes = tabChanges([
      {
        name: 'add_to_order',
        result: { ok: true, result: { added: [line('Mojito', 2)], ...bill, tabCents: 2000 } },
      },
      { name: 'remove_from_order', result: { ok: false, error: 'ITEM_NOT_FOUND', message: 'no' } },
      {
        name: 'swap_in_order',
        result: { ok: true, result: { removed: [line('Mojito')], added: [line('Gin')], ...bill } },
      },
      { name: 'get_menu', result: { ok: true, result: [] } },
    ]);
    expect(changes.added.map((l) => l.item)).toEqual(['Mojito', 'Gin']);
    expect(changes.removed.map((l) => l.item)).toEqual(['Mojito']);
    expect(changes.tabCents).toBe(2500);
  });

  it('knows no tool the registry does not', () => {
    expect(typedCall('drop_tables', { ok: true, result: {} })).toBeNull();
    expect(
      tabChanges([{ name: 'drop_tables', result: { ok: true, result: { added: [line('Gin')] } } }])
        .added,
    ).toEqual([]);
  });
});
