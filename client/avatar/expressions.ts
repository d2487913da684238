/**
 * Maya's face as numbers: each emotion is a target set of expression parameters, and the face moves
 * towards its target by critically damped easing, so a change of emotion never snaps.
 * Pure (no three.js) so it is unit-tested on its own.
 */
import type { Emotion } from '../../shared/domain.ts';

export interface Expression {
  /** Brow height, -1 (lowered) .. 1 (raised). */
  browLift: number;
  /** Inner brow ends: + raised inside (worried/pleading), - pulled down inside (angry). */
  browInner: number;
  /** Extra lift of the right brow only (a sceptical/thinking brow). */
  browAsym: number;
  /** Eye opening 0 (shut) .. 1.2 (wide). */
  eyeOpen: number;
  /** Gaze direction, -1..1 each way (+x = Maya's left on screen right, +y = up). */
  gazeX: number;
  gazeY: number;
  /** Mouth corners: + smile, - frown. */
  smile: number;
  /** Resting mouth opening (speech adds to it). */
  mouthOpen: number;
  /** Mouth width factor around 1. */
  mouthWidth: number;
  /** Lopsided mouth: + pulls the right corner up. */
  mouthSkew: number;
  /** Cheek blush 0..1. */
  blush: number;
  /** Head roll (tilt, radians) and pitch (+ nods down). */
  headTilt: number;
  headPitch: number;
  /** Head yaw (radians, + turns to Maya's left). */
  headTurn: number;
  /** The shaker in hand, 0 (out of frame) .. 1 (shaking beside the shoulder). */
  shaker: number;
}

export const EXPRESSION_KEYS = [
  'browLift',
  'browInner',
  'browAsym',
  'eyeOpen',
  'gazeX',
  'gazeY',
  'smile',
  'mouthOpen',
  'mouthWidth',
  'mouthSkew',
  'blush',
  'headTilt',
  'headPitch',
  'headTurn',
  'shaker',
] as const satisfies readonly (keyof Expression)[];

const base: Expression = {
  browLift: 0,
  browInner: 0,
  browAsym: 0,
  eyeOpen: 1,
  gazeX: 0,
  gazeY: 0,
  smile: 0.25,
  mouthOpen: 0,
  mouthWidth: 1,
  mouthSkew: 0,
  blush: 0,
  headTilt: 0,
  headPitch: 0,
  headTurn: 0,
  shaker: 0,
};

/** DOMAIN.md "Emotions": each one readable at a glance from across the bar. */
export const EXPRESSIONS: Record<Emotion, Expression> = {
  neutral: { ...base },
  happy: {
    ...base,
    browLift: 0.45,
    eyeOpen: 0.8,
    smile: 1,
    mouthOpen: 0.22,
    mouthWidth: 1.18,
    blush: 0.25,
    headTilt: 0.06,
  },
  flustered: {
    ...base,
    browLift: 0.35,
    browInner: 0.9,
    eyeOpen: 1.05,
    gazeX: -0.7,
    gazeY: -0.45,
    smile: 0.35,
    mouthWidth: 0.72,
    mouthSkew: -0.5,
    blush: 1,
    headTilt: -0.12,
    headPitch: 0.12,
    headTurn: -0.18,
  },
  thinking: {
    ...base,
    browLift: 0.1,
    browInner: -0.2,
    browAsym: 0.9,
    eyeOpen: 0.9,
    gazeX: 0.7,
    gazeY: 0.8,
    smile: -0.05,
    mouthWidth: 0.78,
    mouthSkew: 0.8,
    headTilt: 0.14,
    headPitch: -0.08,
    headTurn: 0.1,
  },
  mixing: {
    ...base,
    browLift: 0.2,
    eyeOpen: 0.85,
    gazeX: 0.55,
    gazeY: -0.35,
    smile: 0.7,
    mouthWidth: 1.05,
    headTilt: 0.05,
    headTurn: 0.16,
    shaker: 1,
  },
  upset: {
    ...base,
    browLift: -0.55,
    browInner: -1,
    eyeOpen: 0.72,
    smile: -0.9,
    mouthWidth: 0.9,
    headPitch: 0.1,
    headTilt: -0.03,
  },
};

export const expressionDefaults = {
  /** Time constant of the easing between expressions: ~95 % of the way after 3 of them. */
  transitionTauMs: 140,
  /** With prefers-reduced-motion: quicker, but still not a one-frame snap. */
  reducedMotionTauMs: 60,
} as const;

export function copyExpression(e: Expression): Expression {
  return { ...e };
}

/** Move `current` towards `target` in place, frame-rate independent (exponential approach). */
export function approachExpression(
  current: Expression,
  target: Expression,
  dtMs: number,
  tauMs: number = expressionDefaults.transitionTauMs,
): Expression {
  const k = tauMs <= 0 ? 1 : 1 - Math.exp(-Math.max(0, dtMs) / tauMs);
  for (const key of EXPRESSION_KEYS) current[key] += (target[key] - current[key]) * k;
  return current;
}

/** Largest single-parameter difference: used by tests to show every pair of emotions is distinct. */
export function expressionDistance(a: Expression, b: Expression): number {
  let max = 0;
  for (const key of EXPRESSION_KEYS) max = Math.max(max, Math.abs(a[key] - b[key]));
  return max;
}
