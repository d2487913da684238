/**
 * Streaming 16 kHz ⇄ 48 kHz conversion for the denoiser: RNNoise only works at 48 kHz, the speech
 * path runs at 16 kHz. One linear-phase Kaiser-windowed-sinc low-pass (121 taps at 48 kHz) serves
 * both directions as a polyphase interpolator (×3) and decimator (÷3, folded: the taps are
 * symmetric). Each direction delays by 60 samples at 48 kHz (1.25 ms), so a round trip is exactly
 * 40 samples at 16 kHz (2.5 ms).
 *
 * Flat to ~6.5 kHz (the recogniser's filterbank stops at 6.8 kHz); from ~8.1 kHz up (images and
 * aliases) ~60 dB down. More taps cost CPU per stream for bands the recogniser ignores.
 */
export const RATIO = 3;
export const FIR_TAPS = 121;
export const FIR_CUTOFF_HZ = 7_300;
export const FIR_KAISER_BETA = 5.7;
const RATE_48K_HZ = 48_000;
/** Round-trip delay (up then down) in 16 kHz samples. */
export const ROUND_TRIP_DELAY_SAMPLES_16K = (FIR_TAPS - 1) / RATIO;

/** The low-pass at 48 kHz, unit DC gain. */
export function lowPass(
  taps = FIR_TAPS,
  cutoffHz = FIR_CUTOFF_HZ,
  beta = FIR_KAISER_BETA,
): Float64Array {
  const h = new Float64Array(taps);
  const mid = (taps - 1) / 2;
  const fc = cutoffHz / RATE_48K_HZ;
  let sum = 0;
  for (let i = 0; i < taps; i++) {
    const t = i - mid;
    const sinc = t === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
    const r = t / mid;
    h[i] = sinc * (besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / besselI0(beta));
    sum += h[i]!;
  }
  for (let i = 0; i < taps; i++) h[i]! /= sum;
  return h;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

const H = lowPass();
/** Polyphase branches for the interpolator: PHASES[p][i] = 3·h[p + 3i]. */
const PHASES: Float64Array[] = [0, 1, 2].map((p) => {
  const n = Math.ceil((FIR_TAPS - p) / RATIO);
  return Float64Array.from({ length: n }, (_, i) => RATIO * H[p + RATIO * i]!);
});
const UP_HISTORY = PHASES[0]!.length - 1;
const DOWN_HISTORY = FIR_TAPS - 1;
const LAST = FIR_TAPS - 1;
const MID = LAST / 2;

/** ×3: 16 kHz in, three times as many 48 kHz samples out (delayed 72 samples at 48 kHz). */
export class Upsampler3 {
  private buf = new Float64Array(UP_HISTORY);

  /** Writes 3·input.length samples into out. */
  process(input: Int16Array | Float32Array, out: Float32Array): void {
    const buf = this.ensure(UP_HISTORY + input.length);
    for (let j = 0; j < input.length; j++) buf[UP_HISTORY + j] = input[j]!;
    for (let j = 0; j < input.length; j++) {
      const at = UP_HISTORY + j;
      for (let p = 0; p < RATIO; p++) {
        const ph = PHASES[p]!;
        let acc = 0;
        for (let i = 0; i < ph.length; i++) acc += ph[i]! * buf[at - i]!;
        out[RATIO * j + p] = acc;
      }
    }
    buf.copyWithin(0, input.length, input.length + UP_HISTORY);
  }

  reset(): void {
    this.buf.fill(0);
  }

  private ensure(n: number): Float64Array {
    if (this.buf.length < n) {
      const b = new Float64Array(n);
      b.set(this.buf.subarray(0, UP_HISTORY));
      this.buf = b;
    }
    return this.buf;
  }
}

/** ÷3: 48 kHz in (a multiple of 3 samples per call), a third as many 16 kHz samples out. */
export class Downsampler3 {
  private buf: Float64Array;

  constructor(maxBlock48k: number) {
    this.buf = new Float64Array(DOWN_HISTORY + maxBlock48k);
  }

  /** Writes input.length / 3 samples into out. */
  process(input: Float32Array, out: Float32Array): void {
    const buf = this.buf;
    if (buf.length < DOWN_HISTORY + input.length)
      throw new RangeError('block larger than the decimator was built for');
    buf.set(input, DOWN_HISTORY);
    const outputs = input.length / RATIO;
    for (let j = 0; j < outputs; j++) {
      const at = DOWN_HISTORY + RATIO * j;
      let acc = H[MID]! * buf[at - MID]!;
      for (let k = 0; k < MID; k++) acc += H[k]! * (buf[at - k]! + buf[at - LAST + k]!);
      out[j] = acc;
    }
    buf.copyWithin(0, input.length, input.length + DOWN_HISTORY);
  }

  reset(): void {
    this.buf.fill(0);
  }
}
