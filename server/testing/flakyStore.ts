/** A session store that fails on purpose: the memory store, throwing on chosen writes. */
import { MemorySessionStore } from '../store/memory.ts';
import type { SessionState } from '../domain/session.ts';
import { StoreUnavailableError } from '../store/types.ts';
import type { WriteOptions } from '../store/types.ts';

export class FlakyStore extends MemorySessionStore {
  /** Decide per write whether the store is "down" for it. */
  failWrite: (current: SessionState | null, next: SessionState) => boolean = () => false;
  failedWrites = 0;

  override async compareAndSet(
    id: string,
    expectedVersion: number,
    next: SessionState,
    options?: WriteOptions,
  ): Promise<boolean> {
    if (this.failWrite(await super.get(id), next)) {
      this.failedWrites++;
      throw new StoreUnavailableError(this.kind, new Error('down on purpose'));
    }
    return super.compareAndSet(id, expectedVersion, next, options);
  }
}
