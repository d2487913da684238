/**
 * Embedded STT and VAD: soundswallower (pocketsphinx compiled to WASM) with the 16 kHz en-us
 * acoustic model vendored in ./model/en-us-16k (CMU/Alpha Cephei, BSD-2; see its LICENSE) and the
 * CMU dictionary shipped inside the soundswallower package. Grammar-only decoding (grammar.ts).
 *
 * These are the main-thread faces of the speech worker pool (pool.ts): the engines themselves run in
 * worker threads (speechWorker.ts). A VAD and a recogniser stream are each pinned to a worker; if
 * that worker dies the VAD moves to another one (closing the utterance it was in), and a stream in
 * the middle of an utterance reports `onError` (the session apologises) and moves on its next write.
 */
import type {
  FinalIfEnded,
  ListeningContext,
  SpeechToText,
  SttEvents,
  SttStream,
  Vad,
  VadEvent,
} from '../types.ts';
import { SpeechEngineError, SpeechPool } from './pool.ts';
import type { ChannelSink } from './pool.ts';
import type { ChannelMessage } from './speechProtocol.ts';
import { SAMPLE_RATE_HZ } from './recogniser.ts';

export { SAMPLE_RATE_HZ };
export { loadSoundSwallower } from './wasm.ts';
export { defaultVadOptions } from './speechProtocol.ts';
export type { VadOptions } from './speechProtocol.ts';

let sharedPool: SpeechPool | null = null;

/** The process-wide pool used when none is given (tests, tools); the app passes its own. */
export function sharedSpeechPool(): SpeechPool {
  sharedPool ??= new SpeechPool();
  return sharedPool;
}

type Binding = ReturnType<SpeechPool['open']>;

export class SoundSwallowerStt implements SpeechToText {
  readonly name = 'soundswallower';
  readonly pool: SpeechPool;

  constructor({ pool }: { pool?: SpeechPool } = {}) {
    this.pool = pool ?? sharedSpeechPool();
  }

  /** Start the workers' engines now rather than on the first utterance. */
  warmUp(): Promise<void> {
    return this.pool.warmUp();
  }

  async start(events: SttEvents): Promise<SttStream> {
    return new PooledSttStream(this.pool, events);
  }

  /** The pool belongs to whoever created it (the app closes its own). */
  async close(): Promise<void> {}
}

/** One session's recogniser stream, on a worker; writes go there in order, results come back. */
export class PooledSttStream implements SttStream, ChannelSink {
  readonly kind = 'stt';
  private binding: Binding | null = null;
  private inUtterance = false;
  /** The worker died during this utterance: its audio is gone, the rest of it is dropped. */
  private lostUtterance = false;
  /** Finals asked for and not yet received. */
  private awaitingFinals = 0;
  private closed = false;
  /** What the next utterance is likely to be (see SttStream.expect). */
  private context: ListeningContext = 'open';
  /** Callers waiting for the running hypothesis, in the order they asked. */
  private readonly hypotheses: ((text: string) => void)[] = [];
  /** Callers waiting for the final-if-ended, in the order they asked. */
  private readonly peeks: ((final: FinalIfEnded) => void)[] = [];

  constructor(
    private readonly pool: SpeechPool,
    private readonly events: SttEvents,
  ) {}

  expect(context: ListeningContext): void {
    this.context = context;
  }

  /** Answered in the order asked; '' when there is no utterance or its worker is gone. */
  hypothesis(): Promise<string> {
    if (this.closed || !this.binding || this.lostUtterance) return Promise.resolve('');
    const answer = new Promise<string>((resolve) => this.hypotheses.push(resolve));
    this.pool.post(this.binding.worker, { op: 'stt_hypothesis', ch: this.binding.ch });
    return answer;
  }

  /** Answered in the order asked; rejected and empty when there is no utterance or its worker is gone. */
  finalIfEnded(): Promise<FinalIfEnded> {
    if (this.closed || !this.binding || this.lostUtterance)
      return Promise.resolve({ text: '', rejected: true });
    const answer = new Promise<FinalIfEnded>((resolve) => this.peeks.push(resolve));
    this.pool.post(this.binding.worker, { op: 'stt_peek_final', ch: this.binding.ch });
    return answer;
  }

  /** The worker is gone or the stream closed: nobody waits for an answer that will not come. */
  private answerHypotheses(text: string) {
    for (const resolve of this.hypotheses.splice(0)) resolve(text);
    for (const resolve of this.peeks.splice(0)) resolve({ text, rejected: true });
  }

  get busy(): boolean {
    return this.inUtterance || this.awaitingFinals > 0;
  }

  /** The worker thread this stream is on (fault tests). */
  get workerId(): number | null {
    return this.binding?.worker.id ?? null;
  }

  write(pcm: Int16Array): void {
    if (this.closed) return;
    this.inUtterance = true;
    if (this.lostUtterance) return;
    try {
      this.binding ??= this.pool.open(this);
    } catch (e) {
      this.lose(
        e instanceof SpeechEngineError ? e : new SpeechEngineError('unavailable', String(e)),
      );
      return;
    }
    this.pool.post(this.binding.worker, {
      op: 'stt_write',
      ch: this.binding.ch,
      pcm: own(pcm),
      context: this.context,
    });
  }

