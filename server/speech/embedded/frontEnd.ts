/**
 * The speech front end of one stream, run inside a speech worker: noise suppression → soundswallower's
 * Endpointer (30 ms frames) → VAD events carrying the denoised speech. Instances are pooled by the
 * worker and `reset` between sessions: soundswallower's Endpointer has no free/reset of its own, so a
 * new one per session would leak WASM memory for ever.
 */
import type { SoundSwallowerModule } from 'soundswallower';
import type { VadEvent } from '../types.ts';
import { createDenoiser } from './denoise.ts';
import type { Denoiser } from './denoise.ts';
import { SAMPLE_RATE_HZ } from './recogniser.ts';
import type { VadOptions } from './speechProtocol.ts';

type Endpointer = InstanceType<SoundSwallowerModule['Endpointer']>;

const FRAME_SEC = 0.03;
const PASS_THROUGH: Denoiser = {
  process: (pcm) => pcm,
  reset: () => undefined,
  voicelessMs: () => 0,
  noisyRoom: () => false,
  delete: () => undefined,
};
/** More than the Endpointer's look-back (window / 30 ms frames) ever holds. */
const MAX_RECENT_FRAMES = 64;
/** Silent frames fed at most to bring a reused Endpointer out of speech (6 s). */
const MAX_DRAIN_FRAMES = 200;

export class FrontEnd {
  private buffer = new Int16Array(0);
  private wasInSpeech = false;
  /** A pause was reported and no voice has come back since. */
  private paused = false;
  private ditherSeed = 1;
  /** Frames given to the Endpointer lately, to hand the recogniser the audio without the dither. */
  private recent: { original: Int16Array; sent: Float32Array; flushed?: boolean }[] = [];

  private constructor(
    private readonly ep: Endpointer,
    private readonly denoiser: Denoiser,
    private readonly frameSize: number,
    private readonly windowFrames: number,
    private readonly pauseMs: number,
  ) {}

  /**
   * `denoise: false` skips noise suppression (benches that measure the endpointer alone run a
   * FrontEnd on their own thread: `FrontEnd.create(await loadSoundSwallower(), defaultVadOptions, { denoise: false })`).
   */
  static async create(
    ss: SoundSwallowerModule,
    o: VadOptions,
    { denoise = true } = {},
  ): Promise<FrontEnd> {
    const denoiser = denoise ? await createDenoiser() : PASS_THROUGH;
    const ep = new ss.Endpointer({
      samprate: SAMPLE_RATE_HZ,
      frame_length: FRAME_SEC,
      mode: o.mode,
      window: o.windowSec,
      ratio: o.ratio,
    });
    return new FrontEnd(
      ep,
      denoiser,
      ep.get_frame_size(),
      Math.ceil(o.windowSec / FRAME_SEC),
      o.pauseMs,
    );
  }

  process(pcm: Int16Array): VadEvent[] {
    const clean = this.denoiser.process(pcm);
    const all = new Int16Array(this.buffer.length + clean.length);
    all.set(this.buffer);
    all.set(clean, this.buffer.length);
    const out: VadEvent[] = [];
    let at = 0;
    for (; at + this.frameSize <= all.length; at += this.frameSize) {
      const original = all.slice(at, at + this.frameSize);
      const sent = this.dithered(original);
      this.recent.push({ original, sent });
      if (this.recent.length > MAX_RECENT_FRAMES) this.recent.shift();
      const speech = this.ep.process(sent);
      const inSpeech = this.ep.get_in_speech();
      if (inSpeech && !this.wasInSpeech)
        out.push({
          kind: 'speech_start',
          atSec: this.ep.get_speech_start(),
          ...(this.denoiser.noisyRoom() && { noisy: true }),
        });
      const frame = speech && this.undithered(speech);
      if (frame) out.push({ kind: 'audio', pcm: frame });
      if (!inSpeech && this.wasInSpeech)
        out.push({ kind: 'speech_end', atSec: this.ep.get_speech_end() });
      this.wasInSpeech = inSpeech;
      if (!inSpeech) this.paused = false;
    }
    // A short pause by RNNoise's voice probability, while the endpointer still counts it as speech.
    if (this.wasInSpeech && this.pauseMs > 0) {
      const voiceless = this.denoiser.voicelessMs();
      if (!this.paused && voiceless >= this.pauseMs) {
        // The Endpointer still holds the last frames (its window): they go out now, before the
        // pause, so a turn that ends here is recognised to its last word; it will not repeat them.
        for (const r of this.recent.filter((x) => !x.flushed)) {
          out.push({ kind: 'audio', pcm: r.original });
          r.flushed = true;
        }
        out.push({ kind: 'pause' });
      } else if (this.paused && voiceless === 0) out.push({ kind: 'resume' });
      this.paused = voiceless >= this.pauseMs || (this.paused && voiceless > 0);
    }
    this.buffer = all.slice(at);
    return out;
  }

  /**
   * Ready for another guest: the denoiser forgets, and the Endpointer is fed dithered silence until
   * it is out of speech and its look-back holds none of the last guest's audio. False if it stuck.
   */
  reset(): boolean {
    this.denoiser.reset();
    this.buffer = new Int16Array(0);
    this.recent = [];
    const silence = new Int16Array(this.frameSize);
    let quiet = 0;
    for (let i = 0; i < MAX_DRAIN_FRAMES && quiet <= this.windowFrames + 1; i++) {
      this.ep.process(this.dithered(silence));
      quiet = this.ep.get_in_speech() ? 0 : quiet + 1;
    }
    this.wasInSpeech = false;
    this.paused = false;
    return !this.ep.get_in_speech();
  }

  delete(): void {
    this.denoiser.delete();
  }

  /**
   * The original of a frame the Endpointer gave back (the dither changes what the decoder hears);
   * null for a frame already sent out at a pause.
   */
  private undithered(speech: Float32Array): Int16Array | null {
    const i = this.recent.findIndex(
      (r) =>
        r.sent.length === speech.length &&
        r.sent.every((v, k) => k >= 16 || Math.abs(v - speech[k]!) < 4 / 32768),
    );
    if (i < 0) return toInt16(speech);
    const { original, flushed } = this.recent[i]!;
    this.recent = this.recent.slice(i + 1);
    return flushed ? null : original;
  }

  /**
   * ±3 LSB of noise for the Endpointer only: it can stay "in speech" for ever on exact digital
   * silence (seen after 16 s of synthetic speech and zeros). The recogniser gets the original
   * audio: dithered leading silence made it decode "what do you recommend" as nothing.
   */
  private dithered(frame: Int16Array): Float32Array {
    const f = new Float32Array(frame.length);
    for (let i = 0; i < frame.length; i++) {
      this.ditherSeed = (this.ditherSeed * 1_103_515_245 + 12_345) >>> 0;
      f[i] = (frame[i]! + ((this.ditherSeed >>> 16) % 7) - 3) / 32768;
    }
    return f;
  }
}

export function toFloat32(pcm: Int16Array): Float32Array {
  const f = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) f[i] = pcm[i]! / 32768;
  return f;
}

function toInt16(f: Float32Array): Int16Array {
  const pcm = new Int16Array(f.length);
  for (let i = 0; i < f.length; i++)
    pcm[i] = Math.max(-32768, Math.min(32767, Math.round(f[i]! * 32768)));
  return pcm;
}
