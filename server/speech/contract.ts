/**
 * Contract suites every speech adapter must pass (embedded and cloud alike): call them from a test
 * file with a factory. What is checked is what the pipeline above relies on.
 */
import { describe, expect, it } from 'vitest';
import type { SpeechToText, TextToSpeech, TtsChunk } from './types.ts';

export function describeTtsContract(name: string, make: () => Promise<TextToSpeech> | TextToSpeech) {
  describe(`TextToSpeech contract: ${name}`, () => {
    it('streams 16-bit PCM chunks at a stated sample rate for a sentence', async () => {
      const tts = await make();
      const chunks: TtsChunk[] = [];
      for await (const c of tts.synthesize('Two Negronis, coming right up.', new AbortController().signal)) chunks.push(c);
      expect(chunks.length).toBeGreaterThan(0);
      for (const c of chunks) {
        expect(c.pcm).toBeInstanceOf(Int16Array);
        expect(c.sampleRate).toBeGreaterThanOrEqual(8000);
      }
      const seconds = chunks.reduce((s, c) => s + c.pcm.length / c.sampleRate, 0);
      expect(seconds).toBeGreaterThan(0.3);
      await tts.close();
    });

    it('stops when the signal aborts (barge-in) and serves the next sentence', async () => {
      const tts = await make();
      const ac = new AbortController();
      let after = 0;
      for await (const _ of tts.synthesize('This is a rather long sentence that the guest is going to interrupt.', ac.signal)) {
        if (ac.signal.aborted) after++;
        ac.abort();
      }
      expect(after).toBeLessThanOrEqual(1);
      const pre = new AbortController();
      pre.abort();
      const none: TtsChunk[] = [];
      for await (const c of tts.synthesize('Never said.', pre.signal)) none.push(c);
      expect(none).toEqual([]);
      let next = 0;
      for await (const c of tts.synthesize('Cheers!', new AbortController().signal)) next += c.pcm.length;
      expect(next).toBeGreaterThan(0);
      await tts.close();
    });
  });
}

export interface SttContractSample {
  /** 16 kHz mono s16 speech. */
  pcm: Int16Array;
  /** What the engine should hear (compared case-insensitively), or null to accept any text. */
  expected: string | null;
}

export function describeSttContract(name: string, make: () => Promise<SpeechToText> | SpeechToText, sample: () => Promise<SttContractSample> | SttContractSample) {
  describe(`SpeechToText contract: ${name}`, () => {
    it('gives one final transcript per finalized utterance, in 10–100 ms frames', async () => {
      const stt = await make();
      const { pcm, expected } = await sample();
      const finals: string[] = [];
      const errors: Error[] = [];
      const stream = await stt.start({ onPartial: () => {}, onFinal: (t) => finals.push(t), onError: (e) => errors.push(e) });
      const frame = 320 * 5; // 100 ms
      for (let i = 0; i < pcm.length; i += frame) stream.write(pcm.subarray(i, i + frame));
      stream.finalize();
      for (let i = 0; i < 200 && finals.length === 0 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(errors).toEqual([]);
      expect(finals).toHaveLength(1);
      if (expected !== null) expect(finals[0]!.toLowerCase()).toBe(expected.toLowerCase());
      stream.close();
    });
  });
}
