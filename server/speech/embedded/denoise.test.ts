/**
 * The denoiser keeps the stream's shape (as many samples out as in, a fixed delay), removes noise
 * but not speech, forgets on reset and gives its WASM memory back.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATENCY_SAMPLES_16K, createDenoiser, loadRNNoise } from './denoise.ts';
import type { Denoiser, DenoiserOptions } from './denoise.ts';
import { FliteTts } from './flite.ts';

const RATE = 16_000;

/** Deterministic pink noise (Paul Kellet's filter over an LCG), scaled to `dbfs` RMS. */
function pinkNoise(n: number, dbfs: number, seed = 7): Float64Array {
  let s = seed;
  const white = () => ((s = (s * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32) * 2 - 1;
  const b = [0, 0, 0, 0, 0, 0, 0];
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = white();
    b[0] = 0.99886 * b[0]! + w * 0.0555179;
    b[1] = 0.99332 * b[1]! + w * 0.0750759;
    b[2] = 0.969 * b[2]! + w * 0.153852;
    b[3] = 0.8665 * b[3]! + w * 0.3104856;
    b[4] = 0.55 * b[4]! + w * 0.5329522;
    b[5] = -0.7616 * b[5]! - w * 0.016898;
    out[i] = b[0]! + b[1]! + b[2]! + b[3]! + b[4]! + b[5]! + b[6]! + w * 0.5362;
    b[6] = w * 0.115926;
  }
  return scaleTo(out, dbfs);
}

function tone(n: number, hz: number, dbfs: number): Float64Array {
  return Float64Array.from(
    { length: n },
    (_, i) => Math.SQRT2 * 32768 * 10 ** (dbfs / 20) * Math.sin((2 * Math.PI * hz * i) / RATE),
  );
}

function scaleTo(x: Float64Array, dbfs: number): Float64Array {
  const r = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
  return x.map((v) => (v / r) * 32768 * 10 ** (dbfs / 20));
}

const add = (a: Float64Array, b: Float64Array) => a.map((v, i) => v + (b[i] ?? 0));
const pcm = (x: Float64Array) =>
  Int16Array.from(x, (v) => Math.round(Math.max(-32768, Math.min(32767, v))));

function energyDb(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return 10 * Math.log10(s / (to - from) / 32768 ** 2 + 1e-20);
}

/** Energy left after removing the best-fitting sinusoid at `hz` (least squares). */
function energyWithoutToneDb(x: ArrayLike<number>, hz: number, from: number, to: number): number {
  let ss = 0,
    cc = 0,
    sc = 0,
    xs = 0,
    xc = 0;
  for (let i = from; i < to; i++) {
    const s = Math.sin((2 * Math.PI * hz * i) / RATE);
    const c = Math.cos((2 * Math.PI * hz * i) / RATE);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    xs += x[i]! * s;
    xc += x[i]! * c;
  }
  const det = ss * cc - sc * sc;
  const a = (xs * cc - xc * sc) / det;
  const b = (xc * ss - xs * sc) / det;
  const r = Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return (
      x[i]! -
      a * Math.sin((2 * Math.PI * hz * i) / RATE) -
      b * Math.cos((2 * Math.PI * hz * i) / RATE)
    );
  });
  return energyDb(r);
}

function run(d: Denoiser, input: Int16Array, chunk = 320): Int16Array {
  const out = new Int16Array(input.length);
  for (let i = 0; i < input.length; i += chunk) out.set(d.process(input.subarray(i, i + chunk)), i);
  return out;
}

async function withDenoiser<T>(
  options: Partial<DenoiserOptions>,
  f: (d: Denoiser) => T | Promise<T>,
): Promise<T> {
  const d = await createDenoiser(options);
  try {
    return await f(d);
  } finally {
    d.delete();
  }
}

