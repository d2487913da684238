/**
 * The pool of speech worker threads (speechWorker.ts), up to one per core: every talking guest's
 * denoising, endpointing and recognition runs off the main thread, so text turns, pushes and payments
 * never wait behind a decoder, and every core decodes. A stream (one session's VAD or recogniser) is
 * pinned to the least loaded ready worker when it opens. Workers start as they are needed (the first
 * at warm-up, another whenever every running one carries streams), so a quiet kiosk or a test that
 * never speaks does not pay for decoders on every core.
 *
 * A worker that crashes, fails to start, or whose engine throws is replaced by a fresh one (with a
 * back-off when replacements keep failing); the streams it carried are told (`lost`) so the guest
 * hears an apology rather than silence. `health()` says whether the engine can serve, for /readyz.
 *
 * The first worker to start builds the domain models (seconds of corpus and bigram work per menu);
 * every later one, a replacement included, is handed them and is ready in about a second.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { defaultRecogniserOptions } from './recogniser.ts';
import type { RecogniserOptions, SharedDomainModels } from './recogniser.ts';
import { defaultVadOptions } from './speechProtocol.ts';
import type { SpokenMenuItem } from './corpus.ts';
import type {
  ChannelMessage,
  MainToWorker,
  SpeechWorkerData,
  VadOptions,
  WorkerStats,
  WorkerToMain,
} from './speechProtocol.ts';

export const defaultSpeechPoolOptions = {
  /** Worker threads (MAYA_SPEECH_WORKERS); one per core uses every core for decoding. */
  workers: availableParallelism(),
  recogniser: defaultRecogniserOptions as Partial<RecogniserOptions>,
  vad: defaultVadOptions as VadOptions,
  /** A partial hypothesis at most once per this much audio (a backtrace per frame costs more than decoding). */
  partialIntervalMs: 150,
  /** Recognisers each worker keeps initialised ahead of the next utterance (initialising one takes ~300 ms). */
  spareRecognisers: 1,
  /**
   * Recognisers at most per worker (memory: each holds its own acoustic model and grammar, ~46 MB of
   * WASM heap that is never given back; the second listen's decoder is one per worker). More
   * simultaneous utterances on a worker wait for one to be free, often sooner than making one
   * (~300 ms of the worker's thread, when every utterance on it stalls).
   */
  maxRecognisersPerWorker: 8,
  /** A VAD stream that got no audio for this long gives its front end back (a session that never closed it). */
  vadIdleReleaseMs: 60_000,
  /** This many engine failures with no successful recognition between them: /readyz says not ready. */
  maxFailuresInRow: 3,
  /** Failures older than this are forgotten (an idle, unready instance becomes ready again). */
  failureMemoryMs: 60_000,
  /** First delay before replacing a worker whose predecessor failed to start; doubles up to the max. */
  restartDelayMs: 100,
  restartDelayMaxMs: 30_000,
  /** The drinks to hear; undefined: the bundled menu. Changed later with `setMenu`. */
  menu: undefined as readonly SpokenMenuItem[] | undefined,
};
export type SpeechPoolOptions = typeof defaultSpeechPoolOptions;

export type SpeechFailureKind = 'crash' | 'engine' | 'startup';

