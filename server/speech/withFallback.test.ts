import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCartesiaStub } from '../testing/stubs/cartesia.ts';
import type { CartesiaStub } from '../testing/stubs/cartesia.ts';
import { CartesiaTts } from './cartesia/tts.ts';
import { CartesiaStt } from './cartesia/stt.ts';
import type { SpeechToText, SttEvents, TextToSpeech, TtsChunk } from './types.ts';
import { SPEECH_FALLBACK_NOTICE, withFallbackStt, withFallbackTts } from './withFallback.ts';

let stub: CartesiaStub;
beforeAll(async () => {
  stub = await startCartesiaStub({ chunkDelayMs: 2 });
});
afterAll(() => stub.close());
const conn = (apiKey = 'good-cartesia-key') => ({ apiKey, baseUrl: stub.baseUrl, ca: stub.ca });

/** A stand-in embedded TTS that records what it was asked to say (one chunk per call). */
function fakeTts(said: string[]): TextToSpeech {
  return {
    name: 'fake-embedded',
    async *synthesize(text) {
      said.push(text);
      yield { pcm: new Int16Array(160), sampleRate: 16000 };
    },
    async close() {},
  };
}

/** A stand-in embedded STT: the final transcript is the number of samples it received. */
function fakeStt(): SpeechToText {
  return {
    name: 'fake-embedded',
    async start(events: SttEvents) {
      let samples = 0;
      return {
        write: (p) => void (samples += p.length),
        finalize: () => events.onFinal(`heard ${samples} samples`, {}),
        close() {},
      };
    },
  };
}

const drain = async (it: AsyncIterable<TtsChunk>) => {
  const out: TtsChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
};

describe('withFallbackTts', () => {
  it('Cartesia dies mid-sentence: the notice, then the rest of the sentence from the fallback, and it stays there', async () => {
    const said: string[] = [];
    const failures: unknown[] = [];
    const tts = withFallbackTts(new CartesiaTts(conn()), fakeTts(said), (e) => failures.push(e));
    expect(tts.name).toBe('cartesia');
    stub.dieAfterTtsChunks(2);
    const chunks = await drain(
      tts.synthesize('One two three four five.', new AbortController().signal),
    );
    stub.dieAfterTtsChunks(null);
    expect(failures).toHaveLength(1);
    const cloudChunks = chunks.filter((c) => c.sampleRate === 24000);
    const heard = cloudChunks.flatMap((c) => c.words ?? []).length;
    expect(said).toEqual([
      SPEECH_FALLBACK_NOTICE,
      'One two three four five.'.split(' ').slice(heard).join(' '),
    ]);
    expect(said[1]).toMatch(/five\.$/);
    expect(tts.name).toBe('fake-embedded');
    await drain(tts.synthesize('Cheers!', new AbortController().signal));
    expect(said.at(-1)).toBe('Cheers!');
    await tts.close();
  });

  it('a bad key: the whole sentence from the fallback', async () => {
    const said: string[] = [];
    const tts = withFallbackTts(new CartesiaTts(conn('wrong')), fakeTts(said), () => {}, {
      notice: null,
    });
    await drain(tts.synthesize('Welcome in!', new AbortController().signal));
    expect(said).toEqual(['Welcome in!']);
    await tts.close();
  });

  it('barge-in is not a failure', async () => {
    const said: string[] = [];
    const tts = withFallbackTts(new CartesiaTts(conn()), fakeTts(said), () => said.push('FAILED'));
    const ac = new AbortController();
    for await (const _ of tts.synthesize('A long sentence to interrupt right now.', ac.signal))
      ac.abort();
    expect(said).toEqual([]);
    expect(tts.name).toBe('cartesia');
    await tts.close();
  });
});

describe('withFallbackStt', () => {
  const frame = () => new Int16Array(1600).fill(1000);

  it('Cartesia dies mid-utterance: the fallback gets the whole utterance replayed and finalizes it', async () => {
    const failures: unknown[] = [];
    const finals: string[] = [];
    const stt = withFallbackStt(new CartesiaStt(conn()), fakeStt(), (e) => failures.push(e));
    const stream = await stt.start({
      onPartial() {},
      onFinal: (t) => finals.push(t),
      onError: (e) => finals.push(`error ${e.message}`),
    });
    stub.dieAfterSttBytes(3 * 3200);
    for (let i = 0; i < 5; i++) {
      stream.write(frame());
      await new Promise((r) => setTimeout(r, 15));
    }
    await new Promise((r) => setTimeout(r, 50));
    stub.dieAfterSttBytes(null);
    expect(failures).toHaveLength(1);
    expect(stt.name).toBe('fake-embedded');
    stream.finalize();
    expect(finals).toEqual([`heard ${5 * 1600} samples`]);
    stream.close();
  });

  it('a bad key at start: straight to the fallback', async () => {
    const finals: string[] = [];
    const stt = withFallbackStt(new CartesiaStt(conn('wrong')), fakeStt(), () => {});
    const stream = await stt.start({
      onPartial() {},
      onFinal: (t) => finals.push(t),
      onError() {},
    });
    stream.write(frame());
    stream.finalize();
    expect(finals).toEqual(['heard 1600 samples']);
  });
});
