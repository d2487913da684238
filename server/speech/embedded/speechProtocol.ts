/**
 * The messages between the main thread (pool.ts) and a speech worker (speechWorker.ts). Types only:
 * both sides import them, so a change to one side that the other does not understand fails tsc.
 * A channel is one session's VAD front end or one session's recogniser stream on that worker.
 */
import type { ListeningContext, VadEvent } from '../types.ts';
import type { RecogniserOptions, SharedDomainModels } from './recogniser.ts';
import type { SpokenMenuItem } from './corpus.ts';

export const defaultVadOptions = {
  /** Endpointer window: speech ends after this much audio that is mostly not speech (0.3 s: +100 ms). */
  windowSec: 0.2,
  /** Share of frames in the window that must agree to switch between speech and silence. */
  ratio: 0.9,
  /**
   * WebRTC-style VAD aggressiveness 0..3. Measured in the browser loop (bench/voice.ts, 20
   * utterances, window 0.2 s), speech end → first sample played p50 / p95 and intents right:
   * mode 0: 553 / 758 ms, 19/20; mode 1: 477 / 536 ms, 19/20; mode 2: 417 / 483 ms, 17/20;
   * mode 3: 413 / 604 ms, 16/20 (the more aggressive modes cut off quiet word endings).
   */
  mode: 1,
  /**
   * Report a pause (a 'pause' VAD event) after this long without a voice by RNNoise's probability,
   * while the endpointer still counts the audio as speech: a request that sounds complete ends there
   * (session.ts), sooner than the endpointer's window and hangover allow. 0: never. Measured on 24
   * orders in three Flite voices (the last pause before the endpointer's end / pauses reported inside
   * the speech): 120 ms: 380 ms sooner / 8; 160: 340 / 3; 200: 300 / 3; 240: 260 / 1. A pause inside
   * the speech ends the turn only where the words so far are complete, and what follows is heard as
   * the next utterance ("two martinis" … "stirred"). bench:ears tune split, 240 → 200 ms, same hour:
   * speech end → first reply audio p50 339 → 289 ms clean, 365 → 307 ms noisy; cut-offs at a pause
   * 4 → 5 of 25 and 4 → 4 of 10; orders right 130 → 125 clean and 28 → 32 noisy (run-to-run spread
   * of the same code is ±5); wrong charges 2 → 1 and 4 → 3.
   */
  pauseMs: 200,
};
export type VadOptions = typeof defaultVadOptions;

/** What a worker is started with (structured-cloned: plain data only). */
export interface SpeechWorkerData {
  recogniser: Partial<RecogniserOptions>;
  vad: VadOptions;
  /** A partial hypothesis at most once per this much audio. */
  partialIntervalMs: number;
  /** Recognisers kept initialised ahead of the next utterance (initialising one takes ~300 ms). */
  spareRecognisers: number;
  /** At most this many recognisers on one worker; further utterances wait for one to be free. */
  maxRecognisers: number;
  /** The drinks to hear (the live menu's); absent: the bundled menu. */
  menu?: readonly SpokenMenuItem[];
  /** Domain models another worker already built (each takes seconds to build, milliseconds to copy). */
  models?: SharedDomainModels;
}

export type MainToWorker =
  | { op: 'vad_open'; ch: number }
  | { op: 'vad_process'; ch: number; seq: number; pcm: Int16Array }
  | { op: 'stt_open'; ch: number }
  /** `context`: what the guest is likely to say; read when this write starts an utterance. */
  | { op: 'stt_write'; ch: number; pcm: Int16Array; context: ListeningContext }
  | { op: 'stt_finalize'; ch: number }
  /** The running hypothesis now, after every write before it (answered with 'hypothesis'). */
  | { op: 'stt_hypothesis'; ch: number }
  /** The final if the utterance ended now, without ending it (answered with 'final_if_ended'). */
  | { op: 'stt_peek_final'; ch: number }
  /** Either kind of channel: give its engines back to the free lists. */
  | { op: 'close'; ch: number }
  | { op: 'stats'; seq: number }
  /** The menu changed: recognisers hear its drinks from their next utterance on. */
  | { op: 'set_menu'; menu: readonly SpokenMenuItem[] };

/** What one worker holds, for tests, benches and metrics. */
export interface WorkerStats {
  recognisers: number;
  freeRecognisers: number;
  frontEnds: number;
  freeFrontEnds: number;
  channels: number;
  /** Utterances waiting for a recogniser. */
  waiting: number;
  /** Domain models it built itself (not adopted from a worker that started before it). */
  modelsBuilt: number;
  /** Size of the WASM linear memory (it never shrinks; flat means nothing leaks). */
  wasmHeapBytes: number;
  /** The worker's JS heap in use and its memory outside the heap (typed arrays, other WASM modules). */
  jsHeapBytes: number;
  externalBytes: number;
}

export type ChannelMessage =
  | { type: 'vad_events'; ch: number; seq: number; events: VadEvent[] }
  | { type: 'partial'; ch: number; text: string }
  | { type: 'hypothesis'; ch: number; text: string }
  | { type: 'final_if_ended'; ch: number; text: string; rejected: boolean }
  | {
      type: 'final';
      ch: number;
      text: string;
      confidence: number;
      rejected: boolean;
      /** Other readings of a doubted final (Recognition.alternatives). */
      alternatives?: string[];
    }
  /** The channel's engines are back in the free lists (after `close`, or a VAD left idle). */
  | { type: 'closed'; ch: number };

export type WorkerToMain =
  | ChannelMessage
  /** The module loaded and a recogniser was created and run: this worker can serve. Its models, for the next worker. */
  | { type: 'ready'; models: SharedDomainModels }
  | { type: 'startup_failed'; error: string }
  /** The engine threw (WASM out of memory, abort): the worker's module is not to be trusted any more. */
  | { type: 'engine_error'; error: string }
  | { type: 'stats'; seq: number; stats: WorkerStats };
