import { DomainError } from '../domain/errors.ts';
import { isLive } from '../domain/session.ts';
import type { SessionState } from '../domain/session.ts';
import { decodeSession, encodeSession } from './codec.ts';
import type { SessionStore, WriteOptions } from './types.ts';

interface Lock {
  token: number;
  expiresAtMs: number;
}

/**
 * One-process store. Values are kept as JSON so callers can never alias stored state. Every method
 * runs to completion without awaiting in between, so each one is atomic on Node's single thread.
 */
export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory' as const;
  private readonly data = new Map<string, string>();
  private readonly locks = new Map<string, Lock>();
  private lastToken = 0;
  private readonly listeners = new Set<(s: SessionState) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  async create(state: SessionState): Promise<boolean> {
    const existing = this.read(state.id);
    if (existing && isLive(existing, this.now())) return false;
    this.data.set(state.id, encodeSession(state));
    return true;
  }

  async get(id: string): Promise<SessionState | null> {
    return this.live(id);
  }

  async compareAndSet(
    id: string,
    expectedVersion: number,
    next: SessionState,
    options: WriteOptions = {},
  ): Promise<boolean> {
    const raw = encodeSession(next);
    if (options.fenceToken !== undefined && !this.holds(id, options.fenceToken)) {
      throw new DomainError(
        'CONCURRENT_MODIFICATION',
        'This turn lost its lock on the session; its change was not saved.',
      );
    }
    // Read synchronously: an await between the check and the write would let another writer in.
    const current = this.live(id);
    if (
      !current ||
      current.version !== expectedVersion ||
      next.version !== expectedVersion + 1 ||
      next.id !== id
    )
      return false;
    this.data.set(id, raw);
    const committed = JSON.parse(raw) as SessionState; // a copy: listeners cannot alias the store
    for (const l of this.listeners) {
      try {
        l(committed);
      } catch {
        // a failing listener must not undo a committed write or starve the others
      }
    }
    return true;
  }

  async delete(id: string): Promise<void> {
    this.data.delete(id);
    this.locks.delete(id);
  }

  async deleteIfExpired(id: string, now: number): Promise<boolean> {
    let s: SessionState | null;
    try {
      s = this.read(id);
    } catch {
      return false; // unreadable data is left for an operator, never silently dropped
    }
    if (!s || isLive(s, now)) return false;
    await this.delete(id);
    return true;
  }

  async listIds(): Promise<string[]> {
    return [...this.data.keys()];
  }

  async acquireLock(id: string, ttlMs: number): Promise<number | null> {
    const held = this.locks.get(id);
    if (held && held.expiresAtMs > this.now()) return null;
    const token = ++this.lastToken;
    this.locks.set(id, { token, expiresAtMs: this.now() + ttlMs });
    return token;
  }

  async extendLock(id: string, token: number, ttlMs: number): Promise<boolean> {
    if (!this.holds(id, token)) return false;
    this.locks.set(id, { token, expiresAtMs: this.now() + ttlMs });
    return true;
  }

  async releaseLock(id: string, token: number): Promise<boolean> {
    if (!this.holds(id, token)) return false;
    this.locks.delete(id);
    return true;
  }

  onChange(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  /** For the sweeper and older callers: every stored id. */
  ids(): string[] {
    return [...this.data.keys()];
  }

  /** Test seam: put arbitrary (corrupt, foreign) data under a session id. */
  putRaw(id: string, raw: string): void {
    this.data.set(id, raw);
  }

  private live(id: string): SessionState | null {
    const s = this.read(id);
    return s && isLive(s, this.now()) ? s : null;
  }

  private read(id: string): SessionState | null {
    const raw = this.data.get(id);
    return raw === undefined ? null : decodeSession(raw, id);
  }

  private holds(id: string, token: number): boolean {
    const held = this.locks.get(id);
    return held !== undefined && held.token === token && held.expiresAtMs > this.now();
  }
}
