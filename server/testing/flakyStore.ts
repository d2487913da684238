/** A session store that fails on purpose: wraps the memory store and throws on chosen writes. */
import { MemorySessionStore } from '../store/memory.ts';
import type { SessionState } from '../state/session.ts';
import type { SessionStore } from '../store/types.ts';

export class FlakyStore implements SessionStore {
  readonly kind = 'memory' as const;
  /** Decide per write whether the store is "down" for it. */
  failWrite: (current: SessionState | null, next: SessionState) => boolean = () => false;
  failedWrites = 0;

  constructor(readonly inner: MemorySessionStore = new MemorySessionStore()) {}

  create(state: SessionState) {
    return this.inner.create(state);
  }
  get(id: string) {
    return this.inner.get(id);
  }
  async compareAndSet(id: string, expectedVersion: number, next: SessionState): Promise<boolean> {
    if (this.failWrite(await this.inner.get(id), next)) {
      this.failedWrites++;
      throw new Error('store unavailable (on purpose)');
    }
    return this.inner.compareAndSet(id, expectedVersion, next);
  }
  delete(id: string) {
    return this.inner.delete(id);
  }
  onChange(listener: (state: SessionState) => void) {
    return this.inner.onChange(listener);
  }
  ping() {
    return this.inner.ping();
  }
  async close() {}
  ids(): string[] {
    return this.inner.ids();
  }
}
