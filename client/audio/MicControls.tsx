/**
 * The microphone controls: start, a level meter, mute, hands-free or push-to-talk (hold Space), and
 * plain words when the microphone is denied or missing.
 */
import { useEffect } from 'react';
import { useSpeechActivity } from './speechActivity.ts';
import { useVoice, voice } from './voice.ts';

const isTyping = (el: EventTarget | null) =>
  el instanceof HTMLElement &&
  (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable);

export function MicControls() {
  const mic = useSpeechActivity((s) => s.mic);
  const level = useSpeechActivity((s) => s.micLevel);
  const { mode, talking } = useVoice();

  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if (e.code !== 'Space' || isTyping(e.target) || useVoice.getState().mode !== 'push-to-talk')
        return;
      e.preventDefault();
      if (!e.repeat) voice.pushToTalk(true);
    };
    const up = (e: KeyboardEvent) => {
      if (e.code !== 'Space' || useVoice.getState().mode !== 'push-to-talk') return;
      e.preventDefault();
      voice.pushToTalk(false);
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, []);

  if (mic === 'denied') {
    return (
      <div className="mic mic-denied" role="alert" data-testid="mic-state" data-state="denied">
        Microphone permission denied — allow it in the browser's site settings to talk, or type
        below.
      </div>
    );
  }
  if (mic === 'no-device') {
    return (
      <div className="mic mic-missing" role="alert" data-testid="mic-state" data-state="no-device">
        No microphone found — plug one in and reload to talk, or type below.
      </div>
    );
  }
  if (mic === 'off' || mic === 'starting') {
    return (
      <div className="mic" data-testid="mic-state" data-state={mic}>
        <button
          type="button"
          data-testid="mic-start"
          disabled={mic === 'starting'}
          onClick={() => void voice.start()}
        >
          {mic === 'starting' ? (
            'Starting the microphone…'
          ) : (
            <>
              <svg
                className="mic-icon"
                viewBox="0 0 24 24"
                width="16"
                height="16"
                aria-hidden="true"
              >
                <path
                  fill="currentColor"
                  d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2z"
                />
              </svg>{' '}
              Talk to Maya
            </>
          )}
        </button>
      </div>
    );
  }
  const muted = mic === 'muted';
  const live = !muted && (mode === 'hands-free' || talking);
  return (
    <div className="mic" data-testid="mic-state" data-state={mic} data-live={live}>
      <meter
        className="mic-level"
        data-testid="mic-level"
        min={0}
        max={1}
        value={muted ? 0 : level}
        aria-label="Microphone level"
      />
      <button
        type="button"
        aria-pressed={muted}
        data-testid="mic-mute"
        onClick={() => voice.setMuted(!muted)}
      >
        {muted ? 'Unmute' : 'Mute'}
      </button>
      <button
        type="button"
        aria-pressed={mode === 'push-to-talk'}
        data-testid="mic-mode"
        onClick={() => voice.setMode(mode === 'push-to-talk' ? 'hands-free' : 'push-to-talk')}
        title="Hands-free listens all the time; push-to-talk listens while you hold Space"
      >
        {mode === 'push-to-talk'
          ? talking
            ? 'Listening (Space held)'
            : 'Hold Space to talk'
          : 'Hands-free'}
      </button>
    </div>
  );
}
