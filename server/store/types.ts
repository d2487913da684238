import type { SessionState } from '../domain/session.ts';

/** Options of a write made while holding the session's turn lock. */
export interface WriteOptions {
  /**
   * The fencing token of the turn lock the writer holds. The write is refused (DomainError
   * CONCURRENT_MODIFICATION) unless that lock is still held with this token, so a turn whose lock
   * expired (a paused or slow process) can never overwrite the work of the turn that took over.
   */
  fenceToken?: number;
}

/**
 * Where sessions live. A small compare-and-set contract: every implementation (memory, Redis) does
 * the version check and the write as one atomic step, so the state manager can apply pure rules
 * without ever losing an update.
 *
 * Liveness: a session is live while `expiresAt` is in the future, or while it is pinned (a payment
 * in processing or needing reconciliation — see `isPinned`). A session that is not live reads as
 * null and cannot be written; pinned sessions are never dropped.
 */
export interface SessionStore {
  readonly kind: 'memory' | 'redis';
  /** Store a brand-new session; false if a live session with that id exists. */
  create(state: SessionState): Promise<boolean>;
  /** The session, or null when unknown or expired. Throws DomainError INVALID_SESSION on corrupt data. */
  get(id: string): Promise<SessionState | null>;
  /**
   * Atomically replace the session if its stored version is `expectedVersion`. `next.version` must
   * be `expectedVersion + 1`. Returns false on a version mismatch or a missing session. Throws
   * DomainError INVALID_SESSION when `next` does not match the session schema (nothing is written)
   * or the stored data is corrupt, and CONCURRENT_MODIFICATION when `fenceToken` is stale.
   */
  compareAndSet(
    id: string,
    expectedVersion: number,
    next: SessionState,
    options?: WriteOptions,
  ): Promise<boolean>;
  delete(id: string): Promise<void>;
  /** Delete the session only if it is expired and not pinned (the sweeper's atomic check-and-delete). */
  deleteIfExpired(id: string, now: number): Promise<boolean>;
  /** Every stored session id (live or not yet swept). */
  listIds(): Promise<string[]>;
  /**
   * Take the session's turn lock for `ttlMs`. Returns a fencing token (strictly increasing across
   * all grants) or null when another holder has it.
   */
  acquireLock(id: string, ttlMs: number): Promise<number | null>;
  /** Keep holding the lock for another `ttlMs`; false if it was lost (expired and maybe re-taken). */
  extendLock(id: string, token: number, ttlMs: number): Promise<boolean>;
  /** Release the lock if still held with `token`. */
  releaseLock(id: string, token: number): Promise<boolean>;
  /** Listen to every committed change (from this process or, with Redis, any other). */
  onChange(listener: (state: SessionState) => void): () => void;
  /** Is the backing service reachable? */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The store's backing service could not be reached (Redis down, connection closed, command timed
 * out): not a bug, and nothing was written. Stores throw it; the transport turns it into
 * STORE_UNAVAILABLE for the guest.
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly store: SessionStore['kind'],
    cause: unknown,
  ) {
    super(
      `The ${store} session store is unreachable: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'StoreUnavailableError';
  }
}
