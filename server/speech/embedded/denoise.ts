/**
 * Noise suppression before voice activity detection and recognition: bar noise makes the
 * endpointer hold the utterance open (it hears the hiss as speech and never ends the turn) and the
 * recogniser hear drinks in the hiss. RNNoise (@echogarden/rnnoise-wasm: its model is inside the
 * WASM, nothing downloads) cleans 10 ms frames at 48 kHz; resample3.ts carries the audio there and
 * back.
 *
 * Output is the input delayed by a fixed LATENCY_SAMPLES_16K (360 = 22.5 ms): one 10 ms frame of
 * buffering (primed with zeros so every call returns as many samples as it was given), RNNoise's
 * own 10 ms overlap-add delay, 2.5 ms of resampling filters.
 *
 * Always on by default: measured with bench/denoise.ts (12 orders × 6 TTS voices, same run) it
 * does not hurt clean speech, and it is what keeps pink noise from turning into phone-loop garbage
 * (rejections) even at 30 dB SNR and from holding the endpointer open at 10 dB. 'adaptive' (RNNoise
 * only while the noise floor is above a threshold, the delayed original otherwise, cross-faded)
 * saves ~14 ms of CPU per second of audio in quiet rooms but left moderate noise undenoised.
 *
 * One WASM module per thread (loaded once, like soundswallower's); each denoiser owns one RNNoise
 * state and one frame buffer in it, freed by delete().
 */
import createRNNoise from '@echogarden/rnnoise-wasm';
import type { RNNoiseModule } from '@echogarden/rnnoise-wasm';
import { Downsampler3, ROUND_TRIP_DELAY_SAMPLES_16K, Upsampler3 } from './resample3.ts';

export interface Denoiser {
  /** 16 kHz mono s16 in, the same amount of (possibly delayed) 16 kHz mono s16 out, streaming. */
  process(pcm: Int16Array): Int16Array;
  /** Forget the stream's state (a new guest). */
  reset(): void;
  /**
   * How long RNNoise has heard no voice, up to the audio returned last (ms; 0 while it hears one,
   * and always 0 without RNNoise). Its voice probability falls within a frame or two of the end of
   * a word, well before a WebRTC-style VAD with its hangover and window.
   */
  voicelessMs(): number;
  /** The room is loud: a measured noise floor (a second of audio or more) above the gate's threshold. */
  noisyRoom(): boolean;
  /** Free its memory (worker teardown only). */
  delete(): void;
}

/** RNNoise's frame: 480 samples at 48 kHz = 160 at 16 kHz = 10 ms. */
export const FRAME_SAMPLES_48K = 480;
export const FRAME_SAMPLES_16K = FRAME_SAMPLES_48K / 3;
/** RNNoise's output lags its input by one frame (overlap-add synthesis). */
const RNNOISE_DELAY_SAMPLES_16K = FRAME_SAMPLES_16K;
/** Fixed delay of process(): frame buffering + RNNoise + resampling, in 16 kHz samples. */
export const LATENCY_SAMPLES_16K =
  FRAME_SAMPLES_16K + RNNOISE_DELAY_SAMPLES_16K + ROUND_TRIP_DELAY_SAMPLES_16K;
export const LATENCY_MS = LATENCY_SAMPLES_16K / 16;

export type DenoiseMode = 'always' | 'adaptive' | 'off';

