import { DomainError } from '../state/errors.ts';
import { SessionStateSchema } from '../state/session.ts';
import type { SessionState } from '../state/session.ts';
import type { SessionStore } from './types.ts';

/** One-process store. Values are kept as JSON so callers can never alias stored state. */
export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory' as const;
  private readonly data = new Map<string, string>();
  private readonly listeners = new Set<(s: SessionState) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  async create(state: SessionState): Promise<boolean> {
    if (this.data.has(state.id) && !this.isExpired(state.id)) return false;
    this.data.set(state.id, JSON.stringify(state));
    return true;
  }

  async get(id: string): Promise<SessionState | null> {
    return this.read(id);
  }

  /** Synchronous read: compareAndSet checks and writes with no await in between (atomic in one process). */
  private read(id: string): SessionState | null {
    const raw = this.data.get(id);
    if (raw === undefined) return null;
    const parsed = SessionStateSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) throw new DomainError('INVALID_SESSION', `Session ${id} holds unreadable data.`);
    if (parsed.data.expiresAt <= this.now()) return null;
    return parsed.data;
  }

  async compareAndSet(id: string, expectedVersion: number, next: SessionState): Promise<boolean> {
    const current = this.read(id);
    if (!current || current.version !== expectedVersion || next.version !== expectedVersion + 1) return false;
    this.data.set(id, JSON.stringify(next));
    for (const l of this.listeners) l(next);
    return true;
  }

  async delete(id: string): Promise<void> {
    this.data.delete(id);
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

  /** For the sweeper: every stored id. */
  ids(): string[] {
    return [...this.data.keys()];
  }

  private isExpired(id: string): boolean {
    const raw = this.data.get(id);
    return raw !== undefined && (JSON.parse(raw) as { expiresAt: number }).expiresAt <= this.now();
  }
}
