/**
 * Echo guard behind the browser's echo cancellation: does the microphone's loudness contour follow
 * the contour of the reply audio Maya is playing (at some delay)? Then what the recogniser hears is
 * most likely her own voice from the speaker, not the guest. Works on 10 ms RMS envelopes, so it
 * costs next to nothing and survives the filtering an echo canceller leaves behind.
 */
const SLOT_MS = 10;
/** The microphone clock follows the samples until it strays this far from the wall clock. */
const MIC_RESYNC_MS = 300;

export const defaultEchoOptions = {
  sampleRate: 16_000,
  /**
   * How much recent microphone audio is compared. Shorter windows match unrelated speech too
   * often: with 600 ms and 1 s of lags, random syllable patterns reached 0.6–0.9; with 1 s and
   * 600 ms of lags, at most 0.68 (echo.test.ts).
   */
  windowMs: 1000,
  /** Delays searched between sending reply audio and hearing it back (negative: clock skew). */
  minLagMs: -100,
  maxLagMs: 500,
  /** Correlation above this means echo. */
  threshold: 0.8,
};
export type EchoOptions = typeof defaultEchoOptions;

export class EchoDetector {
  private readonly options: EchoOptions;
  private readonly reference = new Map<number, number>();
  private readonly mic = new Map<number, number>();
  private lastMicSlot = 0;
  /** Where the microphone's sample clock stands (wall ms of the end of the last frame). */
  private micClockMs = -Infinity;

  constructor(
    private readonly t0Ms: number,
    options: Partial<EchoOptions> = {},
  ) {
    this.options = { ...defaultEchoOptions, ...options };
  }

  get threshold(): number {
    return this.options.threshold;
  }

  /** Reply audio that starts playing at wall time `startMs`. */
  played(pcm: Int16Array, startMs: number): void {
    this.addEnvelope(this.reference, pcm, startMs);
  }

  /**
   * Microphone audio that arrived at wall time `endMs`. Frames are placed on the microphone's own
   * sample clock, re-anchored to the wall clock only after a gap: frames that a busy event loop
   * handles in a burst would otherwise pile onto a few slots and hide an echo's contour.
   */
  heard(pcm: Int16Array, endMs: number): void {
    const durationMs = (pcm.length / this.options.sampleRate) * 1000;
    const onClock = this.micClockMs + durationMs;
    this.micClockMs = Math.abs(onClock - endMs) > MIC_RESYNC_MS ? endMs : onClock;
    this.lastMicSlot = this.addEnvelope(this.mic, pcm, this.micClockMs - durationMs);
  }

  /** Does the latest microphone audio look like a delayed copy of the reply audio? */
  isEcho(): boolean {
    return this.bestCorrelation() > this.options.threshold;
  }

  /** The highest correlation between the latest microphone window and the reply at any lag. */
  bestCorrelation(): number {
    const { windowMs, minLagMs, maxLagMs } = this.options;
    const n = Math.round(windowMs / SLOT_MS);
    const end = this.lastMicSlot;
    const mic = Array.from({ length: n }, (_, i) => this.mic.get(end - n + 1 + i) ?? 0);
    let best = 0;
    for (let lag = Math.round(minLagMs / SLOT_MS); lag <= Math.round(maxLagMs / SLOT_MS); lag++) {
      const ref = mic.map((_, i) => this.reference.get(end - n + 1 + i - lag) ?? 0);
      best = Math.max(best, correlation(mic, ref));
    }
    return best;
  }

  /** Forget envelopes older than anything `isEcho` can look at. */
  prune(nowMs: number): void {
    const oldest = Math.floor(
      (nowMs - this.t0Ms - this.options.windowMs - this.options.maxLagMs - 1000) / SLOT_MS,
    );
    for (const map of [this.reference, this.mic])
      for (const k of map.keys()) if (k < oldest) map.delete(k);
  }

  private addEnvelope(into: Map<number, number>, pcm: Int16Array, startMs: number): number {
    const per = (this.options.sampleRate * SLOT_MS) / 1000;
    const first = Math.round((startMs - this.t0Ms) / SLOT_MS);
    let slot = first;
    for (let at = 0; at + per <= pcm.length; at += per, slot++) {
      let sum = 0;
      for (let i = at; i < at + per; i++) sum += pcm[i]! * pcm[i]!;
      into.set(slot, Math.sqrt(sum / per));
    }
    return slot - 1;
  }
}

function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    cov += da * db;
    va += da * da;
    vb += db * db;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}
