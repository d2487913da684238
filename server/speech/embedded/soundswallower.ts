/**
 * Embedded STT and VAD: soundswallower (pocketsphinx compiled to WASM) with the 16 kHz en-us
 * acoustic model vendored in ./model/en-us-16k (CMU/Alpha Cephei, BSD-2; see its LICENSE) and the
 * CMU dictionary shipped inside the soundswallower package. Grammar-only decoding (grammar.ts).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createModule from 'soundswallower';
import type { SoundSwallowerModule } from 'soundswallower';
import type { SpeechToText, SttEvents, SttStream, Vad, VadEvent } from '../types.ts';
import { SAMPLE_RATE_HZ, createRecogniser, defaultRecogniserOptions } from './recogniser.ts';
import type { Recogniser, RecogniserOptions } from './recogniser.ts';

export { SAMPLE_RATE_HZ };

let modulePromise: Promise<SoundSwallowerModule> | null = null;

/** The WASM module, loaded once per process. */
export function loadSoundSwallower(): Promise<SoundSwallowerModule> {
  // soundswallower resolves its default model against the working directory: give it absolute paths.
  const base = dirname(fileURLToPath(import.meta.resolve('soundswallower')));
  const settings: Partial<SoundSwallowerModule> & { modelBase: string } = { modelBase: `${join(base, 'model')}/` };
  modulePromise ??= createModule(settings).then((ss) => {
    // soundswallower 0.6.3 reads each model file into a buffer of length+1 and then writes a NUL
    // one byte past its end (load_to_s3file; found by reading its code). One spare byte on every
    // JS-side allocation keeps that write inside the block.
    // (The first call replaces Module._malloc with the raw export, so resolve that before wrapping.)
    ss._free(ss._malloc(1));
    const malloc = ss._malloc;
    ss._malloc = (size: number) => malloc(size + 1);
    return ss;
  });
  return modulePromise;
}

export const defaultSttOptions = {
  ...defaultRecogniserOptions,
  /** Recognisers kept initialised ahead of new sessions (initialising one takes ~300 ms). */
  spareDecoders: 1,
  /** A partial hypothesis at most this often (a backtrace per 30 ms frame costs more than decoding). */
  partialIntervalMs: 150,
};
export type SttOptions = typeof defaultSttOptions;

async function newRecogniser(options: RecogniserOptions): Promise<Recogniser> {
  return createRecogniser(await loadSoundSwallower(), options);
}

export class SoundSwallowerStt implements SpeechToText {
  readonly name = 'soundswallower';
  private readonly options: SttOptions;
  private spares: Promise<Recogniser>[] = [];

  constructor(options: Partial<SttOptions> = {}) {
    this.options = { ...defaultSttOptions, ...options };
  }

  /** Load the module and initialise the spare decoders now rather than on the first utterance. */
  async warmUp(): Promise<void> {
    this.refill();
    await Promise.all(this.spares);
  }

  async start(events: SttEvents): Promise<SttStream> {
    this.refill();
    const recogniser = await (this.spares.shift() ?? newRecogniser(this.options));
    this.refill();
    return new SoundSwallowerStream(recogniser, events, (this.options.partialIntervalMs * SAMPLE_RATE_HZ) / 1000);
  }

  private refill() {
    while (this.spares.length < this.options.spareDecoders) {
      const p = newRecogniser(this.options);
      p.catch(() => undefined);
      this.spares.push(p);
    }
  }

  async close(): Promise<void> {
    const spares = this.spares;
    this.spares = [];
    for (const d of await Promise.allSettled(spares)) if (d.status === 'fulfilled') d.value.delete();
  }
}

class SoundSwallowerStream implements SttStream {
  private inUtterance = false;
  private lastPartial = '';
  private closed = false;
  private samplesSincePartial = 0;

  constructor(private readonly recogniser: Recogniser, private readonly events: SttEvents, private readonly partialIntervalSamples: number) {}

