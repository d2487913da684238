/**
 * The payment service: create → attach → poll / webhook → complete or fail, exactly once.
 *
 * Exactly once rests on the state manager: `atomicPaymentComplete` is a compare-and-set that turns a
 * second confirmation of the same checkout into a no-op, so polls, webhooks, duplicate deliveries
 * and other server processes may all report "paid" — only the first commit completes the tab (and
 * only that commit writes Maya's thanks, which the announcer turns into a reply). When the provider
 * says paid but the store cannot be written, the debt is remembered here and flagged in the session
 * (`needsReconciliation`); the reconciler retries until the tab is completed.
 */
import type { Logger } from 'pino';
import { DomainError } from '../domain/errors.ts';
import type { StateManager } from '../state/manager.ts';
import * as rules from '../state/rules.ts';
import type { SessionState } from '../domain/session.ts';
import type { PaymentStatus } from '../../shared/domain.ts';
import { FAILED_EMOTION, PAID_EMOTION, paymentLines, withMayaLine } from './phrases.ts';
import type { FailureReason } from './phrases.ts';
import { IdempotencyConflictError, UnknownCheckoutError } from './types.ts';
import type { CheckoutEvent, PaymentProvider } from './types.ts';

export const defaultPaymentTiming = {
  pollIntervalMs: 2000,
  deadlineMs: 10 * 60 * 1000,
  reconcileIntervalMs: 15_000,
} as const;
/** Polls back off (doubling) while the provider is unreachable, up to this. */
export const POLL_BACKOFF_MAX_MS = 30_000;

export type PaymentTiming = { [K in keyof typeof defaultPaymentTiming]: number };

export interface PaymentServiceDeps {
  manager: StateManager;
  provider: PaymentProvider;
  log: Logger;
  timing?: Partial<PaymentTiming>;
  now?: () => number;
}

export interface CreatedPayment {
  checkoutId: string;
  checkoutUrl: string;
  totalCents: number;
  /** True when a checkout for this tab was already open and is simply shown again. */
  alreadyOpen: boolean;
}

export interface PaymentStatusView {
  status: PaymentStatus;
  checkoutUrl: string | null;
  totalCents: number;
  tabCents: number;
  /** Tabs paid this session. */
  paidTabs: number;
}

/** What happened when a provider outcome was applied. */
export type SettleOutcome =
  | 'completed'
  | 'already_completed'
  | 'failed'
  | 'open'
  | 'ignored'
  | 'deferred';

interface Watch {
  checkoutId: string;
  deadlineAt: number;
  timer: NodeJS.Timeout | null;
  /** Consecutive failed polls (provider or store unreachable). */
  errors: number;
}

export class PaymentService {
  readonly provider: PaymentProvider;
  private readonly timing: PaymentTiming;
  private readonly now: () => number;
  private readonly watches = new Map<string, Watch>();
  /** Paid at the provider but not yet recorded: sessionId → checkoutId (the reconciler's queue). */
  private readonly owed = new Map<string, string>();
  /** Checkouts that must be closed but the provider could not be reached: checkoutId → sessionId. */
  private readonly toExpire = new Map<string, string>();
  private reconcileTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(private readonly deps: PaymentServiceDeps) {
    this.provider = deps.provider;
    this.timing = { ...defaultPaymentTiming, ...deps.timing };
    this.now = deps.now ?? Date.now;
    this.unsubscribe = deps.manager.store.onChange((s) => this.onStateChange(s));
    this.reconcileTimer = setInterval(() => void this.reconcile(), this.timing.reconcileIntervalMs);
    this.reconcileTimer.unref();
  }

  // ---- guest actions (tools, the Pay button) ---------------------------------------------------