export const defaultDenoiserOptions = {
  /**
   * Measured (bench:denoise, 12 orders × 6 voices = 72 utterances per row, off vs always in one
   * run): clean exact 50 → 53, WER 15.1 → 12.7 %; pink 15 dB exact 0 → 29, WER 98 → 34 %; pink
   * 10 dB speech end detected 0 → 72 of 72, exact 0 → 15. In an earlier run (older language model)
   * pink 30 dB exact 8 → 27, and adaptive at -55 dBFS got only 19 there: it left that noise alone.
   */
  mode: 'always' as DenoiseMode,
  /** Adaptive: denoise while the noise floor (quietest 10 ms frames of the last ~2 s) is above this. */
  adaptiveFloorDbfs: -55,
  /** Adaptive: the floor must fall this far under the threshold to switch back off (no flapping). */
  adaptiveHysteresisDb: 6,
  /** Adaptive: cross-fade between original and denoised over this long. */
  crossfadeMs: 50,
  /**
   * Share of the original added back to RNNoise's output (caps the suppression). Measured at pink
   * 15 dB, 36 utterances: 0 → 10 exact, 0.1 → 1, 0.3 → 0 (clean unchanged): full suppression it is.
   */
  dryMix: 0,
  /**
   * The gate: in a noisy room (noise floor above gateFloorDbfs) RNNoise's own voice probability
   * decides what passes. Frames it hears no voice in (below gateOpenProbability, after the hold) are
   * turned down by gateClosedGain, so the residue it leaves in bar noise is not mistaken for speech:
   * the endpointer ends the turn and the recogniser hears no words in the hiss. In a quiet room the
   * gate stays open: clean speech is passed as it is.
   */
  gate: true,
  gateFloorDbfs: -50,
  gateOpenProbability: 0.5,
  /** Stay open this long after the last frame with a voice (word endings, short stops). */
  gateHoldMs: 150,
  gateClosedGain: 0.03,
};
export type DenoiserOptions = typeof defaultDenoiserOptions;

/** Minimum statistics: frames per block, blocks remembered (4 × 0.5 s ≈ 2 s). */
const FLOOR_BLOCK_FRAMES = 50;
const FLOOR_BLOCKS = 4;

let modulePromise: Promise<RNNoiseModule> | null = null;

/** The RNNoise WASM module, loaded once per thread. */
export function loadRNNoise(): Promise<RNNoiseModule> {
  modulePromise ??= createRNNoise();
  return modulePromise;
}

export async function createDenoiser(options: Partial<DenoiserOptions> = {}): Promise<Denoiser> {
  const o = { ...defaultDenoiserOptions, ...options };
  if (o.mode === 'off')
    return {
      process: (pcm) => pcm,
      reset: () => undefined,
      voicelessMs: () => 0,
      noisyRoom: () => false,
      delete: () => undefined,
    };
  return new RnnoiseDenoiser(await loadRNNoise(), o);
}

/** A FIFO of float samples. */
class SampleQueue {
  private buf = new Float32Array(4096);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  push(samples: ArrayLike<number>, count = samples.length): void {
    if (this.end + count > this.buf.length) {
      const live = this.buf.subarray(this.start, this.end);
      const next =
        this.length + count > this.buf.length
          ? new Float32Array(2 * (this.length + count))
          : this.buf;
      next.set(live);
      this.buf = next;
      this.end -= this.start;
      this.start = 0;
    }
    for (let i = 0; i < count; i++) this.buf[this.end + i] = samples[i]!;
    this.end += count;
  }

  pushZeros(count: number): void {
    this.push(new Float32Array(count));
  }

  shift(): number {
    return this.buf[this.start++]!;
  }

  clear(): void {
    this.start = this.end = 0;
  }
}

class RnnoiseDenoiser implements Denoiser {
  private state: number;
  private framePtr: number;
  private readonly up = new Upsampler3();
  private readonly down = new Downsampler3(FRAME_SAMPLES_48K);
  private up48 = new Float32Array(3 * 1024);
  private readonly frame48 = new Float32Array(FRAME_SAMPLES_48K);
  private readonly prev48 = new Float32Array(FRAME_SAMPLES_48K);
  private frameFill = 0;
  private readonly frame16 = new Float32Array(FRAME_SAMPLES_16K);
  private readonly wet = new SampleQueue();
  private readonly dry = new SampleQueue();
  /** Noise floor tracking on the input, per 10 ms frame. */
  private energyFill = 0;
  private energySum = 0;
  private blockMin = Infinity;
  private blockFrames = 0;
  private blockMins: number[] = [];
  private denoising = false;
  private mix = 0;
  private readonly mixStep: number;
  private gain = 1;
  private holdFrames = 0;
  /** Whether RNNoise has heard a voice since the stream began. */
  private voiceSeen = false;
  /** 10 ms frames since RNNoise last heard a voice (capped). */
  private voicelessFrames = 0;
  private deleted = false;

