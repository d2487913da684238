/** Keeps the store benchmark honest and runnable: a tiny run must count every update exactly. */
import { describe, expect, it } from 'vitest';
import { runCell } from './store.ts';
import { MemorySessionStore } from '../server/store/memory.ts';

describe('store benchmark', () => {
  it('measures a small contended and independent run without errors', async () => {
    const store = new MemorySessionStore();
    for (const scenario of ['contended', 'independent'] as const) {
      const cell = await runCell(store, scenario, 16, 1000);
      expect(cell).toMatchObject({ store: 'memory', scenario, clients: 16, errors: 0 });
      expect(cell.opsPerSecond).toBeGreaterThan(0);
      expect(cell.p99Ms).toBeGreaterThanOrEqual(cell.p50Ms);
    }
    expect(await store.listIds()).toEqual([]); // the run cleans up its sessions
  });
});
