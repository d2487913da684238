/**
 * Cloud speech with the embedded engine behind it. When the cloud adapter fails (at start or
 * mid-stream) the session switches to the fallback for good, says so once, and loses nothing:
 * TTS resumes after the last word the guest already heard (or repeats the sentence when it cannot
 * tell), STT replays the audio of the unfinished utterance into the fallback.
 */
import { line } from '../phrasebook/lines.ts';
import type { SpeechToText, SttEvents, SttStream, TextToSpeech, TtsChunk } from './types.ts';

/** Said once when the backup voice takes over (from the phrasebook, like every spoken line). */
export const SPEECH_FALLBACK_NOTICE = line('voice_fallback', {}, 0);
/** Audio kept for replay into the fallback STT (one long utterance at most). */
export const STT_REPLAY_MAX_SAMPLES = 16_000 * 30;

export interface TtsFallbackOptions {
  /** Spoken by the fallback before it resumes (null: none). */
  notice?: string | null;
}

export function withFallbackTts(
  primary: TextToSpeech,
  fallback: TextToSpeech,
  onFallback: (err: unknown) => void,
  opts: TtsFallbackOptions = {},
): TextToSpeech {
  let failed = false;
  const notice = opts.notice === undefined ? SPEECH_FALLBACK_NOTICE : opts.notice;
  return {
    get name() {
      return failed ? fallback.name : primary.name;
    },
    async *synthesize(text: string, signal: AbortSignal): AsyncIterable<TtsChunk> {
      if (failed) return yield* fallback.synthesize(text, signal);
      let yielded = 0;
      let wordsHeard = 0;
      try {
        for await (const chunk of primary.synthesize(text, signal)) {
          yielded++;
          wordsHeard += chunk.words?.length ?? 0;
          yield chunk;
        }
        return;
      } catch (err) {
        if (signal.aborted) return;
        failed = true;
        onFallback(err);
        // Word timings tell how far the guest got; without them, say the whole sentence again.
        const tokens = text.split(/\s+/).filter(Boolean);
        const rest = yielded > 0 && wordsHeard > 0 ? tokens.slice(wordsHeard).join(' ') : text;
        if (notice) yield* fallback.synthesize(notice, signal);
        if (rest && !signal.aborted) yield* fallback.synthesize(rest, signal);
      }
    },
    /** Closes the cloud adapter only: the embedded engine belongs to whoever made it (it may be shared). */
    async close() {
      await primary.close();
    },
  };
}

export function withFallbackStt(
  primary: SpeechToText,
  fallback: SpeechToText,
  onFallback: (err: unknown) => void,
): SpeechToText {
  let failed = false;
  return {
    get name() {
      return failed ? fallback.name : primary.name;
    },
    async start(events: SttEvents): Promise<SttStream> {
      if (failed) return fallback.start(events);
      // Audio of the utterance in progress (since the last final), for replay.
      let utterance: Int16Array[] = [];
      let utteranceSamples = 0;
      let finalizePending = false;
      let current: SttStream | null = null;
      let switching: Promise<void> | null = null;
      let closed = false;

      const switchOver = (err: unknown) => {
        if (switching) return;
        failed = true;
        onFallback(err);
        try {
          current?.close();
        } catch {
          // the dead stream may throw; it is being replaced anyway
        }
        current = null;
        switching = fallback.start(events).then(
          (s) => {
            if (closed) return s.close();
            for (const pcm of utterance) s.write(pcm);
            if (finalizePending) s.finalize();
            current = s;
          },
          (e: unknown) => events.onError(e instanceof Error ? e : new Error(String(e))),
        );
      };

      const primaryEvents: SttEvents = {
        onPartial: (t) => events.onPartial(t),
        onFinal: (t, info) => {
          utterance = [];
          utteranceSamples = 0;
          finalizePending = false;
          events.onFinal(t, info);
        },
        onError: (e) => switchOver(e),
      };
      try {
        current = await primary.start(primaryEvents);
      } catch (err) {
        switchOver(err);
        await switching;
      }

      return {
        write(pcm) {
          if (utteranceSamples + pcm.length <= STT_REPLAY_MAX_SAMPLES) {
            utterance.push(pcm);
            utteranceSamples += pcm.length;
          }
          current?.write(pcm);
        },
        finalize() {
          finalizePending = true;
          current?.finalize();
        },
        close() {
          closed = true;
          current?.close();
        },
      };
    },
  };
}
