import { describe, expect, it, vi } from 'vitest';
import { StateManager } from './manager.ts';
import { DomainError } from '../domain/errors.ts';
import { MemorySessionStore } from '../store/memory.ts';

function twoProcesses(turnLock = {}) {
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  const store = new MemorySessionStore(now);
  // Two managers on one store behave like two processes: separate queues, one shared lock.
  const a = new StateManager(store, { expirySeconds: 3600, now, turnLock });
  const b = new StateManager(store, { expirySeconds: 3600, now, turnLock });
  return { store, a, b, advance: (ms: number) => (offsetMs += ms) };
}

describe('turn serialisation', () => {
  it('fences a turn whose lock expired: its write is refused, the new holder’s stays', async () => {
    const { store, a, b, advance } = twoProcesses({ lockTtlMs: 1_000, retryMs: 1 });
    const { id } = await a.createSession();
    let releaseStale!: () => void;
    const staleMayWrite = new Promise<void>((r) => (releaseStale = r));
    const stale = a.serialised(id, async () => {
      await staleMayWrite; // a long pause (GC, a slow LLM without heartbeat)
      return a.atomicOrderUpdate(id, [{ item: 'martini' }]);
    });
    await new Promise((r) => setTimeout(r, 10));
    advance(5_000); // the stale holder's lock has expired
    await b.serialised(id, () => b.atomicOrderUpdate(id, [{ item: 'water' }]));
    releaseStale();
    const err = await stale.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('CONCURRENT_MODIFICATION');
    const s = await store.get(id);
    expect(s?.order.map((l) => l.item)).toEqual(['Water']);
    expect(s?.payment.tabCents).toBe(100);
  });

  it('work a turn leaves behind (a poll timer) writes as outside the turn once the turn is over', async () => {
    const { a } = twoProcesses();
    const { id } = await a.createSession();
    let later!: Promise<unknown>;
    await a.serialised(id, async () => {
      // The timer inherits the turn's async context; by the time it fires the lock is released.
      later = new Promise((resolve, reject) =>
        setTimeout(() => a.atomicOrderUpdate(id, [{ item: 'gin' }]).then(resolve, reject), 20),
      );
    });
    await expect(later).resolves.toBeDefined();
    expect((await a.get(id)).payment.tabCents).toBe(800);
  });

  it('keeps a long turn’s lock alive with a heartbeat', async () => {
    vi.useFakeTimers(); // deterministic: heartbeats, lock expiry and retries all run on the fake clock
    try {
      const { a, b } = twoProcesses({ lockTtlMs: 300, retryMs: 2 });
      const { id } = await a.createSession();
      const log: string[] = [];
      const long = a.serialised(id, async () => {
        log.push('a start');
        await new Promise((r) => setTimeout(r, 1_000)); // > 3 × the lock TTL
        await a.atomicOrderUpdate(id, [{ item: 'ipa' }]);
        log.push('a end');
      });
      await vi.advanceTimersByTimeAsync(10);
      const other = b.serialised(id, async () => void log.push('b'));
      await vi.advanceTimersByTimeAsync(2_000);
      await Promise.all([long, other]);
      expect(log).toEqual(['a start', 'a end', 'b']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs a nested call for the same session at once, and frees the lock after a failed turn', async () => {
    const { store, a } = twoProcesses({ retryMs: 1 });
    const { id } = await a.createSession();
    const nested = await a.serialised(id, () => a.serialised(id, async () => 'inner'));
    expect(nested).toBe('inner');
    await expect(a.serialised(id, async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await store.acquireLock(id, 1_000)).not.toBeNull(); // nothing left holding it
  });

  it('gives up waiting for a lock held elsewhere with CONCURRENT_MODIFICATION', async () => {
    const { store, a } = twoProcesses({ retryMs: 5, waitTimeoutMs: 50 });
    const { id } = await a.createSession();
    expect(await store.acquireLock(id, 60_000)).not.toBeNull();
    const err = await a
      .serialised(id, async () => 'never')
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect((err as DomainError).code).toBe('CONCURRENT_MODIFICATION');
  });
});