  write(pcm: Int16Array): void {
    if (this.closed) return;
    try {
      if (!this.inUtterance) {
        this.recogniser.start();
        this.inUtterance = true;
        this.lastPartial = '';
        this.samplesSincePartial = 0;
      }
      this.recogniser.write(toFloat32(pcm));
      this.samplesSincePartial += pcm.length;
      if (this.samplesSincePartial < this.partialIntervalSamples) return;
      this.samplesSincePartial = 0;
      const partial = this.recogniser.partial();
      if (partial !== this.lastPartial) {
        this.lastPartial = partial;
        this.events.onPartial(partial);
      }
    } catch (e) {
      this.events.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  finalize(): void {
    if (this.closed || !this.inUtterance) return;
    this.inUtterance = false;
    try {
      const { text, confidence, rejected } = this.recogniser.finish();
      this.events.onFinal(text, { confidence, rejected });
    } catch (e) {
      this.events.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.recogniser.delete();
  }
}

export const defaultVadOptions = {
  /** Endpointer window: speech ends after this much audio that is mostly not speech (0.3 s: +100 ms). */
  windowSec: 0.2,
  /** Share of frames in the window that must agree to switch between speech and silence. */
  ratio: 0.9,
  /**
   * WebRTC-style VAD aggressiveness 0..3. Measured in the browser loop (bench/voice.ts, 20
   * utterances, window 0.2 s), speech end → first sample played p50 / p95 and intents right:
   * mode 0: 553 / 758 ms, 19/20; mode 1: 477 / 536 ms, 19/20; mode 2: 417 / 483 ms, 17/20;
   * mode 3: 413 / 604 ms, 16/20 (the more aggressive modes cut off quiet word endings).
   */
  mode: 1,
};
export type VadOptions = typeof defaultVadOptions;

/** soundswallower's Endpointer: 30 ms frames, speech start/end with a short look-back. */
/** More than the Endpointer's look-back (window / 30 ms frames) ever holds. */
const MAX_RECENT_FRAMES = 64;

export class SoundSwallowerVad implements Vad {
  private buffer = new Int16Array(0);
  private wasInSpeech = false;
  private ditherSeed = 1;
  /** Frames given to the Endpointer lately, to hand the recogniser the audio without the dither. */
  private recent: { original: Int16Array; sent: Float32Array }[] = [];
  private constructor(private readonly ep: InstanceType<SoundSwallowerModule['Endpointer']>, private readonly frameSize: number) {}

  static async create(options: Partial<VadOptions> = {}): Promise<SoundSwallowerVad> {
    const o = { ...defaultVadOptions, ...options };
    const ss = await loadSoundSwallower();
    const ep = new ss.Endpointer({ samprate: SAMPLE_RATE_HZ, frame_length: 0.03, mode: o.mode, window: o.windowSec, ratio: o.ratio });
    return new SoundSwallowerVad(ep, ep.get_frame_size());
  }

  process(pcm: Int16Array): VadEvent[] {
    const all = new Int16Array(this.buffer.length + pcm.length);
    all.set(this.buffer);
    all.set(pcm, this.buffer.length);
    const out: VadEvent[] = [];
    let at = 0;
    for (; at + this.frameSize <= all.length; at += this.frameSize) {
      const original = all.slice(at, at + this.frameSize);
      const sent = this.dithered(original);
      this.recent.push({ original, sent });
      if (this.recent.length > MAX_RECENT_FRAMES) this.recent.shift();
      const speech = this.ep.process(sent);
      const inSpeech = this.ep.get_in_speech();
      if (inSpeech && !this.wasInSpeech) out.push({ kind: 'speech_start', atSec: this.ep.get_speech_start() });
      if (speech) out.push({ kind: 'audio', pcm: this.undithered(speech) });
      if (!inSpeech && this.wasInSpeech) out.push({ kind: 'speech_end', atSec: this.ep.get_speech_end() });
      this.wasInSpeech = inSpeech;
    }
    this.buffer = all.slice(at);
    return out;
  }

  /** The original of a frame the Endpointer gave back (the dither changes what the decoder hears). */
  private undithered(speech: Float32Array): Int16Array {
    const i = this.recent.findIndex((r) => r.sent.length === speech.length && r.sent.every((v, k) => k >= 16 || Math.abs(v - speech[k]!) < 4 / 32768));
    if (i < 0) return toInt16(speech);
    const { original } = this.recent[i]!;
    this.recent = this.recent.slice(i + 1);
    return original;
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

function toFloat32(pcm: Int16Array): Float32Array {
  const f = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) f[i] = pcm[i]! / 32768;
  return f;
}

function toInt16(f: Float32Array): Int16Array {
  const pcm = new Int16Array(f.length);
  for (let i = 0; i < f.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(f[i]! * 32768)));
  return pcm;
}
