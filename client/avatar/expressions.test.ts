import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../shared/domain.ts';
import {
  EXPRESSIONS,
  approachExpression,
  copyExpression,
  expressionDefaults,
  expressionDistance,
} from './expressions.ts';

describe('expressions', () => {
  it('gives every pair of emotions a clearly different face', () => {
    for (const a of EMOTIONS) {
      for (const b of EMOTIONS) {
        if (a !== b)
          expect(
            expressionDistance(EXPRESSIONS[a], EXPRESSIONS[b]),
            `${a} vs ${b}`,
          ).toBeGreaterThanOrEqual(0.3);
      }
    }
  });

  it('only "mixing" brings out the shaker', () => {
    for (const e of EMOTIONS) expect(EXPRESSIONS[e].shaker > 0).toBe(e === 'mixing');
  });

  it('moves towards a new emotion gradually, never in one 60 fps frame', () => {
    const face = copyExpression(EXPRESSIONS.neutral);
    const target = EXPRESSIONS.upset;
    const before = expressionDistance(face, target);
    approachExpression(face, target, 1000 / 60);
    const after = expressionDistance(face, target);
    expect(after).toBeLessThan(before);
    expect(after).toBeGreaterThan(before * 0.8); // at most ~11 % of the way in one frame
  });

  it('arrives within half a second and is frame-rate independent', () => {
    const at60 = copyExpression(EXPRESSIONS.neutral);
    const at30 = copyExpression(EXPRESSIONS.neutral);
    for (let i = 0; i < 30; i++) approachExpression(at60, EXPRESSIONS.happy, 1000 / 60);
    for (let i = 0; i < 15; i++) approachExpression(at30, EXPRESSIONS.happy, 1000 / 30);
    expect(expressionDistance(at60, EXPRESSIONS.happy)).toBeLessThan(0.05);
    expect(expressionDistance(at60, at30)).toBeLessThan(1e-9);
  });

  it('is quicker, but still not a snap, with reduced motion', () => {
    const face = copyExpression(EXPRESSIONS.neutral);
    approachExpression(face, EXPRESSIONS.happy, 1000 / 60, expressionDefaults.reducedMotionTauMs);
    const d = expressionDistance(face, EXPRESSIONS.happy);
    expect(d).toBeGreaterThan(0.1);
    expect(d).toBeLessThan(expressionDistance(EXPRESSIONS.neutral, EXPRESSIONS.happy));
  });
});
