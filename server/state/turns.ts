/**
 * Per-session turn serialisation (DOMAIN.md "Sessions"): two turns of one session never interleave.
 * In one process a promise queue per session keeps arrival order; across processes the session's
 * turn lock in the store (expiry + heartbeat) admits one holder at a time, and every write made
 * inside the turn carries the lock's fencing token, so a holder whose lock expired cannot write.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DomainError } from '../domain/errors.ts';
import type { SessionStore } from '../store/types.ts';

export interface TurnLockOptions {
  /** How long a lock lives without a heartbeat (a crashed process frees it after this). */
  lockTtlMs: number;
  /** Pause between attempts to take a lock another process holds. */
  retryMs: number;
  /** Give up waiting for the lock after this long (CONCURRENT_MODIFICATION). */
  waitTimeoutMs: number;
}

export const DEFAULT_TURN_LOCK_OPTIONS = {
  lockTtlMs: 10_000,
  retryMs: 15,
  waitTimeoutMs: 30_000,
} satisfies TurnLockOptions;

/**
 * The lock held by the current async context. `active` turns false when the turn ends: timers and
 * callbacks started inside a turn inherit this context, and once the turn is over they must count
 * as outside it (not write with a released token, not skip the queue).
 */
const heldLock = new AsyncLocalStorage<{ sessionId: string; token: number; active: boolean }>();

/** The fencing token of the turn lock held by the current async context for this session, if any. */
export function currentFenceToken(sessionId: string): number | undefined {
  const held = heldLock.getStore();
  return held?.active && held.sessionId === sessionId ? held.token : undefined;
}

export class SessionTurns {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly options: TurnLockOptions;

  constructor(
    private readonly store: SessionStore,
    options: Partial<TurnLockOptions> = {},
  ) {
    this.options = { ...DEFAULT_TURN_LOCK_OPTIONS, ...options };
  }

  /** Run `work` as the only turn of this session (in this process and across processes). */
  run<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    // Already inside this session's turn: run at once (queueing behind ourselves would deadlock).
    if (currentFenceToken(sessionId) !== undefined) return work();
    const locked = () => this.locked(sessionId, work);
    const prev = this.tails.get(sessionId) ?? Promise.resolve();
    const run = prev.then(locked, locked);
    const tail = run.catch(() => undefined);
    this.tails.set(sessionId, tail);
    void tail.then(() => {
      if (this.tails.get(sessionId) === tail) this.tails.delete(sessionId);
    });
    return run;
  }

  /** Sessions with a turn queued or running in this process. */
  busySessions(): number {
    return this.tails.size;
  }

  /**
   * Wait until no turn is queued or running in this process (graceful shutdown), at most `timeoutMs`.
   * Resolves true when drained, false when the deadline passed first.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.tails.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((r) => (timer = setTimeout(r, left)));
      await Promise.race([Promise.all(this.tails.values()), timeout]);
      clearTimeout(timer);
    }
    return true;
  }

  private async locked<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const { lockTtlMs } = this.options;
    const token = await this.acquire(sessionId);
    const heartbeat = setInterval(() => {
      this.store.extendLock(sessionId, token, lockTtlMs).catch(() => undefined);
    }, lockTtlMs / 3);
    heartbeat.unref?.();
    const held = { sessionId, token, active: true };
    try {
      return await heldLock.run(held, work);
    } finally {
      held.active = false;
      clearInterval(heartbeat);
      await this.store.releaseLock(sessionId, token).catch(() => undefined);
    }
  }

  private async acquire(sessionId: string): Promise<number> {
    const { lockTtlMs, retryMs, waitTimeoutMs } = this.options;
    const started = Date.now();
    for (;;) {
      const token = await this.store.acquireLock(sessionId, lockTtlMs);
      if (token !== null) return token;
      if (Date.now() - started > waitTimeoutMs) {
        throw new DomainError(
          'CONCURRENT_MODIFICATION',
          'Another turn of this session is still running; please try again.',
        );
      }
      await new Promise((r) => setTimeout(r, retryMs * (0.5 + Math.random())));
    }
  }
}
