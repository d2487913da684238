/**
 * A speech worker thread: the whole embedded listening front end for the streams pinned to it
 * (denoise → endpointer → recogniser), off the main thread. It loads the WASM module once and keeps
 * free lists of recognisers and front ends that it reuses across utterances and sessions, never
 * freeing them: soundswallower does not give a deleted decoder's memory back, so memory is bounded by
 * the peak number of concurrent utterances (and open front ends) on this worker, not by sessions.
 *
 * Any engine exception is reported once (`engine_error`) and the worker stops serving: after a WASM
 * abort or a failed allocation the module's state is not to be trusted. The pool replaces it.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { SoundSwallowerModule } from 'soundswallower';
import { FrontEnd, toFloat32 } from './frontEnd.ts';
import {
  SAMPLE_RATE_HZ,
  adoptDomainModels,
  builtDomainModels,
  createRecogniser,
  domainModelsBuilt,
} from './recogniser.ts';
import type { Recogniser } from './recogniser.ts';
import type {
  MainToWorker,
  SpeechWorkerData,
  WorkerStats,
  WorkerToMain,
} from './speechProtocol.ts';
import { loadSoundSwallower } from './wasm.ts';

const port = parentPort;
if (!port) throw new Error('speechWorker.ts runs as a worker thread');
const data = workerData as SpeechWorkerData;
const partialIntervalSamples = (data.partialIntervalMs * SAMPLE_RATE_HZ) / 1000;
/** Audio run through a new recogniser before the worker reports ready (proves it can decode). */
const PROBE_SAMPLES = SAMPLE_RATE_HZ / 4;

interface VadChannel {
  kind: 'vad';
  queue: Promise<void>;
  fe: FrontEnd | null;
}
interface SttChannel {
  kind: 'stt';
  queue: Promise<void>;
  rec: Recogniser | null;
  samplesSincePartial: number;
  lastPartial: string;
}
type Channel = VadChannel | SttChannel;

let ss: SoundSwallowerModule | null = null;
/** The menu the recognisers must hear, and its number; each recogniser is brought up to date when it is taken. */
let menu = data.menu;
let menuNo = 0;
const menuOf = new WeakMap<Recogniser, number>();
let broken = false;
const channels = new Map<number, Channel>();
const free = { recognisers: [] as Recogniser[], frontEnds: [] as FrontEnd[] };
const made = { recognisers: 0, frontEnds: 0 };
/** Utterances waiting for a recogniser (all are in use and the cap is reached, or one is being made). */
const waiters: ((r: Recogniser) => void)[] = [];
let creating = 0;
/** Recognisers in use by an utterance right now. */
let inUse = 0;

const post = (m: WorkerToMain) => port.postMessage(m);
const message = (e: unknown) =>
  e instanceof Error
    ? e.message
    : typeof e === 'object' && e && 'message' in e
      ? String(e.message)
      : String(e);

function fail(e: unknown) {
  if (broken) return;
  broken = true;
  post({ type: 'engine_error', error: message(e) });
}

function engine(): SoundSwallowerModule {
  if (!ss) throw new Error('speech engine not loaded');
  return ss;
}

async function makeRecogniser(): Promise<Recogniser> {
  const r = await createRecogniser(engine(), data.recogniser, menu);
  menuOf.set(r, menuNo);
  made.recognisers++;
  return r;
}

async function makeFrontEnd(): Promise<FrontEnd> {
  const fe = await FrontEnd.create(engine(), data.vad);
  made.frontEnds++;
  return fe;
}

/**
 * A recogniser for an utterance: a free one, else the first of (one being released, a new one). A
 * new one takes ~300 ms of this thread's time and ~46 MB that are never given back, so new ones
 * are made only while the cap allows and there are more waiters than recognisers being made.
 */
/** A recogniser made for an older menu hears the current one (its language model is rebuilt). */
function upToDate(r: Recogniser): Recogniser {
  if (menu && menuOf.get(r) !== menuNo) {
    r.setMenu(menu);
    menuOf.set(r, menuNo);
  }
  return r;
}

function acquireRecogniser(): Promise<Recogniser> {
  inUse++;
  const r = free.recognisers.pop();
  if (r) return Promise.resolve(upToDate(r));
  const p = new Promise<Recogniser>((resolve) => waiters.push((r) => resolve(upToDate(r))));
  if (creating < waiters.length && made.recognisers + creating < data.maxRecognisers) grow();
  return p;
}

function grow() {
  creating++;
  makeRecogniser()
    .then((r) => {
      creating--;
      hand(r);
    })
    .catch((e: unknown) => {
      creating--;
      fail(e);
    });
}

/** To the longest waiting utterance, else to the free list. */
function hand(r: Recogniser) {
  const next = waiters.shift();
  if (next) next(r);
  else {
    free.recognisers.push(r);
    refill();
  }
}

function releaseRecogniser(r: Recogniser) {
  inUse--;
  hand(r);
}

/** Spares are made only while nobody is speaking on this worker (making one stalls the thread). */
function refill() {
  if (broken || creating > 0 || inUse > 0 || waiters.length > 0) return;
  if (free.recognisers.length >= data.spareRecognisers || made.recognisers >= data.maxRecognisers)
    return;
  grow();
}

