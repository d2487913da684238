/**
 * The kiosk's life cycle as a pure state machine: attract → active → idle warning → reset.
 * Events go in with the time; the new state and a list of effects (speak, start a fresh session,
 * save the tab) come out. The React layer performs the effects; this file is tested on its own.
 *
 * An unpaid tab is never dropped silently: on reset it is saved under a short code, Maya says so,
 * and the session stays resumable on the server.
 */
export const kioskDefaults = {
  /** No guest activity for this long → "Still there?". */
  idleMs: 60_000,
  /** Then this long to answer before the kiosk resets. */
  warningMs: 15_000,
  /** How long the "your tab is saved" notice stays before the attract screen. */
  savedNoticeMs: 12_000,
} as const;

export interface KioskConfig {
  idleMs: number;
  warningMs: number;
  savedNoticeMs: number;
}

export type KioskPhase = 'attract' | 'active' | 'idle-warning' | 'tab-saved';

export interface KioskState {
  phase: KioskPhase;
  /** When the current phase's clock started (activity in active, warning start, notice start). */
  sinceMs: number;
  /** Code the last guest's unpaid tab was saved under (shown on the notice). */
  savedCode: string | null;
}

/** What the session looks like, read from the store at each event. */
export interface TabFacts {
  /** Tab not yet paid (tab > 0 and payment not completed). */
  unpaid: boolean;
  totalCents: number;
  /** A checkout is open: the guest is paying on their phone — never reset under them. */
  paying: boolean;
}

export type KioskEvent =
  /** `quiet`: the visit began with the guest's words already on their way to Maya: no greeting on top. */
  | { type: 'guest-started'; nowMs: number; quiet?: boolean }
  | { type: 'activity'; nowMs: number }
  | { type: 'tick'; nowMs: number; tab: TabFacts }
  | { type: 'tab-saved'; code: string; nowMs: number }
  | { type: 'resumed'; nowMs: number };

export type KioskEffect =
  | { type: 'greet' }
  | { type: 'say'; text: string }
  | { type: 'start-listening' }
  | { type: 'save-tab' }
  | { type: 'fresh-session' };

export function initialKioskState(nowMs: number): KioskState {
  return { phase: 'attract', sinceMs: nowMs, savedCode: null };
}

export function kioskStep(
  state: KioskState,
  event: KioskEvent,
  config: KioskConfig = kioskDefaults,
): { state: KioskState; effects: KioskEffect[] } {
  const stay = { state, effects: [] as KioskEffect[] };
  switch (event.type) {
    case 'guest-started':
      if (state.phase === 'attract' || state.phase === 'tab-saved') {
        return {
          state: { phase: 'active', sinceMs: event.nowMs, savedCode: null },
          effects: event.quiet
            ? [{ type: 'start-listening' }]
            : [{ type: 'greet' }, { type: 'start-listening' }],
        };
      }
      return { state: { ...state, phase: 'active', sinceMs: event.nowMs }, effects: [] };

    case 'activity':
      if (state.phase === 'active' || state.phase === 'idle-warning') {
        return { state: { ...state, phase: 'active', sinceMs: event.nowMs }, effects: [] };
      }
      return stay;

    case 'resumed':
      return {
        state: { phase: 'active', sinceMs: event.nowMs, savedCode: null },
        effects: [{ type: 'start-listening' }],
      };

    case 'tab-saved':
      return {
        state: { phase: 'tab-saved', sinceMs: event.nowMs, savedCode: event.code },
        effects: [],
      };

    case 'tick': {
      const elapsed = event.nowMs - state.sinceMs;
      if (state.phase === 'active' || state.phase === 'idle-warning') {
        // Paying on the phone counts as being here: the timer restarts.
        if (event.tab.paying)
          return { state: { ...state, phase: 'active', sinceMs: event.nowMs }, effects: [] };
      }
      if (state.phase === 'active' && elapsed >= config.idleMs) {
        const text = event.tab.unpaid
          ? 'Still there? Say anything to keep your tab open.'
          : 'Still there? Say anything and I’m all yours.';
        return {
          state: { ...state, phase: 'idle-warning', sinceMs: event.nowMs },
          effects: [{ type: 'say', text }],
        };
      }
      if (state.phase === 'idle-warning' && elapsed >= config.warningMs) {
        if (event.tab.unpaid) {
          // Save first (the effect reports the code with a 'tab-saved' event), then a fresh session.
          return { state, effects: [{ type: 'save-tab' }, { type: 'fresh-session' }] };
        }
        return {
          state: { phase: 'attract', sinceMs: event.nowMs, savedCode: null },
          effects: [{ type: 'fresh-session' }],
        };
      }
      if (state.phase === 'tab-saved' && elapsed >= config.savedNoticeMs) {
        return { state: { phase: 'attract', sinceMs: event.nowMs, savedCode: null }, effects: [] };
      }
      return stay;
    }
  }
}

/** URL parameters: `?kiosk=1&idle=<seconds>&warn=<seconds>`. */
export function kioskConfigFromSearch(search: string): { enabled: boolean; config: KioskConfig } {
  const q = new URLSearchParams(search);
  const seconds = (name: string, fallbackMs: number) => {
    const v = Number(q.get(name));
    return Number.isFinite(v) && v > 0 ? v * 1000 : fallbackMs;
  };
  return {
    enabled: q.get('kiosk') === '1',
    config: {
      idleMs: seconds('idle', kioskDefaults.idleMs),
      warningMs: seconds('warn', kioskDefaults.warningMs),
      savedNoticeMs: seconds('notice', kioskDefaults.savedNoticeMs),
    },
  };
}