function hasFlite(): boolean {
  try {
    execFileSync('flite', ['-lv'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A spoken order from flite (16 kHz), as float samples. */
function spokenOrder(): Float64Array {
  const wav = join(mkdtempSync(join(tmpdir(), 'denoise-test-')), 'order.wav');
  execFileSync('flite', ['-voice', 'slt', '-t', 'two tap beers and a mojito please', '-o', wav]);
  const bytes = readFileSync(wav);
  const dataAt = bytes.indexOf('data') + 8;
  const samples = new Int16Array(
    bytes.buffer.slice(
      bytes.byteOffset + dataAt,
      bytes.byteOffset + dataAt + ((bytes.length - dataAt) & ~1),
    ),
  );
  return scaleTo(Float64Array.from(samples), -20);
}

describe('denoiser', () => {
  it('returns as many samples as it is given, whatever the chunk sizes', async () => {
    for (const mode of ['always', 'adaptive'] as const)
      await withDenoiser({ mode }, (d) => {
        const input = pcm(add(pinkNoise(20_000, -30), tone(20_000, 440, -20)));
        let at = 0;
        for (const n of [1, 7, 159, 160, 161, 0, 333, 1000, 3, 4801, 2]) {
          const out = d.process(input.subarray(at, at + n));
          expect(out.length).toBe(n);
          at += n;
        }
      });
  });

  it('delays the audio by exactly LATENCY_SAMPLES_16K', async () => {
    // A rising chirp 200 Hz → 3 kHz over 1 s: no period, so one correlation peak.
    const x = Float64Array.from(
      { length: RATE },
      (_, i) => 8000 * Math.sin(2 * Math.PI * (200 * (i / RATE) + 1400 * (i / RATE) ** 2)),
    );
    const out = await withDenoiser({ mode: 'always' }, (d) => run(d, pcm(x), 256));
    let bestLag = -1;
    let best = -Infinity;
    for (let lag = 0; lag < 800; lag++) {
      let c = 0;
      for (let i = 4000; i < 12_000; i++) c += x[i]! * out[i + lag]!;
      if (c > best) [best, bestLag] = [c, lag];
    }
    expect(bestLag).toBe(LATENCY_SAMPLES_16K);
  });

  it('removes loud pink noise around a 1 kHz tone and keeps the tone', async () => {
    const n = 3 * RATE;
    const t = tone(n, 1000, -26);
    const noisy = add(t, pinkNoise(n, -24));
    const out = await withDenoiser({ mode: 'always' }, (d) => run(d, pcm(noisy)));
    const from = RATE + LATENCY_SAMPLES_16K;
    const to = n;
    const noiseIn = energyWithoutToneDb(noisy, 1000, RATE, n - LATENCY_SAMPLES_16K);
    const noiseOut = energyWithoutToneDb(out, 1000, from, to);
    expect(noiseIn - noiseOut).toBeGreaterThan(15);
    expect(Math.abs(energyDb(out, from, to) - energyDb(t))).toBeLessThan(3);
  });

  it.skipIf(!hasFlite())(
    'keeps most of the energy of speech in noise, and silences the noise between',
    async () => {
      const speech = spokenOrder();
      const lead = RATE;
      const n = lead + speech.length + RATE / 2;
      const clean = new Float64Array(n);
      clean.set(speech, lead);
      const out = await withDenoiser({ mode: 'always' }, (d) =>
        run(d, pcm(add(clean, pinkNoise(n, -35)))),
      );
      const L = LATENCY_SAMPLES_16K;
      const speechIn = energyDb(clean, lead, lead + speech.length);
      const speechOut = energyDb(out, lead + L, lead + L + speech.length);
      expect(speechOut).toBeGreaterThan(speechIn - 2);
      expect(speechOut).toBeLessThan(speechIn + 1);
      expect(energyDb(out, RATE / 4 + L, lead - RATE / 10 + L)).toBeLessThan(-35 - 20);
    },
  );

  it('forgets everything on reset()', async () => {
    const first = pcm(add(pinkNoise(RATE, -25, 3), tone(RATE, 300, -15)));
    const second = pcm(add(pinkNoise(RATE, -30, 11), tone(RATE, 1200, -20)));
    const fresh = await withDenoiser({ mode: 'adaptive' }, (d) => run(d, second, 480));
    const reused = await withDenoiser({ mode: 'adaptive' }, (d) => {
      run(d, first, 333);
      d.process(first.subarray(0, 77)); // leave a partial frame and a half-decided floor behind
      d.reset();
      return run(d, second, 480);
    });
    expect(reused).toEqual(fresh);
  });

  it('adaptive: passes quiet audio untouched (only delayed) and denoises in noise', async () => {
    // Tone bursts (200 ms on, 200 ms off, starting off) over a -75 dBFS floor: a quiet room.
    const bursts = tone(2 * RATE, 500, -20).map((v, i) => (Math.floor(i / 3200) % 2 ? v : 0));
    const quiet = pcm(add(bursts, pinkNoise(2 * RATE, -75)));
    const out = await withDenoiser({ mode: 'adaptive' }, (d) => run(d, quiet));
    expect(out.subarray(LATENCY_SAMPLES_16K)).toEqual(
      quiet.subarray(0, 2 * RATE - LATENCY_SAMPLES_16K),
    );
    const noisy = pcm(add(bursts, pinkNoise(2 * RATE, -30)));
    const cleaned = await withDenoiser({ mode: 'adaptive' }, (d) => run(d, noisy));
    const L = LATENCY_SAMPLES_16K;
    // The gaps from 1 s on (the noise alone): well down.
    expect(
      energyDb(noisy, RATE + 400, RATE + 3000) - energyDb(cleaned, RATE + 400 + L, RATE + 3000 + L),
    ).toBeGreaterThan(20);
  });

  it('gives its WASM memory back: many create/reset/delete cycles do not grow the heap', async () => {
    const m = await loadRNNoise();
    const audio = pcm(pinkNoise(960, -30));
    // A 1 MB block comes from the top of the heap: if any state or buffer leaked, it moves.
    const topOfHeap = () => {
      const p = m._malloc(1 << 20);
      m._free(p);
      return p;
    };
    const cycles = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const d = await createDenoiser({ mode: 'always' });
        d.process(audio);
        d.reset();
        d.process(audio);
        d.delete();
      }
    };
    await cycles(10);
    const [heapBefore, topBefore] = [m.HEAPU8.length, topOfHeap()];
    await cycles(200);
    expect(m.HEAPU8.length).toBe(heapBefore);
    expect(topOfHeap()).toBe(topBefore);
  }, 60_000);
});

describe('the voice gate in a noisy room', () => {
  /** Maya's own engine speaks the order (always installed, unlike the flite command). */
  async function speechAt(dbfs: number): Promise<Float64Array> {
    const tts = new FliteTts({ workers: 1 });
    try {
      const c = await tts.synthesizeOnce('could I get two tap beers and a mojito please');
      return scaleTo(Float64Array.from(c.pcm), dbfs);
    } finally {
      await tts.close();
    }
  }

  it('turns the noise between words and after the speech down, and lets the speech through', async () => {
    const speech = await speechAt(-20);
    const lead = Math.round(1.5 * RATE);
    const n = lead + speech.length + RATE;
    const clean = new Float64Array(n);
    clean.set(speech, lead);
    const noisy = pcm(add(clean, pinkNoise(n, -35)));
    const run = async (gate: boolean) => {
      const d = await createDenoiser({ gate });
      const out = d.process(noisy);
      d.delete();
      return out;
    };
    const [gated, open] = [await run(true), await run(false)];
    const L = LATENCY_SAMPLES_16K;
    const tail = [lead + speech.length + L + RATE / 2, n] as const;
    // After the speech (and the gate's hold), what RNNoise left of the noise is turned down by ~30 dB.
    expect(energyDb(gated, ...tail)).toBeLessThan(energyDb(open, ...tail) - 20);
    // The speech itself keeps its energy (within 2 dB of RNNoise without the gate).
    const words = [lead + L, lead + L + speech.length] as const;
    expect(Math.abs(energyDb(gated, ...words) - energyDb(open, ...words))).toBeLessThan(2);
  }, 30_000);

  it('closes at once on a stream that opens on a loud room, and still waits for a floor when it opens on speech', async () => {
    const n = RATE;
    const room = pcm(pinkNoise(n, -35));
    // In 20 ms frames, as a microphone streams it (the floor is tracked as audio arrives).
    const run = async (gate: boolean, audio: Int16Array) => {
      const d = await createDenoiser({ gate });
      const out = new Int16Array(audio.length);
      for (let i = 0; i < audio.length; i += 320) out.set(d.process(audio.subarray(i, i + 320)), i);
      d.delete();
      return out;
    };
    // The first 0.9 s of a room with no voice: turned down well before a floor is measured (1 s).
    const early = [0, Math.round(0.9 * RATE)] as const;
    expect(energyDb(await run(true, room), ...early)).toBeLessThan(
      energyDb(await run(false, room), ...early) - 20,
    );
    // Speech from the first moment: nothing is turned down before the floor is known.
    const speech = await speechAt(-20);
    const opensOnSpeech = pcm(add(speech, pinkNoise(speech.length, -35)));
    const first = [0, Math.round(0.9 * RATE)] as const;
    expect(
      Math.abs(
        energyDb(await run(true, opensOnSpeech), ...first) -
          energyDb(await run(false, opensOnSpeech), ...first),
      ),
    ).toBeLessThan(1);
  }, 30_000);

  it('stays open in a quiet room, whatever RNNoise thinks of the audio', async () => {
    const speech = await speechAt(-20);
    const n = RATE + speech.length + RATE;
    const clean = new Float64Array(n);
    clean.set(speech, RATE);
    const quiet = pcm(add(clean, pinkNoise(n, -70)));
    const d = await createDenoiser({ gate: true });
    const gated = d.process(quiet);
    d.delete();
    const e = await createDenoiser({ gate: false });
    const open = e.process(quiet);
    e.delete();
    expect(Array.from(gated)).toEqual(Array.from(open));
  }, 30_000);
});