  finalize(): void {
    if (this.closed || !this.inUtterance) return;
    this.inUtterance = false;
    if (this.lostUtterance || !this.binding) {
      this.lostUtterance = false;
      this.events.onFinal('', { confidence: 0, rejected: true });
      return;
    }
    this.awaitingFinals++;
    this.pool.post(this.binding.worker, { op: 'stt_finalize', ch: this.binding.ch });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.answerHypotheses('');
    if (this.binding) this.pool.closeChannel(this.binding.worker, this.binding.ch);
  }

  receive(m: ChannelMessage): void {
    if (m.type === 'partial') {
      // Also those of an utterance already finalised (written faster than real time): they came before its final.
      if ((this.inUtterance || this.awaitingFinals > 0) && !this.lostUtterance)
        this.events.onPartial(m.text);
    } else if (m.type === 'hypothesis') {
      this.hypotheses.shift()?.(m.text);
    } else if (m.type === 'final_if_ended') {
      this.peeks.shift()?.({ text: m.text, rejected: m.rejected });
    } else if (m.type === 'final') {
      this.awaitingFinals--;
      this.pool.succeeded();
      this.events.onFinal(m.text, {
        confidence: m.confidence,
        rejected: m.rejected,
        ...(m.alternatives && { alternatives: m.alternatives }),
      });
    } else if (m.type === 'closed') this.binding = null;
  }

  lost(err: SpeechEngineError): void {
    this.binding = null;
    this.answerHypotheses('');
    if (this.closed) return;
    const finals = this.awaitingFinals;
    this.awaitingFinals = 0;
    if (this.inUtterance) this.lose(err);
    else if (finals > 0) this.events.onError(err);
    // Utterances already ended whose result died with the worker: heard as not understood.
    for (let i = 0; i < finals; i++) this.events.onFinal('', { confidence: 0, rejected: true });
  }

  private lose(err: SpeechEngineError) {
    this.lostUtterance = true;
    this.events.onError(err);
  }
}

export class SoundSwallowerVad implements Vad, ChannelSink {
  readonly kind = 'vad';
  readonly busy = false;
  private binding: Binding | null = null;
  private nextSeq = 1;
  private readonly pending = new Map<number, (events: VadEvent[]) => void>();
  private inSpeech = false;
  /** The front end holding an utterance was lost: the next result first closes that utterance. */
  private owesSpeechEnd = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(private readonly pool: SpeechPool) {}

  /** A VAD on `pool` (default: the shared pool). Options are the pool's (`SpeechPoolOptions.vad`). */
  static async create(pool: SpeechPool = sharedSpeechPool()): Promise<SoundSwallowerVad> {
    return new SoundSwallowerVad(pool);
  }

  process(pcm: Int16Array): Promise<VadEvent[]> {
    if (this.closed) return Promise.resolve([]);
    try {
      this.binding ??= this.bind();
    } catch (e) {
      return Promise.reject(e);
    }
    this.idleTimer?.refresh();
    const seq = this.nextSeq++;
    this.pool.post(this.binding.worker, {
      op: 'vad_process',
      ch: this.binding.ch,
      seq,
      pcm: own(pcm),
    });
    return new Promise((resolve) => this.pending.set(seq, resolve));
  }

  /** Give the front end back to the worker's free list (the session is over). */
  close(): void {
    this.closed = true;
    this.release();
  }

  receive(m: ChannelMessage): void {
    if (m.type !== 'vad_events') return;
    const resolve = this.pending.get(m.seq);
    this.pending.delete(m.seq);
    for (const e of m.events) if (e.kind !== 'audio') this.inSpeech = e.kind === 'speech_start';
    resolve?.(this.withOwedEnd(m.events));
  }

  lost(): void {
    this.binding = null;
    this.clearTimer();
    this.owesSpeechEnd ||= this.inSpeech;
    this.inSpeech = false;
    // Audio sent to the dead worker is gone; the utterance it was in ends with the next answer.
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const resolve of pending) resolve(this.withOwedEnd([]));
  }

  private withOwedEnd(events: VadEvent[]): VadEvent[] {
    if (!this.owesSpeechEnd) return events;
    this.owesSpeechEnd = false;
    return [{ kind: 'speech_end', atSec: 0 }, ...events];
  }

  private bind(): Binding {
    const binding = this.pool.open(this);
    this.idleTimer = setTimeout(() => this.release(), this.pool.options.vadIdleReleaseMs);
    this.idleTimer.unref();
    return binding;
  }

  /** Idle (or closed): the worker gets its front end back; a later frame binds a fresh one. */
  private release() {
    this.clearTimer();
    const b = this.binding;
    if (!b) return;
    this.binding = null;
    this.owesSpeechEnd ||= this.inSpeech && !this.closed;
    this.inSpeech = false;
    this.pool.closeChannel(b.worker, b.ch);
  }

  private clearTimer() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

/** Posting a view clones its whole buffer (a socket's frame may sit in a larger one): send just the samples. */
function own(pcm: Int16Array): Int16Array {
  return pcm.byteOffset === 0 && pcm.byteLength === pcm.buffer.byteLength ? pcm : pcm.slice();
}
