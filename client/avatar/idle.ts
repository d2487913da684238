/**
 * Life between words: blinks, small glances and breathing. Time is passed in (ms), randomness is
 * injected, so the schedule is deterministic in tests.
 */
export const idleDefaults = {
  blinkMinGapMs: 2200,
  blinkMaxGapMs: 5500,
  blinkDurationMs: 150,
  /** Now and then a quick double blink. */
  doubleBlinkChance: 0.15,
  glanceMinGapMs: 1800,
  glanceMaxGapMs: 4500,
  glanceHoldMs: 700,
  /** Glance reach in gaze units (-1..1). */
  glanceReach: 0.35,
  breathPeriodMs: 4200,
} as const;

export interface IdleSample {
  /** 0 = eyes open, 1 = fully closed. */
  blink: number;
  glanceX: number;
  glanceY: number;
  /** -1..1 breathing phase (sine). */
  breath: number;
}

export class IdleMotion {
  private nextBlinkAt: number;
  private blinkStartedAt = -Infinity;
  private pendingDouble = false;
  private nextGlanceAt: number;
  private glanceUntil = -Infinity;
  private glance = { x: 0, y: 0 };

  constructor(
    private readonly random: () => number = Math.random,
    startMs = 0,
  ) {
    this.nextBlinkAt =
      startMs + this.between(idleDefaults.blinkMinGapMs, idleDefaults.blinkMaxGapMs);
    this.nextGlanceAt =
      startMs + this.between(idleDefaults.glanceMinGapMs, idleDefaults.glanceMaxGapMs);
  }

  private between(min: number, max: number): number {
    return min + (max - min) * this.random();
  }

  sample(nowMs: number): IdleSample {
    if (nowMs >= this.nextBlinkAt) {
      this.blinkStartedAt = nowMs;
      const double = !this.pendingDouble && this.random() < idleDefaults.doubleBlinkChance;
      this.pendingDouble = double;
      this.nextBlinkAt =
        nowMs +
        (double
          ? idleDefaults.blinkDurationMs + 90
          : this.between(idleDefaults.blinkMinGapMs, idleDefaults.blinkMaxGapMs));
    }
    const sinceBlink = nowMs - this.blinkStartedAt;
    // Close fast, open a little slower: a triangle skewed towards the start.
    const d = idleDefaults.blinkDurationMs;
    const blink =
      sinceBlink < 0 || sinceBlink > d
        ? 0
        : sinceBlink < d * 0.4
          ? sinceBlink / (d * 0.4)
          : 1 - (sinceBlink - d * 0.4) / (d * 0.6);

    if (nowMs >= this.nextGlanceAt) {
      const r = idleDefaults.glanceReach;
      this.glance = { x: (this.random() * 2 - 1) * r, y: (this.random() * 2 - 1) * r * 0.5 };
      this.glanceUntil = nowMs + idleDefaults.glanceHoldMs;
      this.nextGlanceAt =
        nowMs + this.between(idleDefaults.glanceMinGapMs, idleDefaults.glanceMaxGapMs);
    }
    const glancing = nowMs < this.glanceUntil;

    return {
      blink,
      glanceX: glancing ? this.glance.x : 0,
      glanceY: glancing ? this.glance.y : 0,
      breath: Math.sin((nowMs / idleDefaults.breathPeriodMs) * Math.PI * 2),
    };
  }
}
