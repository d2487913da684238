/** Live captions for the voice loop: the guest's words as recognised, and Maya's current sentence. */
import { useVoice } from './voice.ts';

export function VoiceCaptions() {
  const { guestPartial, mayaSentence, notUnderstood } = useVoice();
  return (
    <div className="voice-captions" aria-live="polite" data-testid="voice-captions">
      {guestPartial && (
        <p className="caption caption-guest caption-partial" data-testid="guest-partial">
          <span className="speaker">You</span> {guestPartial}…
        </p>
      )}
      {notUnderstood && !guestPartial && (
        <p className="caption caption-guest caption-rejected" data-testid="not-understood">
          <span className="speaker">You</span> (not understood — nothing was ordered)
        </p>
      )}
      {mayaSentence && (
        <p className="caption caption-maya caption-speaking" data-testid="maya-speaking">
          <span className="speaker">Maya</span> {mayaSentence}
        </p>
      )}
    </div>
  );
}
