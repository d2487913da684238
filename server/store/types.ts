import type { SessionState } from '../state/session.ts';

/**
 * Where sessions live. A small compare-and-set contract: every implementation (memory, Redis) does
 * the version check and the write as one atomic step, so the state manager can apply pure rules
 * without ever losing an update.
 */
export interface SessionStore {
  readonly kind: 'memory' | 'redis';
  /** Store a brand-new session; false if the id already exists. */
  create(state: SessionState): Promise<boolean>;
  /** The session, or null when unknown or expired. Throws DomainError INVALID_SESSION on corrupt data. */
  get(id: string): Promise<SessionState | null>;
  /**
   * Atomically replace the session if its stored version is `expectedVersion`. `next.version` must
   * be `expectedVersion + 1`. Returns false on a version mismatch or a missing session.
   */
  compareAndSet(id: string, expectedVersion: number, next: SessionState): Promise<boolean>;
  delete(id: string): Promise<void>;
  /** Listen to every committed change (from this process or, with Redis, any other). */
  onChange(listener: (state: SessionState) => void): () => void;
  /** Is the backing service reachable? */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