const started: Promise<boolean> = (async () => {
  if (data.models) adoptDomainModels(data.models);
  ss = await loadSoundSwallower();
  const r = await makeRecogniser();
  r.start();
  r.write(new Float32Array(PROBE_SAMPLES));
  r.finish();
  free.recognisers.push(r);
  free.frontEnds.push(await makeFrontEnd());
  return true;
})().then(
  (ok) => {
    post({ type: 'ready', models: builtDomainModels() });
    refill();
    return ok;
  },
  (e: unknown) => {
    broken = true;
    post({ type: 'startup_failed', error: message(e) });
    return false;
  },
);

/** Work on one channel runs in arrival order, after start-up; an exception breaks the worker. */
function run(c: Channel, work: () => void | Promise<void>) {
  c.queue = c.queue
    .then(async () => {
      if (!broken) await work();
    })
    .catch(fail);
}

function stats(): WorkerStats {
  const heap = getHeapStatistics();
  return {
    recognisers: made.recognisers,
    freeRecognisers: free.recognisers.length,
    frontEnds: made.frontEnds,
    freeFrontEnds: free.frontEnds.length,
    channels: channels.size,
    waiting: waiters.length,
    modelsBuilt: domainModelsBuilt(),
    wasmHeapBytes: ss?.HEAP8.length ?? 0,
    jsHeapBytes: heap.used_heap_size,
    externalBytes: heap.external_memory,
  };
}

function close(ch: number, c: Channel) {
  channels.delete(ch);
  if (c.kind === 'stt') {
    const rec = c.rec;
    c.rec = null;
    if (rec) {
      rec.finish();
      releaseRecogniser(rec);
    }
  } else {
    const fe = c.fe;
    c.fe = null;
    if (fe?.reset()) free.frontEnds.push(fe);
    else if (fe) {
      // An Endpointer that would not leave speech: dropped (a few KB of WASM memory, never seen).
      fe.delete();
      made.frontEnds--;
    }
  }
  post({ type: 'closed', ch });
}

port.on('message', (m: MainToWorker) => {
  if (m.op === 'stats') return post({ type: 'stats', seq: m.seq, stats: stats() });
  if (broken) return;
  if (m.op === 'set_menu') {
    menu = m.menu;
    menuNo++;
    // Idle recognisers are updated now, so the next guest does not wait for the new model.
    void started.then(() => {
      try {
        for (const r of free.recognisers) upToDate(r);
      } catch (e) {
        fail(e);
      }
    });
    return;
  }
  if (m.op === 'vad_open' || m.op === 'stt_open') {
    const base = started.then(() => undefined);
    const c: Channel =
      m.op === 'vad_open'
        ? { kind: 'vad', queue: base, fe: null }
        : { kind: 'stt', queue: base, rec: null, samplesSincePartial: 0, lastPartial: '' };
    channels.set(m.ch, c);
    if (c.kind === 'vad')
      run(c, async () => {
        c.fe = free.frontEnds.pop() ?? (await makeFrontEnd());
      });
    return;
  }
  const c = channels.get(m.ch);
  if (!c) return;
  switch (m.op) {
    case 'vad_process':
      if (c.kind === 'vad')
        run(c, () => {
          if (c.fe) post({ type: 'vad_events', ch: m.ch, seq: m.seq, events: c.fe.process(m.pcm) });
        });
      return;
    case 'stt_write':
      if (c.kind !== 'stt') return;
      run(c, async () => {
        if (!c.rec) {
          c.rec = await acquireRecogniser();
          c.rec.start(m.context);
          c.samplesSincePartial = 0;
          c.lastPartial = '';
        }
        c.rec.write(toFloat32(m.pcm));
        c.samplesSincePartial += m.pcm.length;
        if (c.samplesSincePartial < partialIntervalSamples) return;
        c.samplesSincePartial = 0;
        const partial = c.rec.partial();
        if (partial === c.lastPartial) return;
        c.lastPartial = partial;
        post({ type: 'partial', ch: m.ch, text: partial });
      });
      return;
    case 'stt_hypothesis':
      if (c.kind !== 'stt') return;
      run(c, () => post({ type: 'hypothesis', ch: m.ch, text: c.rec?.partial() ?? '' }));
      return;
    case 'stt_peek_final':
      if (c.kind !== 'stt') return;
      run(c, () => {
        const { text, rejected } = c.rec?.peekFinish() ?? { text: '', rejected: true };
        post({ type: 'final_if_ended', ch: m.ch, text, rejected });
      });
      return;
    case 'stt_finalize':
      if (c.kind !== 'stt') return;
      run(c, () => {
        const rec = c.rec;
        c.rec = null;
        if (!rec) return post({ type: 'final', ch: m.ch, text: '', confidence: 0, rejected: true });
        const { text, confidence, rejected, alternatives } = rec.finish();
        releaseRecogniser(rec);
        post({
          type: 'final',
          ch: m.ch,
          text,
          confidence,
          rejected,
          ...(alternatives && { alternatives }),
        });
      });
      return;
    case 'close':
      run(c, () => close(m.ch, c));
      return;
  }
});
