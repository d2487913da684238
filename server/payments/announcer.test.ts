import { describe, expect, it } from 'vitest';
import { newSession } from '../domain/session.ts';
import type { SessionState } from '../domain/session.ts';
import { PaymentAnnouncer } from './announcer.ts';
import { withMayaLine } from './phrases.ts';

function at(version: number, change: (s: SessionState) => SessionState = (s) => s): SessionState {
  return change({ ...newSession('announce-session', 0, 3600), version });
}
const paid = (s: SessionState): SessionState =>
  withMayaLine(
    {
      ...s,
      orderHistory: [
        { tabNo: 1, lines: [], tabCents: 500, tipCents: 0, checkoutId: 'c1', paidAt: 1 },
      ],
    },
    'Thanks!',
    'happy',
  );
const processing = (s: SessionState): SessionState => ({
  ...s,
  payment: { ...s.payment, status: 'processing' },
});

describe('payment announcer', () => {
  it('announces the commit that paid the tab, once, with the line it wrote', () => {
    const resumed: string[] = [];
    const a = new PaymentAnnouncer((s) => resumed.push(s.id));
    a.bound(at(3, processing));
    expect(resumed).toEqual(['announce-session']);
    expect(a.changed(at(4, (s) => paid(processing(s))))).toEqual({
      text: 'Thanks!',
      emotion: 'happy',
    });
    expect(a.changed(at(4, (s) => paid(processing(s))))).toBeNull(); // the same commit delivered twice
    expect(a.changed(at(5, paid))).toBeNull(); // a later change is not a new payment
  });

  it('announces processing → failed, and ignores sessions not bound here and stale versions', () => {
    const a = new PaymentAnnouncer();
    const failed = (s: SessionState) =>
      withMayaLine({ ...s, payment: { ...s.payment, status: 'failed' } }, 'Declined.', 'neutral');
    expect(a.changed(at(9, failed))).toBeNull(); // never bound
    a.bound(at(5, processing));
    expect(a.changed(at(4, failed))).toBeNull(); // older than what we know
    expect(a.changed(at(6, processing))).toBeNull();
    expect(a.changed(at(7, failed))).toEqual({ text: 'Declined.', emotion: 'neutral' });
    // A failure that wrote no line (a checkout that could not be created) is the turn's to explain.
    a.bound(at(8, processing));
    expect(
      a.changed(at(9, (s) => ({ ...s, payment: { ...s.payment, status: 'failed' } }))),
    ).toBeNull();
    a.unbound('announce-session');
    expect(a.changed(at(10, (s) => paid(processing(s))))).toBeNull();
  });
});
