/**
 * Noise suppression before voice activity detection and recognition (bar noise makes the endpointer
 * hold the utterance open and the recogniser hear drinks in the hiss).
 *
 * Interim seam: `createDenoiser` returns a pass-through until the RNNoise implementation lands.
 */
export interface Denoiser {
  /** 16 kHz mono s16 in, the same amount of (possibly delayed) 16 kHz mono s16 out, streaming. */
  process(pcm: Int16Array): Int16Array;
  /** Forget the stream's state (a new guest). */
  reset(): void;
  /** Free its memory (worker teardown only). */
  delete(): void;
}

export async function createDenoiser(): Promise<Denoiser> {
  return { process: (pcm) => pcm, reset: () => undefined, delete: () => undefined };
}
