/**
 * The state manager: the only way a session changes. It reads a session, applies a pure rule and
 * commits with compare-and-set, retrying a bounded number of times on a fresh read. A caller that
 * passes `expectedVersion` gets CONCURRENT_MODIFICATION instead of a retry when the session moved.
 */
import { DomainError } from '../domain/errors.ts';
import { newSession, newSessionId } from '../domain/session.ts';
import type { SessionState } from '../domain/session.ts';
import * as rules from './rules.ts';
import type { OrderRequest, Removal } from './rules.ts';
import type { SessionStore } from '../store/types.ts';
import type { OrderLine, PaymentStatus } from '../../shared/domain.ts';
import { SessionTurns, currentFenceToken } from './turns.ts';
import type { TurnLockOptions } from './turns.ts';
import type { MenuSource } from '../menu/catalog.ts';
import { BUNDLED_MENU } from '../../shared/menu.ts';
import type { Menu } from '../../shared/menu.ts';

export interface StateManagerOptions {
  expirySeconds: number;
  maxRetries?: number;
  now?: () => number;
  turnLock?: Partial<TurnLockOptions>;
  /** The live menu that prices orders (each order reads the menu current when it is priced). Default: bundled. */
  menu?: MenuSource;
}

export interface MutateOptions {
  expectedVersion?: number;
}

export class StateManager {
  private readonly maxRetries: number;
  private readonly now: () => number;
  private readonly writeTails = new Map<string, Promise<unknown>>();
  /** The menu in force now. */
  menu(): Menu {
    return this.options.menu?.current() ?? BUNDLED_MENU;
  }

  /** One turn at a time per session, in this process and across processes. */
  readonly turns: SessionTurns;

  constructor(
    readonly store: SessionStore,
    private readonly options: StateManagerOptions,
  ) {
    this.maxRetries = options.maxRetries ?? 50;
    this.now = options.now ?? Date.now;
    this.turns = new SessionTurns(store, options.turnLock);
  }

  /** Run `work` as the only turn of this session; writes inside it are fenced by the turn lock. */
  serialised<T>(id: string, work: () => Promise<T>): Promise<T> {
    return this.turns.run(id, work);
  }

  async createSession(): Promise<SessionState> {
    for (;;) {
      const state = newSession(newSessionId(), this.now(), this.options.expirySeconds);
      if (await this.store.create(state)) return state;
    }
  }

  async get(id: string): Promise<SessionState> {
    const s = await this.store.get(id);
    if (!s) throw new DomainError('INVALID_SESSION', 'That session has expired or does not exist.');
    return s;
  }

  /**
   * Apply `rule` atomically. The rule may throw a DomainError (nothing changes) and may return extra
   * data alongside the next state.
   */
  mutate<T = undefined>(
    id: string,
    rule: (s: SessionState) => SessionState | { state: SessionState; result: T },
    opts: MutateOptions = {},
  ): Promise<{ state: SessionState; result: T | undefined }> {
    // Writers of one session in this process take turns, so compare-and-set only ever conflicts
    // with other processes: no retry storm when many callers hit one session at once.
    const prev = this.writeTails.get(id) ?? Promise.resolve();
    const run = prev.then(() => this.commit(id, rule, opts));
    const tail = run.catch(() => undefined);
    this.writeTails.set(id, tail);
    void tail.then(() => {
      if (this.writeTails.get(id) === tail) this.writeTails.delete(id);
    });
    return run;
  }

