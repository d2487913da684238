import './overlays.css';
import { useMaya } from '../store.ts';
import { useSpeechActivity } from '../audio/speechActivity.ts';
import { statusOf } from './status.ts';

/** listening / thinking / speaking / muted, with a small live level meter while listening. */
export function StatusLine() {
  const connection = useMaya((s) => s.connection);
  const thinking = useMaya((s) => s.thinking);
  const speaking = useSpeechActivity((s) => s.speaking);
  const mic = useSpeechActivity((s) => s.mic);
  const micLevel = useSpeechActivity((s) => s.micLevel);
  const status = statusOf({ connection, thinking, speaking, mic });
  return (
    <span
      className={`status status-${status.key}`}
      data-testid="status"
      data-status={status.key}
      role="status"
      aria-live="polite"
    >
      <span className="status-dot" aria-hidden="true" />
      {status.label}
      {status.key === 'listening' && (
        <span className="mic-meter" aria-hidden="true">
          <span style={{ transform: `scaleX(${Math.min(1, Math.max(0.04, micLevel))})` }} />
        </span>
      )}
    </span>
  );
}
