/** Frame timing of the avatar loop: intervals between frames and the time spent in update + render. */
export const frameStatsDefaults = { windowFrames: 600 } as const;

export interface FrameSummary {
  frames: number;
  meanFrameMs: number;
  medianFrameMs: number;
  p95FrameMs: number;
  meanWorkMs: number;
  fps: number;
}

export class FrameStats {
  private intervals: number[] = [];
  private work: number[] = [];
  private lastAt: number | null = null;

  constructor(private readonly windowFrames: number = frameStatsDefaults.windowFrames) {}

  record(nowMs: number, workMs: number): void {
    if (this.lastAt !== null) this.push(this.intervals, nowMs - this.lastAt);
    this.lastAt = nowMs;
    this.push(this.work, workMs);
  }

  private push(list: number[], v: number): void {
    list.push(v);
    if (list.length > this.windowFrames) list.shift();
  }

  reset(): void {
    this.intervals = [];
    this.work = [];
    this.lastAt = null;
  }

  summary(): FrameSummary {
    const mean = (a: number[]) => (a.length ? a.reduce((s, v) => s + v, 0) / a.length : 0);
    const sorted = [...this.intervals].sort((a, b) => a - b);
    const meanFrameMs = mean(this.intervals);
    return {
      frames: this.intervals.length,
      meanFrameMs,
      medianFrameMs: sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0,
      p95FrameMs: sorted.length
        ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!
        : 0,
      meanWorkMs: mean(this.work),
      fps: meanFrameMs > 0 ? 1000 / meanFrameMs : 0,
    };
  }
}
