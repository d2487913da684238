/**
 * Embedded STT and VAD: soundswallower (pocketsphinx compiled to WASM) with the 16 kHz en-us
 * acoustic model vendored in ./model/en-us-16k (CMU/Alpha Cephei, BSD-2; see its LICENSE) and the
 * CMU dictionary shipped inside the soundswallower package. Grammar-only decoding (grammar.ts).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createModule from 'soundswallower';
import type { Decoder, SoundSwallowerModule } from 'soundswallower';
import type { SpeechToText, SttEvents, SttStream, Vad, VadEvent } from '../types.ts';
import { EXTRA_PRONUNCIATIONS, barGrammar, defaultGrammarOptions, isGarbageWord } from './grammar.ts';

export const SAMPLE_RATE_HZ = 16_000;
const MODEL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'model', 'en-us-16k');

let modulePromise: Promise<SoundSwallowerModule> | null = null;

/** The WASM module, loaded once per process. */
export function loadSoundSwallower(): Promise<SoundSwallowerModule> {
  // soundswallower resolves its default model against the working directory: give it absolute paths.
  const base = dirname(fileURLToPath(import.meta.resolve('soundswallower')));
  const settings: Partial<SoundSwallowerModule> & { modelBase: string } = { modelBase: `${join(base, 'model')}/` };
  modulePromise ??= createModule(settings);
  return modulePromise;
}

export const defaultSttOptions = {
  ...defaultGrammarOptions,
  /** Decoders kept initialised ahead of new sessions (initialising one takes ~300 ms). */
  spareDecoders: 1,
};
export type SttOptions = typeof defaultSttOptions;

async function newDecoder(options: SttOptions): Promise<Decoder> {
  const ss = await loadSoundSwallower();
  const base = dirname(fileURLToPath(import.meta.resolve('soundswallower')));
  const decoder = new ss.Decoder({
    samprate: SAMPLE_RATE_HZ,
    loglevel: 'FATAL',
    hmm: MODEL_DIR,
    featparams: join(MODEL_DIR, 'feat_params.json'),
    fdict: join(MODEL_DIR, 'noisedict.txt'),
    dict: join(base, 'model', 'en-us', 'dict.txt'),
  });
  await decoder.initialize();
  const missing = Object.entries(EXTRA_PRONUNCIATIONS).filter(([word]) => !decoder.lookup_word(word));
  if (missing.length) decoder.add_words(...missing);
  decoder.set_grammar(barGrammar((w) => decoder.lookup_word(w) !== null, options));
  return decoder;
}

/** The words of a hypothesis, with the phone-loop garbage counted and removed. */
export function cleanHypothesis(raw: string): { text: string; garbageWords: number } {
  const words = raw.trim().split(/\s+/).filter(Boolean);
  const kept = words.filter((w) => !isGarbageWord(w));
  return { text: kept.join(' '), garbageWords: words.length - kept.length };
}

export class SoundSwallowerStt implements SpeechToText {
  readonly name = 'soundswallower';
  private readonly options: SttOptions;
  private spares: Promise<Decoder>[] = [];

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
    const decoder = await (this.spares.shift() ?? newDecoder(this.options));
    this.refill();
    return new SoundSwallowerStream(decoder, events);
  }

  private refill() {
    while (this.spares.length < this.options.spareDecoders) {
      const p = newDecoder(this.options);
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

  constructor(private readonly decoder: Decoder, private readonly events: SttEvents) {}

  write(pcm: Int16Array): void {
    if (this.closed) return;
    try {
      if (!this.inUtterance) {
        this.decoder.start();
        this.inUtterance = true;
        this.lastPartial = '';
      }
      this.decoder.process_audio(toFloat32(pcm), false, false);
      const partial = cleanHypothesis(this.decoder.get_text()).text;
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
      this.decoder.stop();
      const { text, garbageWords } = cleanHypothesis(this.decoder.get_text());
      // The engine gives no usable score; a hypothesis that needed the phone loop is not trusted.
      this.events.onFinal(text, { confidence: garbageWords > 0 ? 0 : 1, rejected: garbageWords > 0 || text === '' });
    } catch (e) {
      this.events.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.decoder.delete();
  }
}

export const defaultVadOptions = {
  /** Endpointer window: speech ends after this much audio that is mostly not speech. */
  windowSec: 0.3,
  /** Share of frames in the window that must agree to switch between speech and silence. */
  ratio: 0.9,
  /** WebRTC-style VAD aggressiveness 0..3. */
  mode: 0,
};
export type VadOptions = typeof defaultVadOptions;

/** soundswallower's Endpointer: 30 ms frames, speech start/end with a short look-back. */
export class SoundSwallowerVad implements Vad {
  private buffer = new Int16Array(0);
  private wasInSpeech = false;
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
      const speech = this.ep.process(toFloat32(all.subarray(at, at + this.frameSize)));
      const inSpeech = this.ep.get_in_speech();
      if (inSpeech && !this.wasInSpeech) out.push({ kind: 'speech_start', atSec: this.ep.get_speech_start() });
      if (speech) out.push({ kind: 'audio', pcm: toInt16(speech) });
      if (!inSpeech && this.wasInSpeech) out.push({ kind: 'speech_end', atSec: this.ep.get_speech_end() });
      this.wasInSpeech = inSpeech;
    }
    this.buffer = all.slice(at);
    return out;
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
