/** A session store with network-like latency: the memory store, each operation delayed. Records every committed write. */
import { MemorySessionStore } from '../store/memory.ts';
import type { SessionState } from '../domain/session.ts';
import type { WriteOptions } from '../store/types.ts';

export class SlowStore extends MemorySessionStore {
  /** Every successful write, in commit order (create and compare-and-set). */
  readonly committed: SessionState[] = [];

  constructor(private readonly latencyMs: { min: number; max: number }) {
    super();
  }

  private pause(): Promise<void> {
    const { min, max } = this.latencyMs;
    return new Promise((r) => setTimeout(r, min + Math.random() * (max - min)));
  }

  override async create(state: SessionState): Promise<boolean> {
    await this.pause();
    const ok = await super.create(state);
    if (ok) this.committed.push(state);
    return ok;
  }

  override async get(id: string): Promise<SessionState | null> {
    await this.pause();
    return super.get(id);
  }

  override async compareAndSet(
    id: string,
    expectedVersion: number,
    next: SessionState,
    options?: WriteOptions,
  ): Promise<boolean> {
    await this.pause();
    const ok = await super.compareAndSet(id, expectedVersion, next, options);
    if (ok) this.committed.push(next);
    return ok;
  }

  override async acquireLock(id: string, ttlMs: number): Promise<number | null> {
    await this.pause();
    return super.acquireLock(id, ttlMs);
  }

  override async releaseLock(id: string, token: number): Promise<boolean> {
    await this.pause();
    return super.releaseLock(id, token);
  }
}