/** The speech engine under a stream failed; what it was doing is lost. */
export class SpeechEngineError extends Error {
  override readonly name = 'SpeechEngineError';
  constructor(
    readonly kind: SpeechFailureKind | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

/** The main-thread end of one channel (a VAD or a recogniser stream). */
export interface ChannelSink {
  receive(m: ChannelMessage): void;
  /** The worker under this channel is gone; the channel with it. */
  lost(err: SpeechEngineError): void;
  /** In the middle of an utterance (counted as a busy stream). */
  readonly busy: boolean;
  readonly kind: 'vad' | 'stt';
}

export interface SpeechPoolStats {
  /** Workers started (running or starting), and the most there may be. */
  workers: number;
  maxWorkers: number;
  liveWorkers: number;
  /** Open recogniser streams, and those in the middle of an utterance. */
  streams: number;
  busyStreams: number;
  vads: number;
}

export interface SpeechHealth {
  ok: boolean;
  reason?: string;
}

type WorkerState = 'starting' | 'ready' | 'dead';

class SpeechWorker {
  state: WorkerState = 'starting';
  readonly channels = new Map<number, ChannelSink>();
  /** Channels opened and not yet closed (closing ones still get their last messages). */
  load = 0;
  readonly ready: Promise<boolean>;
  private markReady!: (ok: boolean) => void;

  constructor(
    readonly id: number,
    readonly worker: Worker,
    /** The menu it was started with (its models are for that menu). */
    readonly menu: SpeechPoolOptions['menu'],
  ) {
    this.ready = new Promise((r) => (this.markReady = r));
  }

  settle(ok: boolean) {
    this.markReady(ok);
  }
}

export class SpeechPool {
  readonly options: SpeechPoolOptions;
  private readonly slots: (SpeechWorker | undefined)[] = [];
  private nextWorkerId = 1;
  private nextChannel = 1;
  private nextStatsSeq = 1;
  private readonly statsWaiters = new Map<number, (s: WorkerStats) => void>();
  private failureTimes: number[] = [];
  private readonly startFailures: number[] = [];
  private readonly failureListeners: ((kind: SpeechFailureKind, err: Error) => void)[] = [];
  private closed = false;
  /** The domain models the last worker to start built or adopted, handed to the next one. */
  private models: SharedDomainModels | undefined;

  constructor(options: Partial<SpeechPoolOptions> = {}) {
    this.options = { ...defaultSpeechPoolOptions, ...options };
    const n = Math.max(1, Math.floor(this.options.workers));
    for (let slot = 0; slot < n; slot++) {
      this.startFailures.push(0);
      this.slots.push(undefined);
    }
  }

  private running(): SpeechWorker[] {
    return this.slots.filter((w): w is SpeechWorker => w !== undefined);
  }

  /** Start the worker of the first empty slot, if any. */
  private grow(): SpeechWorker | undefined {
    const slot = this.slots.indexOf(undefined);
    if (slot < 0 || this.closed) return undefined;
    const w = this.spawn(slot);
    this.slots[slot] = w;
    return w;
  }

  /** Called on every engine failure (metrics, logs). */
  onFailure(listener: (kind: SpeechFailureKind, err: Error) => void): void {
    this.failureListeners.push(listener);
  }

  /**
   * Resolves once at least one worker can serve (or every worker failed to start). `all`: start
   * every worker now (benches, or a server that expects a crowd at once).
   */
  async warmUp({ all = false } = {}): Promise<void> {
    if (this.running().length === 0) this.grow();
    while (all && this.grow());
    const oks = this.running().map((w) =>
      w.ready.then((ok) =>
        ok ? Promise.resolve() : Promise.reject(new Error('speech worker failed to start')),
      ),
    );
    await Promise.any(oks).catch(() => {
      throw new SpeechEngineError('startup', 'no speech worker could start');
    });
  }

  /** Pin a new channel to the least loaded ready worker (else one starting); start another worker when all carry streams. */
  open(sink: ChannelSink): { worker: SpeechWorker; ch: number } {
    if (this.closed) throw new SpeechEngineError('unavailable', 'the speech pool is closed');
    // Ready workers first; among them the fewest open channels (a recogniser stream weighs more).
    const byPreference = () =>
      this.running()
        .filter((w) => w.state !== 'dead')
        .sort(
          (a, b) => Number(b.state === 'ready') - Number(a.state === 'ready') || a.load - b.load,
        );
    let best = byPreference()[0];
    const starting = this.running().some((w) => w.state === 'starting');
    if (!best || (best.load > 0 && !starting)) this.grow();
    best ??= byPreference()[0];
    if (!best) throw new SpeechEngineError('unavailable', 'no speech worker is running');
    const ch = this.nextChannel++;
    best.channels.set(ch, sink);
    best.load += sink.kind === 'stt' ? 3 : 1;
    this.post(best, { op: sink.kind === 'stt' ? 'stt_open' : 'vad_open', ch });
    return { worker: best, ch };
  }

  post(w: SpeechWorker, m: MainToWorker): void {
    if (w.state !== 'dead') w.worker.postMessage(m);
  }

  /** Ask the worker to give the channel's engines back; its last messages (a final) still arrive. */
  closeChannel(w: SpeechWorker, ch: number): void {
    const sink = w.channels.get(ch);
    if (!sink) return;
    w.load -= sink.kind === 'stt' ? 3 : 1;
    if (w.state === 'dead') w.channels.delete(ch);
    else this.post(w, { op: 'close', ch });
  }

  /** A recognition came back: the engine works (resets the failures-in-a-row count). */
  succeeded(): void {
    this.failureTimes = [];
  }

  health(): SpeechHealth {
    if (this.closed) return { ok: false, reason: 'speech engine closed' };
    const now = Date.now();
    this.failureTimes = this.failureTimes.filter((t) => now - t < this.options.failureMemoryMs);
    if (this.failureTimes.length >= this.options.maxFailuresInRow)
      return {
        ok: false,
        reason: `speech engine failed ${this.failureTimes.length} times in a row`,
      };
    const ready = this.running().some((w) => w.state === 'ready');
    // Before any failure, workers not started or still starting will serve shortly (work queues); after failures they must prove it.
    const firstStart = this.failureTimes.length === 0 && this.startFailures.every((n) => n === 0);
    if (!ready && !firstStart)
      return { ok: false, reason: 'no speech worker can create a recogniser' };
    return { ok: true };
  }

  stats(): SpeechPoolStats {
    const sinks = this.running().flatMap((w) => [...w.channels.values()]);
    const stt = sinks.filter((s) => s.kind === 'stt');
    return {
      workers: this.running().length,
      maxWorkers: this.slots.length,
      liveWorkers: this.running().filter((w) => w.state === 'ready').length,
      streams: stt.length,
      busyStreams: stt.filter((s) => s.busy).length,
      vads: sinks.length - stt.length,
    };
  }

  /** What each live worker holds (recognisers, front ends, WASM heap), for tests and benches. */
  async workerStats(): Promise<WorkerStats[]> {
    const live = this.running().filter((w) => w.state === 'ready');
    return Promise.all(
      live.map(
        (w) =>
          new Promise<WorkerStats>((resolve) => {
            const seq = this.nextStatsSeq++;
            this.statsWaiters.set(seq, resolve);
            this.post(w, { op: 'stats', seq });
          }),
      ),
    );
  }

  /** Thread ids of the current workers (a replaced worker gets a new one). */
  workerIds(): number[] {
    return this.running().map((w) => w.id);
  }

  /**
   * The menu changed: every worker's recognisers hear its drinks from their next utterance on (an
   * utterance under way finishes with the old model); workers started later start with it.
   */
  setMenu(menu: readonly SpokenMenuItem[]): void {
    const items = menu.map(({ name, category, aliases }) => ({
      name,
      category,
      aliases: [...aliases],
    }));
    this.options.menu = items;
    // Kept models are for the old menu: a worker started from now on builds the new one itself.
    this.models = undefined;
    for (const w of this.running()) this.post(w, { op: 'set_menu', menu: items });
  }

  /** Kill a worker as a crash would (fault tests, operators); it is replaced. */
  async terminateWorker(id: number): Promise<void> {
    await this.running()
      .find((w) => w.id === id)
      ?.worker.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.running();
    this.slots.fill(undefined);
    for (const w of slots) w.state = 'dead';
    await Promise.all(slots.map((w) => w.worker.terminate()));
  }

  private spawn(slot: number): SpeechWorker {
    const data: SpeechWorkerData = {
      recogniser: this.options.recogniser,
      vad: this.options.vad,
      partialIntervalMs: this.options.partialIntervalMs,
      spareRecognisers: this.options.spareRecognisers,
      maxRecognisers: this.options.maxRecognisersPerWorker,
      ...(this.options.menu && { menu: this.options.menu }),
      ...(this.models && { models: this.models }),
    };
    const worker = new Worker(new URL('./speechWorker.mjs', import.meta.url), {
      workerData: data,
      execArgv: ['--no-warnings'],
    });
    worker.unref();
    const w = new SpeechWorker(this.nextWorkerId++, worker, this.options.menu);
    worker.on('message', (m: WorkerToMain) => this.receive(w, slot, m));
    worker.on('error', (e: unknown) =>
      this.retire(w, slot, 'crash', e instanceof Error ? e : new Error(String(e))),
    );
    worker.on('exit', (code) =>
      this.retire(w, slot, 'crash', new Error(`speech worker exited (${code})`)),
    );
    return w;
  }

  private receive(w: SpeechWorker, slot: number, m: WorkerToMain) {
    switch (m.type) {
      case 'ready':
        if (w.state !== 'starting') return;
        w.state = 'ready';
        // Built for the menu the worker started with; a menu set since then makes them stale.
        if (w.menu === this.options.menu) this.models = m.models;
        this.startFailures[slot] = 0;
        w.settle(true);
        return;
      case 'startup_failed':
        this.retire(w, slot, 'startup', new Error(`speech worker failed to start: ${m.error}`));
        return;
      case 'engine_error':
        this.retire(w, slot, 'engine', new Error(`speech engine failed: ${m.error}`));
        return;
      case 'stats':
        this.statsWaiters.get(m.seq)?.(m.stats);
        this.statsWaiters.delete(m.seq);
        return;
      default: {
        const sink = w.channels.get(m.ch);
        if (m.type === 'closed') w.channels.delete(m.ch);
        sink?.receive(m);
      }
    }
  }

  /** The worker is gone or untrustworthy: tell its streams, count it, start a fresh one. */
  private retire(w: SpeechWorker, slot: number, kind: SpeechFailureKind, err: Error) {
    if (w.state === 'dead') return;
    const wasStarting = w.state === 'starting';
    w.state = 'dead';
    w.settle(false);
    void w.worker.terminate();
    const lost = [...w.channels.values()];
    w.channels.clear();
    if (this.closed) return;
    this.failureTimes.push(Date.now());
    for (const listener of this.failureListeners) listener(kind, err);
    const error = new SpeechEngineError(kind, err.message);
    for (const sink of lost) sink.lost(error);
    const failedStarts = wasStarting ? ++this.startFailures[slot]! : 0;
    const delay =
      failedStarts === 0
        ? 0
        : Math.min(
            this.options.restartDelayMaxMs,
            this.options.restartDelayMs * 2 ** (failedStarts - 1),
          );
    const replace = () => {
      if (this.closed || this.slots[slot] !== w) return;
      this.slots[slot] = this.spawn(slot);
    };
    if (delay === 0) replace();
    else setTimeout(replace, delay).unref();
  }
}