  constructor(
    private readonly m: RNNoiseModule,
    private readonly o: DenoiserOptions,
  ) {
    this.state = m._rnnoise_create(0);
    this.framePtr = m._malloc(FRAME_SAMPLES_48K * 4);
    if (!this.state || !this.framePtr) throw new Error('rnnoise: out of WASM memory');
    this.mixStep = 1 / Math.max(1, (o.crossfadeMs * 16_000) / 1000);
    this.prime();
  }

  voicelessMs(): number {
    return this.voicelessFrames * 10;
  }

  noisyRoom(): boolean {
    return this.floorMeasured() && this.loud();
  }

  /** A floor has been measured: a second of audio or more. */
  private floorMeasured(): boolean {
    return this.blockMins.length >= 2;
  }

  /** The noise floor (as far as it is known) is above the gate's threshold. */
  private loud(): boolean {
    return this.noiseFloorDbfs() > this.o.gateFloorDbfs;
  }

  /** The noise floor in dBFS (quietest 10 ms of the last ~2 s); -Infinity before the first frame. */
  noiseFloorDbfs(): number {
    let floor = this.blockMin;
    for (const m of this.blockMins) floor = Math.min(floor, m);
    return floor === Infinity ? -Infinity : 10 * Math.log10(floor / (32768 * 32768) + 1e-20);
  }

  process(pcm: Int16Array): Int16Array {
    if (this.deleted) throw new Error('denoiser used after delete()');
    const out = new Int16Array(pcm.length);
    if (this.up48.length < 3 * pcm.length) this.up48 = new Float32Array(3 * pcm.length);
    this.up.process(pcm, this.up48);
    this.track(pcm);
    this.dry.push(pcm);
    const n48 = 3 * pcm.length;
    for (let i = 0; i < n48; ) {
      const take = Math.min(FRAME_SAMPLES_48K - this.frameFill, n48 - i);
      this.frame48.set(this.up48.subarray(i, i + take), this.frameFill);
      this.frameFill += take;
      i += take;
      if (this.frameFill === FRAME_SAMPLES_48K) this.runFrame();
    }
    const always = this.o.mode === 'always';
    for (let i = 0; i < pcm.length; i++) {
      const w = this.wet.shift();
      const d = this.dry.shift();
      let v: number;
      if (always) v = w + this.o.dryMix * d;
      else {
        const target = this.denoising ? 1 : 0;
        if (this.mix < target) this.mix = Math.min(target, this.mix + this.mixStep);
        else if (this.mix > target) this.mix = Math.max(target, this.mix - this.mixStep);
        v = this.mix * (w + this.o.dryMix * d) + (1 - this.mix) * d;
      }
      out[i] = v >= 32767 ? 32767 : v <= -32768 ? -32768 : Math.round(v);
    }
    return out;
  }

  reset(): void {
    if (this.deleted) return;
    this.m._rnnoise_destroy(this.state);
    this.state = this.m._rnnoise_create(0);
    this.up.reset();
    this.down.reset();
    this.frameFill = 0;
    this.prev48.fill(0);
    this.energyFill = this.energySum = this.blockFrames = 0;
    this.blockMin = Infinity;
    this.blockMins = [];
    this.denoising = false;
    this.mix = 0;
    this.gain = 1;
    this.holdFrames = 0;
    this.voiceSeen = false;
    this.voicelessFrames = 0;
    this.prime();
  }