  private async commit<T>(
    id: string,
    rule: (s: SessionState) => SessionState | { state: SessionState; result: T },
    opts: MutateOptions,
  ): Promise<{ state: SessionState; result: T | undefined }> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(id);
      if (opts.expectedVersion !== undefined && current.version !== opts.expectedVersion) {
        throw new DomainError(
          'CONCURRENT_MODIFICATION',
          `The session changed (version ${current.version}, expected ${opts.expectedVersion}).`,
        );
      }
      const out = rule(current);
      const { state: draft, result } =
        'state' in out && 'result' in out ? out : { state: out as SessionState, result: undefined };
      // A rule that returns the session unchanged is a no-op: nothing is written, no version bump.
      if (draft === current) return { state: current, result };
      const now = this.now();
      const next: SessionState = {
        ...draft,
        version: current.version + 1,
        updatedAt: now,
        expiresAt: now + this.options.expirySeconds * 1000,
      };
      // Inside a turn, the write also proves the turn still holds the session's lock (fencing).
      const fenceToken = currentFenceToken(id);
      if (
        await this.store.compareAndSet(
          id,
          current.version,
          next,
          fenceToken === undefined ? {} : { fenceToken },
        )
      )
        return { state: next, result };
      if (opts.expectedVersion !== undefined || attempt >= this.maxRetries) {
        throw new DomainError(
          'CONCURRENT_MODIFICATION',
          'The session was changed by someone else; please try again.',
        );
      }
      // Back off a little so contenders spread out instead of colliding again.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(2 ** attempt, 20)));
    }
  }

  /** Price the lines, then deduct and add them to the tab atomically; a bad request rejects (never throws). */
  async atomicOrderUpdate(id: string, requests: readonly OrderRequest[], opts?: MutateOptions) {
    const menu = this.menu();
    const lines = requests.map((r) => rules.priceLine(r, menu));
    return this.mutate<OrderLine[]>(
      id,
      (s) => ({ state: rules.addLines(s, lines), result: lines }),
      opts,
    );
  }

  removeFromOrder(id: string, removal: Removal, opts?: MutateOptions) {
    return this.mutate<OrderLine[]>(
      id,
      (s) => {
        const { state, removed } = rules.removeItem(s, removal, this.menu());
        return { state, result: removed };
      },
      opts,
    );
  }

  /** Replace drinks atomically: refund `removal` and charge `requests` in one commit, or change nothing. */
  /** A request without a quantity takes as many as were removed ("make those two beers IPAs"). */
  atomicSwap(
    id: string,
    removal: Removal,
    requests: readonly OrderRequest[],
    opts?: MutateOptions,
  ) {
    return this.mutate<{ removed: OrderLine[]; added: OrderLine[] }>(
      id,
      (s) => {
        const { state, removed, added } = rules.swapItem(s, removal, requests, this.menu());
        return { state, result: { removed, added } };
      },
      opts,
    );
  }

  cancelLast(id: string, opts?: MutateOptions) {
    return this.mutate<OrderLine[]>(
      id,
      (s) => {
        const { state, removed } = rules.removeLastLine(s);
        return { state, result: removed };
      },
      opts,
    );
  }

  setTip(id: string, percent: number | null, toggle = true, opts?: MutateOptions) {
    return this.mutate(id, (s) => rules.setTip(s, percent, toggle), opts);
  }

  beginCheckout(id: string, opts?: MutateOptions) {
    return this.mutate(id, rules.beginCheckout, opts);
  }

  attachCheckout(
    id: string,
    idempotencyKey: string,
    ref: { checkoutId: string; url: string },
    opts?: MutateOptions,
  ) {
    return this.mutate(id, (s) => rules.attachCheckout(s, idempotencyKey, ref), opts);
  }

  /** Idempotent: the first confirmation completes the tab; repeats change nothing. */
  atomicPaymentComplete(id: string, checkoutId: string, opts?: MutateOptions) {
    return this.mutate(id, (s) => rules.completePayment(s, checkoutId, this.now()), opts);
  }

  failPayment(id: string, checkoutId: string | null, opts?: MutateOptions) {
    return this.mutate(id, (s) => rules.failPayment(s, checkoutId), opts);
  }

  cancelCheckout(id: string, opts?: MutateOptions) {
    return this.mutate(id, rules.cancelCheckout, opts);
  }

  /** Move the payment state machine to `to` (table-driven tests, reconcilers); see rules.transitionPayment. */
  transitionPayment(
    id: string,
    to: PaymentStatus,
    checkoutId: string | null = null,
    opts?: MutateOptions,
  ) {
    return this.mutate(
      id,
      (s) => rules.transitionPayment(s, to, { checkoutId, now: this.now() }),
      opts,
    );
  }

  markNeedsReconciliation(id: string) {
    return this.mutate(id, rules.markNeedsReconciliation);
  }
}
