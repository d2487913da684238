/**
 * The speech contract (server/testing/contracts/speech.ts) over every engine: the embedded ones for
 * real, Cartesia's adapters against the local stub that speaks its wire protocol. Below it, what is
 * particular to one engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSttContract, describeTtsContract } from '../testing/contracts/speech.ts';
import { speakClips } from '../testing/speech.ts';
import { startCartesiaStub } from '../testing/stubs/cartesia.ts';
import type { CartesiaStub } from '../testing/stubs/cartesia.ts';
import { CartesiaStt } from './cartesia/stt.ts';
import { CartesiaTts } from './cartesia/tts.ts';
import { FliteTts } from './embedded/flite.ts';
import { SoundSwallowerStt } from './embedded/soundswallower.ts';

let stub: CartesiaStub;
beforeAll(async () => {
  stub = await startCartesiaStub({ chunkDelayMs: 2 });
});
afterAll(() => stub?.close());
const cartesia = () => ({ apiKey: 'good-cartesia-key', baseUrl: stub.baseUrl, ca: stub.ca });
const tone = (seconds: number) =>
  Int16Array.from({ length: 16000 * seconds }, (_, i) => Math.round(4000 * Math.sin(i / 7)));

describeTtsContract([
  { name: 'flite (embedded)', make: () => new FliteTts(), words: true },
  { name: 'Cartesia (stub)', make: () => new CartesiaTts(cartesia()), words: true },
]);

describeSttContract([
  {
    name: 'soundswallower (embedded)',
    make: () => new SoundSwallowerStt(),
    utterances: async () => {
      const [a, b] = await speakClips(['two beers please', 'can i get the bill'], {
        leadMs: 300,
        tailMs: 300,
      });
      return [
        { pcm: a!.pcm, expected: 'two beers please' },
        { pcm: b!.pcm, expected: 'can i get the bill' },
      ];
    },
  },
  {
    name: 'Cartesia (stub)',
    make: () => new CartesiaStt(cartesia()),
    utterances: async () => {
      stub.sttTranscripts.push('Two Negronis please', 'Can I get the bill');
      return [
        { pcm: tone(1), expected: 'two negronis please' },
        { pcm: tone(1), expected: 'can i get the bill' },
      ];
    },
  },
]);

describe('flite specifics: worker recycling (the WASI segfault workaround)', () => {
  it('survives many syntheses with fresh WASI instances, across worker recycles', async () => {
    // Without gc between instances this process would die with SIGSEGV on the 3rd synthesis.
    const tts = new FliteTts({ maxSynthesesPerWorker: 3 });
    try {
      for (let i = 0; i < 8; i++)
        expect(
          (await tts.synthesizeOnce(`Round number ${i + 1}, coming up.`)).pcm.length,
        ).toBeGreaterThan(8000);
    } finally {
      await tts.close();
    }
  });
});

describe('soundswallower specifics: a grammar recogniser rejects what is not speech', () => {
  const stt = new SoundSwallowerStt();
  afterAll(() => stt.close());

  it('marks noise as rejected instead of inventing an order', async () => {
    let seed = 3;
    const noise = Int16Array.from(
      { length: 16000 * 2 },
      () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 20) - 2048,
    );
    const results: { text: string; rejected?: boolean }[] = [];
    const stream = await stt.start({
      onPartial: () => undefined,
      onFinal: (text, info) => results.push({ text, ...info }),
      onError: (e) => {
        throw e;
      },
    });
    stream.write(noise);
    stream.finalize();
    stream.close();
    await expect.poll(() => results.length, { timeout: 10_000 }).toBe(1);
    expect(results[0]!.rejected || results[0]!.text === '').toBe(true);
  });
});
