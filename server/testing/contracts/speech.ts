/**
 * The one contract every speech adapter must pass, embedded and cloud alike: a `describe.each` over
 * implementations, run by `server/speech/contract.test.ts` against the embedded engines and the
 * Cartesia adapters (on their local stub). What is checked is what the speech session above relies
 * on; an engine's own quirks are tested beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpeechToText, TextToSpeech, TtsChunk } from '../../speech/types.ts';

export interface TtsUnderContract {
  name: string;
  make(): TextToSpeech | Promise<TextToSpeech>;
  /** The engine reports word timings (captions and lip-sync follow them). */
  words: boolean;
}

export interface SttUtterance {
  /** 16 kHz mono s16 audio of one utterance. */
  pcm: Int16Array;
  /** What the engine must hear (compared in lower case). */
  expected: string;
}

export interface SttUnderContract {
  name: string;
  make():
    | (SpeechToText & { close?(): Promise<void> })
    | Promise<SpeechToText & { close?(): Promise<void> }>;
  /** Two utterances, spoken one after the other into one stream (a cloud stub is told what to hear). */
  utterances(): Promise<[SttUtterance, SttUtterance]>;
}

const collect = async (tts: TextToSpeech, text: string, signal = new AbortController().signal) => {
  const chunks: TtsChunk[] = [];
  for await (const c of tts.synthesize(text, signal)) chunks.push(c);
  return chunks;
};

export function describeTtsContract(implementations: readonly TtsUnderContract[]): void {
  describe.each(implementations)('TextToSpeech contract: $name', (impl) => {
    let tts: TextToSpeech;
    beforeAll(async () => {
      tts = await impl.make();
    });
    afterAll(() => tts?.close());

    it('streams audible 16-bit PCM at a stated sample rate for a sentence', async () => {
      const chunks = await collect(tts, 'Two Negronis, coming right up.');
      expect(chunks.length).toBeGreaterThan(0);
      for (const c of chunks) {
        expect(c.pcm).toBeInstanceOf(Int16Array);
        expect(c.sampleRate).toBeGreaterThanOrEqual(8000);
      }
      const seconds = chunks.reduce((s, c) => s + c.pcm.length / c.sampleRate, 0);
      expect(seconds).toBeGreaterThan(0.3);
      expect(
        Math.max(...chunks.map((c) => c.pcm.reduce((m, v) => Math.max(m, Math.abs(v)), 0))),
      ).toBeGreaterThan(500);
    });

    it.runIf(impl.words)('gives word timings in order, each with a length', async () => {
      const words = (await collect(tts, 'Two old fashioned, coming right up.')).flatMap(
        (c) => c.words ?? [],
      );
      expect(words.map((w) => w.label.replace(/[^a-z]/gi, '').toLowerCase())).toEqual([
        'two',
        'old',
        'fashioned',
        'coming',
        'right',
        'up',
      ]);
      for (const w of words) expect(w.endMs).toBeGreaterThan(w.startMs);
    });

    it('yields nothing once aborted, stops soon when aborted mid-sentence, then serves the next one', async () => {
      const before = new AbortController();
      before.abort();
      expect(await collect(tts, 'This should never be heard.', before.signal)).toEqual([]);
      const ac = new AbortController();
      let after = 0;
      for await (const _ of tts.synthesize(
        'This is a rather long sentence that the guest is going to interrupt.',
        ac.signal,
      )) {
        if (ac.signal.aborted) after++;
        ac.abort();
      }
      expect(after).toBeLessThanOrEqual(1);
      const next = await collect(tts, 'Cheers!');
      expect(next.reduce((n, c) => n + c.pcm.length, 0)).toBeGreaterThan(0);
    });
  });
}

export function describeSttContract(implementations: readonly SttUnderContract[]): void {
  describe.each(implementations)('SpeechToText contract: $name', (impl) => {
    let stt: SpeechToText & { close?(): Promise<void> };
    beforeAll(async () => {
      stt = await impl.make();
    });
    afterAll(() => stt?.close?.());

    it('gives a partial while audio streams and one final per finalized utterance, in order, in 100 ms frames', async () => {
      const [a, b] = await impl.utterances();
      const partials: string[] = [];
      const finals: string[] = [];
      const errors: Error[] = [];
      const stream = await stt.start({
        onPartial: (t) => partials.push(t),
        onFinal: (t) => finals.push(t),
        onError: (e) => errors.push(e),
      });
      const frame = 1600; // 100 ms at 16 kHz
      for (const clip of [a, b]) {
        for (let i = 0; i < clip.pcm.length; i += frame)
          stream.write(clip.pcm.subarray(i, i + frame));
        stream.finalize();
        // The next utterance starts after this one's final (as the endpointer's next turn would).
        await expect
          .poll(() => finals.length + errors.length, { timeout: 10_000 })
          .toBeGreaterThanOrEqual(clip === a ? 1 : 2);
      }
      stream.close();
      expect(errors).toEqual([]);
      expect(finals.map((f) => f.toLowerCase())).toEqual([a.expected, b.expected]);
      expect(partials.length).toBeGreaterThan(0);
    });
  });
}
