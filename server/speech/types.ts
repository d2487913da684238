/**
 * Speech adapter interfaces. Everything above them (the session's speech pipeline, barge-in, the
 * transport) is provider-agnostic; embedded (soundswallower, Flite) and cloud (Cartesia)
 * implementations sit below.
 */

/** A span of speech, in milliseconds from the start of the chunk it came with. */
export interface Timing {
  label: string;
  startMs: number;
  endMs: number;
}

export interface FinalInfo {
  confidence?: number;
  rejected?: boolean;
  /**
   * A general recogniser wrote down what it heard (a cloud model), rather than forcing the speech
   * into the menu's grammar: a missing confidence is then no reason to doubt the words.
   */
  openVocabulary?: boolean;
  /** Other readings of a doubted transcript, likeliest first (offered if the guest says no to a read-back). */
  alternatives?: string[];
}

export interface SttEvents {
  /** A live hypothesis while the guest speaks (for captions). */
  onPartial(text: string): void;
  /**
   * The final transcript of one utterance; `confidence` 0..1 when the engine gives one; `rejected`
   * when the engine judged the speech out of its vocabulary (the text must not become an order).
   */
  onFinal(text: string, info: FinalInfo): void;
  onError(err: Error): void;
}

/** What the final transcript would be if the utterance ended now (see SttStream.finalIfEnded). */
export interface FinalIfEnded {
  text: string;
  rejected: boolean;
}

/** One listening stream for one session. Audio is 16 kHz mono signed 16-bit PCM. */
export interface SttStream {
  /** Speech audio (the VAD's output); the first write after `finalize` starts the next utterance. */
  write(pcm: Int16Array): void;
  /** The endpointer decided the utterance ended: produce the final transcript now. */
  finalize(): void;
  /**
   * What the guest is likely to say from the next utterance on: an answer to Maya's question, or
   * anything. Engines that cannot use it (cloud recognisers) leave it out.
   */
  expect?(context: ListeningContext): void;
  /**
   * The running hypothesis over all the audio written so far (captions lag behind it). Engines that
   * cannot say leave it out; the session then gives the recogniser a moment to catch up instead.
   */
  hypothesis?(): Promise<string>;
  /**
   * The final transcript if the utterance ended now, without ending it: more audio goes on with the
   * same utterance. Engines that cannot say leave it out.
   */
  finalIfEnded?(): Promise<FinalIfEnded>;
  close(): void;
}

/** What the guest is likely to say next: anything, or the answer to a yes/no question of Maya's. */
export type ListeningContext = 'open' | 'answer';

export interface SpeechToText {
  readonly name: string;
  start(events: SttEvents): Promise<SttStream>;
}

export interface TtsChunk {
  pcm: Int16Array;
  sampleRate: number;
  /** Word and phone timings relative to this chunk's first sample, for lip-sync and captions. */
  words?: Timing[];
  phones?: Timing[];
}

/**
 * A speech engine closed on purpose (the app is shutting down) while work was asked of it: not a
 * failure, so nobody is apologised to and nothing is logged as an error.
 */
export class SpeechEngineClosedError extends Error {
  override readonly name = 'SpeechEngineClosedError';
}

export interface TextToSpeech {
  readonly name: string;
  /** Synthesise one sentence, streaming chunks as they are ready; stops early when `signal` aborts. */
  synthesize(text: string, signal: AbortSignal): AsyncIterable<TtsChunk>;
  close(): Promise<void>;
}

/** What a voice activity detector reports for the audio pushed into it, in order. */
export type VadEvent =
  | {
      kind: 'speech_start';
      atSec: number;
      /** The room is loud (a measured noise floor above the gate's threshold): hearing is less sure. */
      noisy?: boolean;
    }
  /** Speech audio (with a short look-back before the start), to be fed to the recogniser. */
  | { kind: 'audio'; pcm: Int16Array }
  | { kind: 'speech_end'; atSec: number }
  /**
   * A short pause inside speech the endpointer has not ended yet (no voice for `pauseMs`): the turn
   * may end now if what was said is complete; the endpointer's own speech_end comes later.
   */
  | { kind: 'pause' }
  /** Voice again after a pause, before the endpointer ended the speech. */
  | { kind: 'resume' };

/**
 * Voice activity detection and endpointing for one stream of 16 kHz mono s16 audio. Asynchronous:
 * the embedded one runs in a speech worker thread, off the main thread.
 */
export interface Vad {
  /** The events for this audio, in order; calls resolve in the order they were made. */
  process(pcm: Int16Array): Promise<VadEvent[]>;
  /** The session is over: free (or give back) what the detector holds. */
  close?(): void;
}
