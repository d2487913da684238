/**
 * The session sweeper (DOMAIN.md "Sessions"): every `MAYA_CLEANUP_INTERVAL_SECONDS` it deletes
 * sessions idle past their expiry and tells every registered hook, so other modules free what they
 * hold per session (locks, speech workers, SDK clients). Pinned sessions (a payment in processing or
 * needing reconciliation) are never dropped. With Redis, keys also expire on their own (TTL); the
 * sweeper then only notices they are gone and runs the hooks.
 */
import type { Logger } from 'pino';
import type { SessionStore } from '../store/types.ts';

export type SessionEndHook = (sessionId: string) => void | Promise<void>;

export interface SweeperOptions {
  intervalSeconds: number;
  now?: () => number;
  log?: Logger;
}

export interface SweepResult {
  /** Sessions that ended in this sweep (deleted now, or found gone); hooks ran for each. */
  ended: string[];
}

export class SessionSweeper {
  private readonly hooks = new Set<SessionEndHook>();
  /** Sessions this process has seen; with Redis a TTL-expired key no longer shows in listIds. */
  private readonly tracked = new Set<string>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<SweepResult> | null = null;
  private readonly unsubscribe: () => void;
  private readonly now: () => number;

  constructor(
    private readonly store: SessionStore,
    private readonly options: SweeperOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.unsubscribe = store.onChange((s) => this.tracked.add(s.id));
  }

  /** Register a hook run once for every session that ends; returns its unregister function. */
  onSessionEnd(hook: SessionEndHook): () => void {
    this.hooks.add(hook);
    return () => this.hooks.delete(hook);
  }

  /** Tell the sweeper this process holds resources for a session (so it hears when it ends). */
  track(sessionId: string): void {
    this.tracked.add(sessionId);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.options.log?.warn({ err }, 'session sweep failed'));
    }, this.options.intervalSeconds * 1000);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe();
    await this.running?.catch(() => undefined);
  }

  /** One pass; concurrent calls share the pass in progress. */
  sweep(): Promise<SweepResult> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<SweepResult> {
    const ids = new Set([...(await this.store.listIds()), ...this.tracked]);
    const ended: string[] = [];
    const now = this.now();
    for (const id of ids) {
      try {
        if (await this.store.deleteIfExpired(id, now)) ended.push(id);
        else if ((await this.store.get(id)) === null) {
          // Gone, or expired since the pass read its clock: what the store no longer serves is
          // deleted before the hooks run (else the next pass would end it, and run them, again).
          await this.store.delete(id);
          ended.push(id);
        }
      } catch (err) {
        // Corrupt data stays for an operator to look at; one bad session must not stop the sweep.
        this.options.log?.warn({ err, sessionId: id }, 'cannot sweep session');
      }
    }
    for (const id of ended) {
      this.tracked.delete(id);
      for (const hook of this.hooks) {
        try {
          await hook(id);
        } catch (err) {
          this.options.log?.warn({ err, sessionId: id }, 'session end hook failed');
        }
      }
    }
    if (ended.length > 0) this.options.log?.info({ count: ended.length }, 'sessions expired');
    return { ended };
  }
}
