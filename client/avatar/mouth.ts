/**
 * The mouth outline as two curves (upper and lower lip edge) sampled at fixed points, so the
 * geometry keeps its topology and is updated in place every frame (no allocation per frame).
 * Pure maths here; scene.ts copies the numbers into three.js buffers.
 */
export const MOUTH_POINTS = 17;

export interface MouthParams {
  /** Full width in scene units. */
  width: number;
  /** + corners up (smile), - corners down (frown). */
  smile: number;
  /** 0..1 jaw opening. */
  open: number;
  /** + right corner up. */
  skew: number;
}

export const mouthDims = {
  cornerLift: 0.02,
  skewLift: 0.01,
  upperLipRise: 0.012,
  jawDrop: 0.055,
  lipThickness: 0.0075,
  /** Closed lips still show as a line this thick. */
  minGap: 0.0018,
  teethDepth: 0.012,
} as const;

export interface MouthCurves {
  /** y of the inner upper edge, inner lower edge, outer upper lip edge, outer lower lip edge, teeth bottom; x shared. */
  x: Float32Array;
  innerUpper: Float32Array;
  innerLower: Float32Array;
  outerUpper: Float32Array;
  outerLower: Float32Array;
  teethLower: Float32Array;
}

export function createMouthCurves(): MouthCurves {
  const n = MOUTH_POINTS;
  return {
    x: new Float32Array(n),
    innerUpper: new Float32Array(n),
    innerLower: new Float32Array(n),
    outerUpper: new Float32Array(n),
    outerLower: new Float32Array(n),
    teethLower: new Float32Array(n),
  };
}

/** Fill `out` for the given params; returns it. */
export function computeMouthCurves(
  p: MouthParams,
  out: MouthCurves = createMouthCurves(),
): MouthCurves {
  const n = MOUTH_POINTS;
  const open = Math.min(1, Math.max(0, p.open));
  for (let i = 0; i < n; i++) {
    const u = -1 + (2 * i) / (n - 1);
    const bulge = 1 - u * u;
    const corner = p.smile * mouthDims.cornerLift * u * u + p.skew * mouthDims.skewLift * u;
    // A smile deepens the lower lip's curve a little even when closed.
    const smileSag = Math.max(0, p.smile) * 0.006 * bulge;
    const upper =
      corner + open * mouthDims.upperLipRise * bulge + mouthDims.minGap * 0.5 * Math.sqrt(bulge);
    const lower =
      corner -
      smileSag -
      open * mouthDims.jawDrop * Math.pow(bulge, 0.8) -
      mouthDims.minGap * 0.5 * Math.sqrt(bulge);
    out.x[i] = (u * p.width) / 2;
    out.innerUpper[i] = upper;
    out.innerLower[i] = lower;
    out.outerUpper[i] = upper + mouthDims.lipThickness * Math.sqrt(bulge) * 0.9;
    out.outerLower[i] = lower - mouthDims.lipThickness * Math.sqrt(bulge) * 1.25;
    // Teeth show only once the lips part: never a white line on a closed mouth.
    out.teethLower[i] =
      upper -
      Math.min((upper - lower) * 0.45, mouthDims.teethDepth * bulge * Math.min(1, open * 4));
  }
  return out;
}