  /** Open a checkout for the tab (or show the one already open). Empty tab → PAYMENT_FAILED. */
  async createPayment(sessionId: string, retryOnConflict = true): Promise<CreatedPayment> {
    const { manager, provider, log } = this.deps;
    const { state } = await manager.beginCheckout(sessionId);
    const p = state.payment;
    const totalCents = p.tabCents + p.tipCents;
    if (p.providerRef) {
      this.watch(sessionId, p.providerRef.checkoutId);
      return {
        checkoutId: p.providerRef.checkoutId,
        checkoutUrl: p.providerRef.url,
        totalCents,
        alreadyOpen: true,
      };
    }
    const key = p.idempotencyKey!;
    let checkout;
    try {
      checkout = await provider.createCheckout({
        sessionId,
        tabNo: p.tabNo,
        idempotencyKey: key,
        lines: state.order,
        tipPercent: p.tipPercent,
        tipCents: p.tipCents,
        totalCents,
      });
    } catch (e) {
      log.warn({ err: e, sessionId, provider: provider.name }, 'checkout creation failed');
      await manager.failPayment(sessionId, null).catch(() => undefined);
      // The key was spent elsewhere (a create before a restart, never shown to the guest): the
      // failed attempt makes way for a new one with a fresh key, once.
      if (e instanceof IdempotencyConflictError && retryOnConflict)
        return this.createPayment(sessionId, false);
      throw new DomainError(
        'PAYMENT_UNAVAILABLE',
        'I could not open a checkout just now. Please try again in a moment.',
        { phrase: 'error_checkout_unavailable' },
      );
    }
    try {
      await manager.attachCheckout(sessionId, key, checkout);
    } catch (e) {
      // The tab changed (or the guest cancelled) while the checkout was being created: close it.
      await this.expireQuietly(sessionId, checkout.checkoutId);
      if (e instanceof DomainError && e.code === 'INVALID_TRANSITION') {
        throw new DomainError(
          'PAYMENT_FAILED',
          'Your tab changed while I was opening the checkout. Say "pay" again for the new total.',
          { phrase: 'error_tab_changed_at_checkout' },
        );
      }
      throw e;
    }
    this.watch(sessionId, checkout.checkoutId);
    log.info(
      { sessionId, checkoutId: checkout.checkoutId, totalCents, provider: provider.name },
      'checkout opened',
    );
    return {
      checkoutId: checkout.checkoutId,
      checkoutUrl: checkout.url,
      totalCents,
      alreadyOpen: false,
    };
  }

  /** "Did my payment go through?": asks the provider first when a checkout is open. */
  async checkStatus(sessionId: string): Promise<PaymentStatusView> {
    let state = await this.deps.manager.get(sessionId);
    const ref = state.payment.providerRef;
    if (state.payment.status === 'processing' && ref) {
      const status = await this.deps.provider
        .getStatus(ref.checkoutId)
        .catch(() => 'open' as const);
      if (status !== 'open') {
        await this.settle({ sessionId, checkoutId: ref.checkoutId, status }, 'status check');
        state = await this.deps.manager.get(sessionId);
      }
    }
    const p = state.payment;
    return {
      status: p.status,
      checkoutUrl: p.providerRef?.url ?? null,
      totalCents: p.tabCents + p.tipCents,
      tabCents: p.tabCents,
      paidTabs: state.orderHistory.length,
    };
  }

  /** The guest cancels paying: close the checkout at the provider, then processing → pending. */
  async cancelPayment(sessionId: string): Promise<SessionState> {
    const { manager } = this.deps;
    const state = await manager.get(sessionId);
    const ref = state.payment.providerRef;
    if (state.payment.status !== 'processing')
      throw new DomainError('INVALID_TRANSITION', 'There is no payment in progress to cancel.', {
        phrase: 'error_no_payment_to_cancel',
      });
    if (ref) {
      let final;
      try {
        final = await this.deps.provider.expire(ref.checkoutId);
      } catch (e) {
        // Cancelling locally while the checkout stays payable could take money for nothing: refuse.
        this.deps.log.warn(
          { err: e, sessionId, checkoutId: ref.checkoutId },
          'expire on cancel failed',
        );
        throw new DomainError(
          'PAYMENT_UNAVAILABLE',
          'I could not close the checkout just now. Please try again in a moment.',
          { phrase: 'error_checkout_not_closed' },
        );
      }
      this.unwatch(sessionId);
      if (final === 'paid') {
        // Too late to cancel: the guest paid first. Complete the tab instead.
        await this.settle({ sessionId, checkoutId: ref.checkoutId, status: 'paid' }, 'cancel');
        throw new DomainError(
          'INVALID_TRANSITION',
          'That payment already went through, so there is nothing to cancel.',
          { phrase: 'error_already_paid' },
        );
      }
    }
    return (await manager.cancelCheckout(sessionId)).state;
  }

  // ---- provider outcomes (poll, webhook, sandbox page, reconciler) -------------------------------

  /**
   * Apply what the provider says about a checkout. Idempotent; unknown or stale checkouts are
   * ignored. Throws only when the store could not record a payment (the caller may want to retry,
   * e.g. answer a webhook with 500); the debt is then already queued for the reconciler.
   */
  async settle(event: CheckoutEvent, source: string): Promise<SettleOutcome> {
    const { sessionId, checkoutId, status } = event;
    if (status === 'open') return 'open';
    if (status === 'paid') return this.complete(sessionId, checkoutId, source);
    return this.fail(sessionId, checkoutId, status === 'declined' ? 'declined' : 'expired', source);
  }

