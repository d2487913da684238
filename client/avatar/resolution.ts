/**
 * Adaptive resolution: frame rate first. Once a second it looks at the median frame interval; while
 * frames are slow (software GL, a weak GPU, a busy machine) the canvas renders fewer pixels, and when
 * frames keep up with the display again it wins the sharpness back, a bounded number of times.
 */
import { FrameStats } from './frameStats.ts';

export const resolutionDefaults = {
  /** Below this frame rate the canvas renders fewer pixels. */
  targetFrameMs: 1000 / 45,
  minPixelRatio: 0.5,
  pixelRatioStep: 0.8,
  /**
   * Step back up when frames keep up with a 60 Hz display for `recoverAfterWindows` windows in a row;
   * at most `maxRecoveries` times, so a machine on the edge does not flip-flop.
   */
  recoverBelowFrameMs: 1000 / 58,
  recoverAfterWindows: 3,
  maxRecoveries: 3,
  /** One decision per this much time, and only with at least `minFrames` frames seen. */
  windowMs: 1000,
  minFrames: 10,
} as const;

export class ResolutionGovernor {
  private readonly window = new FrameStats();
  private windowStart: number | null = null;
  private fastWindows = 0;
  private recoveries = 0;
  ratio: number;

  /** `pinned`: a fixed ratio that never changes (screenshots, pixel-comparing tests). */
  constructor(
    private readonly maxRatio: number,
    private readonly pinned: number | null = null,
  ) {
    this.ratio = pinned ?? maxRatio;
  }

  /** Record a frame; true when the ratio changed (the caller resizes the canvas). */
  onFrame(nowMs: number): boolean {
    this.window.record(nowMs, 0);
    this.windowStart ??= nowMs;
    if (this.pinned !== null || nowMs - this.windowStart < resolutionDefaults.windowMs)
      return false;
    const { frames, medianFrameMs } = this.window.summary();
    if (frames < resolutionDefaults.minFrames) return false;
    this.window.reset();
    this.window.record(nowMs, 0);
    this.windowStart = nowMs;
    const d = resolutionDefaults;
    // The median ignores the one long frame of shader compilation at start.
    if (medianFrameMs > d.targetFrameMs && this.ratio > d.minPixelRatio) {
      this.ratio = Math.max(d.minPixelRatio, this.ratio * d.pixelRatioStep);
      this.fastWindows = 0;
      return true;
    }
    if (
      medianFrameMs < d.recoverBelowFrameMs &&
      this.ratio < this.maxRatio &&
      this.recoveries < d.maxRecoveries
    ) {
      if (++this.fastWindows >= d.recoverAfterWindows) {
        this.ratio = Math.min(this.maxRatio, this.ratio / d.pixelRatioStep);
        this.fastWindows = 0;
        this.recoveries++;
        return true;
      }
      return false;
    }
    this.fastWindows = 0;
    return false;
  }
}
