import { describe, expect, it } from 'vitest';
import { IdleMotion, idleDefaults } from './idle.ts';

/** A repeatable pseudo-random sequence. */
function seeded(seed = 1) {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

describe('idle motion', () => {
  it('blinks every few seconds, briefly, and opens again', () => {
    const idle = new IdleMotion(seeded(7), 0);
    let blinks = 0;
    let closedMs = 0;
    let wasClosed = false;
    for (let t = 0; t <= 30_000; t += 10) {
      const { blink } = idle.sample(t);
      const closed = blink > 0.5;
      if (closed && !wasClosed) blinks++;
      if (closed) closedMs += 10;
      wasClosed = closed;
    }
    // 30 s at one blink per 2.2–5.5 s (some doubled): between 5 and 18 blinks.
    expect(blinks).toBeGreaterThanOrEqual(5);
    expect(blinks).toBeLessThanOrEqual(18);
    // Eyes are mostly open: each blink lasts ~blinkDurationMs.
    expect(closedMs).toBeLessThan(blinks * idleDefaults.blinkDurationMs);
  });

  it('glances away now and then and comes back to the guest', () => {
    const idle = new IdleMotion(seeded(3), 0);
    let away = 0;
    let centred = 0;
    for (let t = 0; t <= 20_000; t += 50) {
      const s = idle.sample(t);
      if (s.glanceX !== 0 || s.glanceY !== 0) away++;
      else centred++;
      expect(Math.abs(s.glanceX)).toBeLessThanOrEqual(idleDefaults.glanceReach);
    }
    expect(away).toBeGreaterThan(0);
    expect(centred).toBeGreaterThan(away);
  });

  it('breathes with a slow sine', () => {
    const idle = new IdleMotion(seeded(1), 0);
    expect(idle.sample(0).breath).toBeCloseTo(0);
    expect(idle.sample(idleDefaults.breathPeriodMs / 4).breath).toBeCloseTo(1);
  });
});