  private async complete(
    sessionId: string,
    checkoutId: string,
    source: string,
  ): Promise<SettleOutcome> {
    const { manager, log } = this.deps;
    let completedNow = false;
    try {
      await manager.mutate(sessionId, (s) => {
        // The rule may run again on a fresh read after a lost compare-and-set: decide per run.
        const next = rules.completePayment(s, checkoutId, this.now());
        completedNow = next !== s;
        if (!completedNow) return s; // already completed by someone else: a no-op, nothing written
        const paid = next.orderHistory.at(-1)!;
        return withMayaLine(next, paymentLines.paid(paid.tabCents + paid.tipCents), PAID_EMOTION);
      });
    } catch (e) {
      if (
        e instanceof DomainError &&
        (e.code === 'PAYMENT_FAILED' ||
          e.code === 'INVALID_TRANSITION' ||
          e.code === 'INVALID_SESSION')
      ) {
        // Paid, but not for this session's open checkout: a stale or foreign checkout. Money for a
        // checkout that is no longer current needs a person (refund); it is logged loudly.
        log.error(
          { sessionId, checkoutId, source, reason: e.message },
          'paid checkout is not the open checkout of its session',
        );
        return 'ignored';
      }
      this.owe(sessionId, checkoutId, e, source);
      throw e;
    }
    this.owed.delete(sessionId);
    this.unwatch(sessionId);
    if (completedNow) log.info({ sessionId, checkoutId, source }, 'tab paid');
    return completedNow ? 'completed' : 'already_completed';
  }

  private async fail(
    sessionId: string,
    checkoutId: string,
    reason: FailureReason,
    source: string,
  ): Promise<SettleOutcome> {
    const { manager, log } = this.deps;
    let failedNow = false;
    try {
      await manager.mutate(sessionId, (s) => {
        const p = s.payment;
        failedNow = p.status === 'processing' && p.providerRef?.checkoutId === checkoutId;
        if (!failedNow) return s; // stale news
        return withMayaLine(
          rules.failPayment(s, checkoutId, reason),
          paymentLines.failed(reason),
          FAILED_EMOTION,
        );
      });
    } catch (e) {
      if (e instanceof DomainError && e.code === 'INVALID_SESSION') return 'ignored';
      throw e;
    }
    if (!failedNow) return 'ignored';
    this.unwatch(sessionId);
    log.info({ sessionId, checkoutId, reason, source }, 'payment failed');
    return 'failed';
  }

  private owe(sessionId: string, checkoutId: string, err: unknown, source: string): void {
    this.deps.log.error(
      { err, sessionId, checkoutId, source },
      'paid but the tab could not be updated; queued for reconciliation',
    );
    this.owed.set(sessionId, checkoutId);
    this.unwatch(sessionId);
    // Best effort: the flag survives a restart (and tells other processes); the store may be down.
    this.deps.manager
      .mutate(sessionId, (s) =>
        this.stillOpen(s, checkoutId) ? rules.markNeedsReconciliation(s) : s,
      )
      .catch(() => undefined);
  }

  // ---- polling -----------------------------------------------------------------------------------

  /** Poll the provider for this checkout every pollIntervalMs until it settles or the deadline passes. */
  watch(sessionId: string, checkoutId: string): void {
    if (this.stopped) return;
    const existing = this.watches.get(sessionId);
    if (existing?.checkoutId === checkoutId) return;
    this.unwatch(sessionId);
    const w: Watch = {
      checkoutId,
      deadlineAt: this.now() + this.timing.deadlineMs,
      timer: null,
      errors: 0,
    };
    this.watches.set(sessionId, w);
    this.schedule(sessionId, w);
  }

  isWatching(sessionId: string): boolean {
    return this.watches.has(sessionId);
  }

  private unwatch(sessionId: string): void {
    const w = this.watches.get(sessionId);
    if (w?.timer) clearTimeout(w.timer);
    this.watches.delete(sessionId);
  }

  private schedule(sessionId: string, w: Watch): void {
    const interval = this.timing.pollIntervalMs;
    const delay = Math.max(interval, Math.min(interval * 2 ** w.errors, POLL_BACKOFF_MAX_MS));
    w.timer = setTimeout(() => {
      w.timer = null;
      this.poll(sessionId, w).then(
        (again) => {
          w.errors = 0;
          if (again && this.watches.get(sessionId) === w) this.schedule(sessionId, w);
        },
        (err: unknown) => {
          // Keep trying past the deadline too: the checkout may be paid, and only the provider can say.
          w.errors++;
          this.deps.log.warn(
            { err, sessionId, checkoutId: w.checkoutId, errors: w.errors },
            'payment poll failed',
          );
          if (this.watches.get(sessionId) === w) this.schedule(sessionId, w);
        },
      );
    }, delay);
    w.timer.unref();
  }