  delete(): void {
    if (this.deleted) return;
    this.deleted = true;
    this.m._rnnoise_destroy(this.state);
    this.m._free(this.framePtr);
    this.state = this.framePtr = 0;
  }

  /** Zeros for the fixed latency: the wet path fills one frame at a time, the dry path is a delay line. */
  private prime(): void {
    this.wet.clear();
    this.dry.clear();
    this.wet.pushZeros(FRAME_SAMPLES_16K);
    this.dry.pushZeros(LATENCY_SAMPLES_16K);
  }

  private runFrame(): void {
    this.frameFill = 0;
    if (this.o.mode === 'adaptive' && !this.denoising && this.mix === 0) {
      // Quiet: RNNoise's output is not heard, so skip it (no CPU) and pass the audio with its delay
      // (one frame), keeping the wet path ready for a seamless cross-fade when noise comes.
      this.down.process(this.prev48, this.frame16);
    } else {
      const at = this.framePtr >>> 2;
      this.m.HEAPF32.set(this.frame48, at);
      const voice = this.m._rnnoise_process_frame(this.state, this.framePtr, this.framePtr);
      this.down.process(this.m.HEAPF32.subarray(at, at + FRAME_SAMPLES_48K), this.frame16);
      this.voicelessFrames =
        voice >= this.o.gateOpenProbability ? 0 : Math.min(this.voicelessFrames + 1, 1000);
      this.applyGate(voice);
    }
    this.prev48.set(this.frame48);
    this.wet.push(this.frame16);
  }

  /** Turn frame16 down when the room is noisy and RNNoise hears no voice (ramped: no clicks). */
  private applyGate(voice: number): void {
    if (!this.o.gate) return;
    if (voice >= this.o.gateOpenProbability) this.holdFrames = Math.round(this.o.gateHoldMs / 10);
    else if (this.holdFrames > 0) this.holdFrames--;
    // Noisy once a floor has been measured (a second of audio). Before that, a stream is taken as
    // noisy while it is loud and no voice has been heard in it yet: one that opens on a loud room is
    // gated from its first frame (ungated, RNNoise's residue while it adapts opened an utterance at
    // once, and Maya apologised to the noise), while one that opens on speech is only measured, not
    // gated, since a loud "floor" made of speech would gate the speech itself.
    if (voice >= this.o.gateOpenProbability) this.voiceSeen = true;
    const noisy = (this.floorMeasured() || !this.voiceSeen) && this.loud();
    const target = !noisy || this.holdFrames > 0 ? 1 : this.o.gateClosedGain;
    if (target === 1 && this.gain === 1) return;
    const step = (target - this.gain) / FRAME_SAMPLES_16K;
    for (let i = 0; i < FRAME_SAMPLES_16K; i++) this.frame16[i]! *= this.gain + step * (i + 1);
    this.gain = target;
  }

  /** Minimum statistics over 10 ms frame energies, and the adaptive on/off decision. */
  private track(pcm: Int16Array): void {
    for (let i = 0; i < pcm.length; i++) {
      this.energySum += pcm[i]! * pcm[i]!;
      if (++this.energyFill < FRAME_SAMPLES_16K) continue;
      const energy = this.energySum / FRAME_SAMPLES_16K;
      this.energyFill = this.energySum = 0;
      this.blockMin = Math.min(this.blockMin, energy);
      if (++this.blockFrames === FLOOR_BLOCK_FRAMES) {
        this.blockMins.push(this.blockMin);
        if (this.blockMins.length > FLOOR_BLOCKS - 1) this.blockMins.shift();
        this.blockMin = Infinity;
        this.blockFrames = 0;
      }
      const floor = this.noiseFloorDbfs();
      if (!this.denoising && floor > this.o.adaptiveFloorDbfs) this.denoising = true;
      else if (this.denoising && floor < this.o.adaptiveFloorDbfs - this.o.adaptiveHysteresisDb)
        this.denoising = false;
    }
  }
}
