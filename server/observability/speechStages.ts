/**
 * Voice-turn stages measured from outside the speech pipeline, by watching the events it sends:
 * end of the guest's speech → final transcript ('stt_final'), final transcript → first reply audio
 * ('tts_first_audio'). One observer per voice session.
 */
import type { ServerMessage } from '../../shared/protocol.ts';
import type { Metrics } from './metrics.ts';

export function speechStageObserver(
  metrics: Metrics,
  now: () => number = () => performance.now(),
): (msg: ServerMessage) => void {
  let speechEndedAt: number | null = null;
  let finalAt: number | null = null;
  return (msg) => {
    switch (msg.type) {
      case 'speech_ended':
        speechEndedAt = now();
        return;
      case 'transcript_final':
        if (speechEndedAt !== null)
          metrics.stageSeconds.observe({ stage: 'stt_final' }, (now() - speechEndedAt) / 1000);
        speechEndedAt = null;
        finalAt = msg.rejected ? null : now();
        return;
      case 'reply_audio':
        if (finalAt !== null)
          metrics.stageSeconds.observe({ stage: 'tts_first_audio' }, (now() - finalAt) / 1000);
        finalAt = null;
        return;
      default:
    }
  };
}
