/**
 * Out-of-turn announcements, derived from committed state changes: when a session's tab gets paid
 * or its checkout fails, the commit that did it also wrote Maya's line into the history; this turns
 * that commit into a `reply` for the guest's sockets. Because it watches `store.onChange`, it works
 * the same when the webhook landed on another server process (Redis delivers the change here), and
 * exactly once: repeated confirmations commit nothing, so there is nothing to announce.
 */
import type { DomainErrorCode, Emotion } from '../../shared/domain.ts';
import type { SessionState } from '../domain/session.ts';

export interface Announcement {
  text: string;
  emotion: Emotion;
  /** A coded error the guest's page gets beside the line (a checkout that timed out: PAYMENT_TIMEOUT). */
  error?: { code: DomainErrorCode; message: string };
}

/** The error frame sent when a checkout's deadline passed unpaid (DOMAIN.md: failed with PAYMENT_TIMEOUT). */
export const PAYMENT_TIMEOUT_ERROR = {
  code: 'PAYMENT_TIMEOUT',
  message: 'The checkout was not paid in time and has been closed; you can start paying again.',
} as const satisfies Announcement['error'];

interface Snapshot {
  version: number;
  paidTabs: number;
  status: SessionState['payment']['status'];
  historyLength: number;
  lastLine: string | undefined;
}

/** What the transport needs: follow the sessions bound here, and say what a change means. */
export interface SessionObserver {
  /** A socket of this process is bound to the session (hello / resume). */
  bound(state: SessionState): void;
  /** The last socket of the session in this process closed. */
  unbound(sessionId: string): void;
  /** A committed change of any session; an announcement for its guest, if any. */
  changed(state: SessionState): Announcement | null;
}

export function paymentAnnouncement(before: Snapshot, after: SessionState): Announcement | null {
  const paidNow = after.orderHistory.length > before.paidTabs;
  const failedNow = after.payment.status === 'failed' && before.status === 'processing';
  if (!paidNow && !failedNow) return null;
  // Only a commit that wrote Maya's line is announced (an internal failure, e.g. a checkout that
  // could not be created, is answered by the turn itself).
  const line = after.conversation.history.at(-1);
  const wroteLine =
    after.conversation.history.length !== before.historyLength || line?.text !== before.lastLine;
  if (!line || line.role !== 'maya' || !wroteLine) return null;
  const timedOut = failedNow && after.payment.failure === 'timeout';
  return {
    text: line.text,
    emotion: after.emotion,
    ...(timedOut && { error: PAYMENT_TIMEOUT_ERROR }),
  };
}

export class PaymentAnnouncer implements SessionObserver {
  private readonly snapshots = new Map<string, Snapshot>();

  /** `onBound` lets the payment service resume polling a session it learns about (restart, other process). */
  constructor(private readonly onBound: (state: SessionState) => void = () => {}) {}

  bound(state: SessionState): void {
    const known = this.snapshots.get(state.id);
    if (!known || known.version < state.version) this.snapshots.set(state.id, snapshot(state));
    this.onBound(state);
  }

  unbound(sessionId: string): void {
    this.snapshots.delete(sessionId);
  }

  changed(state: SessionState): Announcement | null {
    const before = this.snapshots.get(state.id);
    if (!before || state.version <= before.version) return null; // not ours, or a late duplicate
    this.snapshots.set(state.id, snapshot(state));
    return paymentAnnouncement(before, state);
  }
}

function snapshot(s: SessionState): Snapshot {
  const h = s.conversation.history;
  return {
    version: s.version,
    paidTabs: s.orderHistory.length,
    status: s.payment.status,
    historyLength: h.length,
    lastLine: h.at(-1)?.text,
  };
}
