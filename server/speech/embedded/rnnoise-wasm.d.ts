/**
 * Types for @echogarden/rnnoise-wasm (RNNoise compiled by Emscripten, model weights inside the
 * WASM; the package ships no types). Only what denoise.ts uses.
 */
declare module '@echogarden/rnnoise-wasm' {
  export interface RNNoiseModule {
    /** 480: samples per frame at 48 kHz. */
    _rnnoise_get_frame_size(): number;
    /** A new denoiser state; model pointer 0 = the built-in model. */
    _rnnoise_create(modelPtr: number): number;
    _rnnoise_destroy(statePtr: number): void;
    /** Denoise one frame (floats on the int16 scale) in place or out of place; returns the voice probability 0..1. */
    _rnnoise_process_frame(statePtr: number, outPtr: number, inPtr: number): number;
    _malloc(bytes: number): number;
    _free(ptr: number): void;
    /** Replaced when the memory grows: read it afresh after every allocation. */
    HEAPF32: Float32Array;
    HEAPU8: Uint8Array;
  }
  const createRNNoise: (moduleArg?: Record<string, unknown>) => Promise<RNNoiseModule>;
  export default createRNNoise;
}
