import { describe, expect, it } from 'vitest';
import { initialKioskState, kioskConfigFromSearch, kioskStep } from './machine.ts';
import type { KioskEffect, KioskEvent, KioskState, TabFacts } from './machine.ts';

const config = { idleMs: 60_000, warningMs: 15_000, savedNoticeMs: 10_000 };
const noTab: TabFacts = { unpaid: false, totalCents: 0, paying: false };
const unpaid: TabFacts = { unpaid: true, totalCents: 1320, paying: false };

function run(
  state: KioskState,
  ...events: KioskEvent[]
): { state: KioskState; effects: KioskEffect[] } {
  let effects: KioskEffect[] = [];
  for (const e of events) {
    const out = kioskStep(state, e, config);
    state = out.state;
    effects = [...effects, ...out.effects];
  }
  return { state, effects };
}

describe('kiosk state machine', () => {
  it('greets and starts listening when a guest starts talking on the attract screen', () => {
    const { state, effects } = run(initialKioskState(0), { type: 'guest-started', nowMs: 1000 });
    expect(state.phase).toBe('active');
    expect(effects).toEqual([{ type: 'greet' }, { type: 'start-listening' }]);
  });

  it('does not greet over words already on their way to Maya', () => {
    const { effects } = run(initialKioskState(0), {
      type: 'guest-started',
      quiet: true,
      nowMs: 1000,
    });
    expect(effects).toEqual([{ type: 'start-listening' }]);
  });

  it('warns after the idle time, and any activity cancels the warning', () => {
    let s = run(initialKioskState(0), { type: 'guest-started', nowMs: 0 }).state;
    expect(run(s, { type: 'tick', nowMs: 59_000, tab: noTab }).state.phase).toBe('active');
    const warned = run(s, { type: 'tick', nowMs: 60_000, tab: noTab });
    expect(warned.state.phase).toBe('idle-warning');
    expect(warned.effects[0]).toMatchObject({ type: 'say' });
    s = run(warned.state, { type: 'activity', nowMs: 61_000 }).state;
    expect(s.phase).toBe('active');
    // The idle clock restarted from the activity.
    expect(run(s, { type: 'tick', nowMs: 120_000, tab: noTab }).state.phase).toBe('active');
  });

  it('resets to the attract screen with a fresh session when nobody answers and nothing is owed', () => {
    const s = run(
      initialKioskState(0),
      { type: 'guest-started', nowMs: 0 },
      { type: 'tick', nowMs: 60_000, tab: noTab },
    ).state;
    const { state, effects } = run(s, { type: 'tick', nowMs: 75_000, tab: noTab });
    expect(state.phase).toBe('attract');
    expect(effects).toEqual([{ type: 'fresh-session' }]);
  });

  it('never drops an unpaid tab silently: saves it, then starts fresh, then shows the code', () => {
    const s = run(
      initialKioskState(0),
      { type: 'guest-started', nowMs: 0 },
      { type: 'tick', nowMs: 60_000, tab: unpaid },
    ).state;
    const reset = run(s, { type: 'tick', nowMs: 75_000, tab: unpaid });
    expect(reset.effects).toEqual([{ type: 'save-tab' }, { type: 'fresh-session' }]);
    const saved = run(reset.state, { type: 'tab-saved', code: '0427', nowMs: 75_001 });
    expect(saved.state).toMatchObject({ phase: 'tab-saved', savedCode: '0427' });
    expect(run(saved.state, { type: 'tick', nowMs: 84_000, tab: noTab }).state.phase).toBe(
      'tab-saved',
    );
    expect(run(saved.state, { type: 'tick', nowMs: 85_001, tab: noTab }).state.phase).toBe(
      'attract',
    );
    // The next guest can start during the notice.
    expect(run(saved.state, { type: 'guest-started', nowMs: 80_000 }).state.phase).toBe('active');
  });

  it('never resets while the guest is paying on their phone', () => {
    const paying: TabFacts = { ...unpaid, paying: true };
    let s = run(initialKioskState(0), { type: 'guest-started', nowMs: 0 }).state;
    for (let t = 0; t <= 600_000; t += 5_000)
      s = run(s, { type: 'tick', nowMs: t, tab: paying }).state;
    expect(s.phase).toBe('active');
  });

  it('does nothing on the attract screen however long it waits', () => {
    const { state, effects } = run(initialKioskState(0), {
      type: 'tick',
      nowMs: 10_000_000,
      tab: noTab,
    });
    expect(state.phase).toBe('attract');
    expect(effects).toEqual([]);
  });

  it('reads its switch and times from the URL', () => {
    expect(kioskConfigFromSearch('?kiosk=1&idle=5&warn=2').config).toMatchObject({
      idleMs: 5000,
      warningMs: 2000,
    });
    expect(kioskConfigFromSearch('?kiosk=1').enabled).toBe(true);
    expect(kioskConfigFromSearch('?idle=-3').config.idleMs).toBe(60_000);
    expect(kioskConfigFromSearch('').enabled).toBe(false);
  });
});
