/**
 * Session churn for the memory bench and test: create many sessions through the state manager on
 * the memory store (each orders a drink inside a turn), let them expire on a test clock, sweep, and
 * measure the heap at each step after a full garbage collection.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { StateManager } from '../state/manager.ts';
import { SessionSweeper } from '../state/sweeper.ts';
import { MemorySessionStore } from '../store/memory.ts';

export interface MemorySample {
  rssBytes: number;
  heapUsedBytes: number;
}

export interface ChurnResult {
  before: MemorySample;
  peak: MemorySample;
  after: MemorySample;
  sessionsCreated: number;
  sessionsSwept: number;
  sessionsLeft: number;
  /** onSessionEnd hooks run (one per swept session). */
  endHooksRun: number;
}

/** Short idle expiry: sessions are expired by moving the test clock past it, not by waiting. */
export const CHURN_EXPIRY_SECONDS = 60;
const CREATE_BATCH = 500;

/** `gc()`: the one exposed by `node --expose-gc`, else switched on at run time (V8 allows it). */
export function fullGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function sample(gc: () => void): MemorySample {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rssBytes: m.rss, heapUsedBytes: m.heapUsed };
}

/** Sessions churned once, unmeasured, first: compiled code and lazily loaded modules are not a leak. */
const WARM_UP_SESSIONS = 500;

export async function churnSessions(count: number, { warmUp = true } = {}): Promise<ChurnResult> {
  if (warmUp) await churnSessions(WARM_UP_SESSIONS, { warmUp: false });
  const gc = fullGc();
  const before = sample(gc);
  let peak = before;
  // Store, manager and sweeper live only inside `run`, so the last sample sees what outlives them.
  const run = async () => {
    let clockMs = Date.now();
    const now = () => clockMs;
    const store = new MemorySessionStore(now);
    const manager = new StateManager(store, { expirySeconds: CHURN_EXPIRY_SECONDS, now });
    const sweeper = new SessionSweeper(store, { intervalSeconds: 3600, now });
    let hooksRun = 0;
    sweeper.onSessionEnd(() => void hooksRun++);
    for (let done = 0; done < count; done += CREATE_BATCH) {
      const batch = Math.min(CREATE_BATCH, count - done);
      await Promise.all(
        Array.from({ length: batch }, async () => {
          const s = await manager.createSession();
          await manager.serialised(s.id, () =>
            manager.atomicOrderUpdate(s.id, [{ item: 'Margarita', quantity: 1, modifiers: [] }]),
          );
        }),
      );
    }
    peak = sample(gc);
    clockMs += (CHURN_EXPIRY_SECONDS + 1) * 1000;
    const { ended } = await sweeper.sweep();
    await sweeper.stop();
    const sessionsLeft = (await store.listIds()).length;
    await store.close();
    return { sessionsSwept: ended.length, sessionsLeft, endHooksRun: hooksRun };
  };
  const counts = await run();
  const after = sample(gc);
  return { before, peak, after, sessionsCreated: count, ...counts };
}
