import { describe, expect, it } from 'vitest';
import { ResolutionGovernor, resolutionDefaults } from './resolution.ts';

/** Feed frames at a fixed interval for `seconds`; returns the time reached. */
function run(gov: ResolutionGovernor, frameMs: number, seconds: number, start = 0): number {
  let t = start;
  for (; t < start + seconds * 1000; t += frameMs) gov.onFrame(t);
  return t;
}

describe('adaptive resolution', () => {
  it('renders fewer pixels while frames are slow, down to the floor', () => {
    const gov = new ResolutionGovernor(1.5);
    run(gov, 50, 2.5);
    expect(gov.ratio).toBeLessThan(1.5);
    expect(gov.ratio).toBeGreaterThan(resolutionDefaults.minPixelRatio);
    run(gov, 50, 30, 2500);
    expect(gov.ratio).toBe(resolutionDefaults.minPixelRatio);
  });

  it('keeps full resolution at 60 fps', () => {
    const gov = new ResolutionGovernor(1.5);
    run(gov, 1000 / 60, 20);
    expect(gov.ratio).toBe(1.5);
  });

  it('wins sharpness back when frames keep up again, a bounded number of times', () => {
    const gov = new ResolutionGovernor(1);
    let t = run(gov, 50, 3.1); // past the third decision at 3 s
    const low = gov.ratio;
    expect(low).toBeLessThan(1);
    t = run(gov, 1000 / 60, 5, t);
    expect(gov.ratio).toBeGreaterThan(low);
    // A machine on the edge, slow and fast in turns: the ratio goes back up at most maxRecoveries times.
    let ups = 1;
    for (let i = 0; i < 10; i++) {
      for (const frameMs of [50, 1000 / 60]) {
        const end = t + (frameMs === 50 ? 1500 : 5000);
        for (; t < end; t += frameMs) {
          const before = gov.ratio;
          if (gov.onFrame(t) && gov.ratio > before) ups++;
        }
      }
    }
    expect(ups).toBe(resolutionDefaults.maxRecoveries);
  });

  it('never changes a pinned ratio', () => {
    const gov = new ResolutionGovernor(1.5, 1);
    run(gov, 100, 10);
    expect(gov.ratio).toBe(1);
  });
});