  /** One poll; true to poll again. */
  private async poll(sessionId: string, w: Watch): Promise<boolean> {
    const state = await this.deps.manager.store.get(sessionId);
    if (!state || !this.stillOpen(state, w.checkoutId)) {
      if (state) this.onStateChange(state);
      this.watches.delete(sessionId);
      return false;
    }
    const status = await this.deps.provider.getStatus(w.checkoutId);
    if (status !== 'open') {
      await this.settle({ sessionId, checkoutId: w.checkoutId, status }, 'poll').catch(
        () => undefined,
      );
      return false;
    }
    if (this.now() < w.deadlineAt) return true;
    // Deadline: close the checkout first so it cannot be paid after we give up.
    const final = await this.deps.provider.expire(w.checkoutId);
    if (final === 'paid' || final === 'declined')
      await this.settle({ sessionId, checkoutId: w.checkoutId, status: final }, 'poll').catch(
        () => undefined,
      );
    else await this.fail(sessionId, w.checkoutId, 'timeout', 'poll deadline');
    this.watches.delete(sessionId);
    return false;
  }

  private stillOpen(s: SessionState, checkoutId: string): boolean {
    return s.payment.status === 'processing' && s.payment.providerRef?.checkoutId === checkoutId;
  }

  /**
   * Every committed change (from any process, with Redis): a watched checkout that is no longer the
   * session's open checkout — the guest ordered more, changed the tip, cancelled — is expired at
   * the provider; a session flagged for reconciliation is queued.
   */
  private onStateChange(s: SessionState): void {
    const w = this.watches.get(s.id);
    if (w && !this.stillOpen(s, w.checkoutId)) {
      this.unwatch(s.id);
      const completed = s.orderHistory.some((h) => h.checkoutId === w.checkoutId);
      const failedHere =
        s.payment.status === 'failed' && s.payment.providerRef?.checkoutId === w.checkoutId;
      if (!completed && !failedHere) void this.expireQuietly(s.id, w.checkoutId);
    }
    const ref = s.payment.providerRef;
    if (s.payment.needsReconciliation && ref && !this.owed.has(s.id))
      this.owed.set(s.id, ref.checkoutId);
  }

  /** Close a checkout that is no longer wanted; if the guest paid it meanwhile, complete instead. */
  private async expireQuietly(sessionId: string, checkoutId: string): Promise<void> {
    let final;
    try {
      final = await this.deps.provider.expire(checkoutId);
      this.toExpire.delete(checkoutId);
    } catch (e) {
      if (e instanceof UnknownCheckoutError) return;
      this.deps.log.warn(
        { err: e, sessionId, checkoutId },
        'could not expire a stale checkout; will retry',
      );
      this.toExpire.set(checkoutId, sessionId);
      return;
    }
    if (final === 'paid')
      await this.settle({ sessionId, checkoutId, status: 'paid' }, 'expire').catch(() => undefined);
  }

  // ---- reconciliation and restart ----------------------------------------------------------------

  /**
   * One reconciler pass: for every payment the provider confirmed but the store did not record,
   * confirm again with the provider and complete the tab. Returns how many tabs were completed.
   */
  async reconcile(): Promise<number> {
    for (const [checkoutId, sessionId] of [...this.toExpire])
      await this.expireQuietly(sessionId, checkoutId);
    let fixed = 0;
    for (const [sessionId, checkoutId] of [...this.owed]) {
      try {
        const status = await this.deps.provider.getStatus(checkoutId);
        if (status !== 'paid') {
          this.deps.log.warn(
            { sessionId, checkoutId, status },
            'flagged for reconciliation but the provider says not paid',
          );
          this.owed.delete(sessionId);
          continue;
        }
        const outcome = await this.complete(sessionId, checkoutId, 'reconciler');
        if (outcome === 'completed') fixed++;
        this.owed.delete(sessionId);
      } catch (e) {
        if (e instanceof UnknownCheckoutError) this.owed.delete(sessionId);
        // Otherwise the store (or provider) is still down: try again next pass.
      }
    }
    return fixed;
  }

  /** Payments the reconciler still has to record (sessionId → checkoutId). */
  pendingReconciliation(): ReadonlyMap<string, string> {
    return this.owed;
  }

  /**
   * Pick up a session after a restart or on another process: resume polling an open checkout and
   * queue a flagged payment for the reconciler. Called for every session the server learns about.
   */
  resume(s: SessionState): void {
    const ref = s.payment.providerRef;
    if (!ref) return;
    if (s.payment.needsReconciliation) this.owed.set(s.id, ref.checkoutId);
    else if (s.payment.status === 'processing') this.watch(s.id, ref.checkoutId);
  }

  /** Start-up scan over every stored session (stores that can list their ids), then reconcile once. */
  async recover(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const s = await this.deps.manager.store.get(id).catch(() => null);
      if (s) this.resume(s);
    }
    if (this.owed.size > 0) await this.reconcile();
  }

  close(): void {
    this.stopped = true;
    this.unsubscribe();
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    for (const id of [...this.watches.keys()]) this.unwatch(id);
  }
}
