/**
 * Kiosk mode (`/?kiosk=1`): full screen, no text box, hands-free, large type for reading from 2 m,
 * payment by QR code, and a reset after the guest leaves that never drops an unpaid tab silently.
 */
import './kiosk.css';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useMaya } from '../store.ts';
import { connection } from '../net/connection.ts';
import { LazyAvatar } from '../avatar/LazyAvatar.tsx';
import { TabOverlay } from '../overlays/TabOverlay.tsx';
import { PaymentPanel } from '../overlays/PaymentPanel.tsx';
import { tabLinkPath } from '../../shared/domain.ts';
import { StatusLine } from '../overlays/StatusLine.tsx';
import { Captions } from '../conversation/Captions.tsx';
import { useKiosk } from './useKiosk.ts';
import { kioskVoice } from './voice.ts';
import type { ResumeResult } from './useKiosk.ts';
import type { KioskConfig } from './machine.ts';

function requestFullscreen(): void {
  if (
    document.fullscreenElement ||
    typeof document.documentElement.requestFullscreen !== 'function'
  )
    return;
  document.documentElement.requestFullscreen().catch(() => {
    // Refused (no user gesture, or a kiosk browser that is already full screen): fine.
  });
}

function ResumeForm({
  onResume,
  onCancel,
}: {
  onResume: (code: string) => ResumeResult;
  onCancel: () => void;
}) {
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<ResumeResult | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = onResume(code);
    setProblem(result === 'resumed' ? null : result);
  };
  return (
    <form
      className="resume-form"
      onSubmit={submit}
      onPointerDown={(e) => e.stopPropagation()}
      data-testid="resume-form"
    >
      <label htmlFor="resume-code">Your 4-digit tab code</label>
      <input
        id="resume-code"
        data-testid="resume-code"
        inputMode="numeric"
        pattern="[0-9]{4}"
        maxLength={4}
        autoComplete="off"
        autoFocus
        value={code}
        onChange={(e) => {
          setCode(e.target.value.replace(/\D/g, ''));
          setProblem(null);
        }}
      />
      <div className="resume-actions">
        <button type="submit" disabled={code.length !== 4}>
          Resume
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {problem === 'not-found' && <p role="alert">No saved tab has that code.</p>}
      {problem === 'locked' && (
        <p role="alert">Too many wrong codes — please wait a minute, or ask the staff.</p>
      )}
    </form>
  );
}

export function KioskApp({ config }: { config: KioskConfig }) {
  const { state: kiosk, guestStarted, activity, resume } = useKiosk(config);
  const state = useMaya((s) => s.state);
  const sessionId = useMaya((s) => s.sessionId);
  const captions = useMaya((s) => s.captions);
  const lastError = useMaya((s) => s.lastError);
  const [resuming, setResuming] = useState(false);
  const [now, setNow] = useState(() => performance.now());

  // Hands-free from the start: the attract screen listens, so a guest who simply starts talking is
  // heard (and greeted). Kiosk browsers run with --autoplay-policy=no-user-gesture-required; without
  // it the first tap starts the microphone instead.
  useEffect(() => {
    kioskVoice().startListening();
  }, []);

  useEffect(() => {
    if (kiosk.phase !== 'idle-warning') return;
    const id = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(id);
  }, [kiosk.phase]);
  useEffect(() => {
    if (kiosk.phase !== 'attract') setResuming(false);
  }, [kiosk.phase]);

  // Keyboard users start a visit with Enter or Space, like a tap (not while on a button or typing a code).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const onControl =
        e.target instanceof HTMLInputElement || e.target instanceof HTMLButtonElement;
      if (
        !onControl &&
        (e.key === 'Enter' || e.key === ' ') &&
        (kiosk.phase === 'attract' || kiosk.phase === 'tab-saved')
      )
        guestStarted();
      else activity();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [kiosk.phase, guestStarted, activity]);

  const secondsLeft = Math.max(0, Math.ceil((config.warningMs - (now - kiosk.sinceMs)) / 1000));

  return (
    <main
      className={`app kiosk kiosk-${kiosk.phase}`}
      data-testid="kiosk"
      data-kiosk-phase={kiosk.phase}
      onPointerDown={() => {
        requestFullscreen();
        if ((kiosk.phase === 'attract' && !resuming) || kiosk.phase === 'tab-saved') guestStarted();
        else activity();
      }}
    >
      <header className="topbar">
        <h1>Maya</h1>
        <StatusLine />
      </header>
      <LazyAvatar />
      <aside className="kiosk-side">
        {state && (
          <TabOverlay
            payment={state.payment}
            large
            onTip={(percent) => connection.send({ type: 'set_tip', percent })}
          />
        )}
        {state && (
          <PaymentPanel
            payment={state.payment}
            shortLink={sessionId ? `${location.host}${tabLinkPath(sessionId)}` : undefined}
            large
          />
        )}
      </aside>
      <div className="bottom">
        <Captions captions={captions} />
        {lastError && (
          <p className="error" role="alert">
            {lastError.message}
          </p>
        )}
      </div>

      {kiosk.phase === 'attract' && (
        <section className="kiosk-screen attract" data-testid="kiosk-attract" aria-label="Welcome">
          <h2>Hi, I'm Maya</h2>
          <p className="hint">
            <span className="mic-pulse" aria-hidden="true" /> Walk up and say hello — or tap
            anywhere
          </p>
          {resuming ? (
            <ResumeForm onResume={resume} onCancel={() => setResuming(false)} />
          ) : (
            <button
              type="button"
              className="secondary"
              data-testid="resume-open"
              onPointerDown={(e) => e.stopPropagation()}
              onClick={() => setResuming(true)}
            >
              Resume a tab
            </button>
          )}
        </section>
      )}
      {kiosk.phase === 'idle-warning' && (
        <section
          className="kiosk-screen warning"
          data-testid="kiosk-warning"
          role="alertdialog"
          aria-label="Still there?"
        >
          <h2>Still there?</h2>
          <p>
            Say anything or tap the screen. Starting over in <strong>{secondsLeft}</strong> s
            {state && state.payment.tabCents > 0 ? ' — your tab will be saved.' : '.'}
          </p>
          <button type="button" autoFocus onClick={() => activity()}>
            I'm still here
          </button>
        </section>
      )}
      {kiosk.phase === 'tab-saved' && kiosk.savedCode && (
        <section
          className="kiosk-screen saved"
          data-testid="kiosk-saved"
          role="status"
          aria-label="Your tab is saved"
        >
          <h2>Your tab is saved</h2>
          <p className="code" data-testid="saved-code">
            {kiosk.savedCode}
          </p>
          <p>Come back within the hour, tap “Resume a tab” and enter this code.</p>
        </section>
      )}
    </main>
  );
}
