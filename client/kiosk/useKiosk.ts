/**
 * Runs the kiosk state machine in the page: feeds it time, guest activity and the tab, and performs
 * its effects (voice, saved tabs, fresh sessions).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatCents } from '../../shared/money.ts';
import { useMaya } from '../store.ts';
import { useSpeechActivity } from '../audio/speechActivity.ts';
import { connection } from '../net/connection.ts';
import { initialKioskState, kioskStep } from './machine.ts';
import type { KioskConfig, KioskEffect, KioskEvent, KioskState, TabFacts } from './machine.ts';
import { SavedTabs } from './savedTabs.ts';
import { KIOSK_GREETING, kioskSay, kioskVoice } from './voice.ts';

export const kioskPresenceDefaults = {
  tickMs: 250,
  /** Microphone level that counts as a guest talking (0..1), held for `voiceHoldMs`. */
  voiceLevel: 0.12,
  voiceHoldMs: 200,
} as const;

function tabFacts(): TabFacts {
  const payment = useMaya.getState().state?.payment;
  return {
    unpaid: !!payment && payment.tabCents > 0 && payment.status !== 'completed',
    totalCents: payment?.totalCents ?? 0,
    paying: payment?.status === 'processing',
  };
}

export type ResumeResult = 'resumed' | 'not-found' | 'locked';

export interface KioskControls {
  state: KioskState;
  config: KioskConfig;
  guestStarted(): void;
  activity(): void;
  /** Resume a saved tab by its code. */
  resume(code: string): ResumeResult;
}

export function useKiosk(config: KioskConfig): KioskControls {
  const [state, setState] = useState<KioskState>(() => initialKioskState(performance.now()));
  const stateRef = useRef(state);
  const savedTabs = useRef(new SavedTabs(localStorage)).current;
  // Said once the next guest's session is in place (a new session clears the captions).
  const sayAfterFresh = useRef<string | null>(null);
  // The saved session being resumed: the server may have expired it and opened a new tab instead.
  const resuming = useRef<string | null>(null);

  const dispatch = useCallback(
    (event: KioskEvent) => {
      const { state: next, effects } = kioskStep(stateRef.current, event, config);
      stateRef.current = next;
      setState(next);
      for (const effect of effects) if (perform(effect) === 'abort') break;
    },
    [config],
  );

  /** Carry out one effect; 'abort' skips the rest (never start a fresh session over an unsaved tab). */
  // biome-ignore lint/suspicious/noConfusingVoidType: each effect returns nothing, or 'abort'
  const perform = (effect: KioskEffect): 'abort' | void => {
    const voice = kioskVoice();
    switch (effect.type) {
      case 'greet':
        return kioskSay(KIOSK_GREETING);
      case 'say':
        return kioskSay(effect.text);
      case 'start-listening':
        return voice.startListening();
      case 'save-tab': {
        const session = connection.currentSession();
        const facts = tabFacts();
        let code: string;
        try {
          if (!session) throw new Error('no session to save');
          code = savedTabs.save({ ...session, totalCents: facts.totalCents }, Date.now());
        } catch {
          // Could not save (storage off or full): keep this guest's tab open on screen instead.
          kioskSay(
            `Your tab of ${formatCents(facts.totalCents)} is still open — please ask the staff to settle it.`,
          );
          dispatch({ type: 'activity', nowMs: performance.now() });
          return 'abort';
        }
        const text = `I've saved your tab of ${formatCents(facts.totalCents)} under code ${code.split('').join(' ')}. Come back any time in the next hour and tap “Resume a tab”.`;
        // Spoken now; captioned once the next guest's session is in (a new session clears captions).
        voice.speak(text);
        sayAfterFresh.current = text;
        dispatch({ type: 'tab-saved', code, nowMs: performance.now() });
        return;
      }
      case 'fresh-session':
        return connection.startFresh();
    }
  };

  // The clock.
  useEffect(() => {
    const id = setInterval(
      () => dispatch({ type: 'tick', nowMs: performance.now(), tab: tabFacts() }),
      kioskPresenceDefaults.tickMs,
    );
    return () => clearInterval(id);
  }, [dispatch]);

  // Activity: anything the guest says or that changes the tab; a voice on the mic starts a visit.
  useEffect(() => {
    const offStore = useMaya.subscribe((s, prev) => {
      const guestSpoke =
        s.captions.length > 0 &&
        s.captions.at(-1) !== prev.captions.at(-1) &&
        s.captions.at(-1)?.speaker === 'guest';
      if (guestSpoke) {
        const visiting =
          stateRef.current.phase === 'active' || stateRef.current.phase === 'idle-warning';
        dispatch(
          visiting
            ? { type: 'activity', nowMs: performance.now() }
            : { type: 'guest-started', quiet: true, nowMs: performance.now() },
        );
      } else if (
        s.state &&
        prev.state &&
        s.state.version !== prev.state.version &&
        s.sessionId === prev.sessionId
      )
        dispatch({ type: 'activity', nowMs: performance.now() });
      if (s.sessionId !== prev.sessionId && resuming.current) {
        const resumed = s.sessionId === resuming.current;
        resuming.current = null;
        if (resumed) kioskSay(sayAfterFresh.current ?? 'Welcome back!');
        else kioskSay('Sorry, that tab has expired. Let’s start a fresh one — what can I get you?');
        sayAfterFresh.current = null;
      } else if (s.sessionId !== prev.sessionId && sayAfterFresh.current) {
        useMaya.getState().mayaSaid(sayAfterFresh.current);
        sayAfterFresh.current = null;
      }
    });
    let loudSince: number | null = null;
    const offMic = useSpeechActivity.subscribe((s) => {
      const now = performance.now();
      if (s.micLevel < kioskPresenceDefaults.voiceLevel) {
        loudSince = null;
        return;
      }
      loudSince ??= now;
      if (now - loudSince >= kioskPresenceDefaults.voiceHoldMs) {
        dispatch({
          type:
            stateRef.current.phase === 'attract' || stateRef.current.phase === 'tab-saved'
              ? 'guest-started'
              : 'activity',
          nowMs: now,
        });
        loudSince = now;
      }
    });
    return () => {
      offStore();
      offMic();
    };
  }, [dispatch]);

  const guestStarted = useCallback(
    () => dispatch({ type: 'guest-started', nowMs: performance.now() }),
    [dispatch],
  );
  const activity = useCallback(
    () => dispatch({ type: 'activity', nowMs: performance.now() }),
    [dispatch],
  );
  const resume = useCallback(
    (code: string): ResumeResult => {
      const taken = savedTabs.take(code, Date.now());
      if (!taken.ok) return taken.reason;
      const tab = taken.tab;
      connection.resume({ sessionId: tab.sessionId, resumeToken: tab.resumeToken });
      resuming.current = tab.sessionId;
      sayAfterFresh.current = `Welcome back! Your tab of ${formatCents(tab.totalCents)} is right here.`;
      dispatch({ type: 'resumed', nowMs: performance.now() });
      return 'resumed';
    },
    [dispatch, savedTabs],
  );

  useEffect(() => {
    if (import.meta.env.MODE !== 'e2e') return;
    void import('../testing/hooks.ts').then(({ registerTestHook }) => {
      registerTestHook('kioskGuestStarted', guestStarted);
      registerTestHook('kioskPhase', () => stateRef.current.phase);
    });
  }, [guestStarted]);

  return { state, config, guestStarted, activity, resume };
}
