/**
 * The contract every SpeechToText / TextToSpeech implementation must meet. Embedded engines run
 * here for real; a cloud adapter adds itself to the lists (with its local stub server).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FliteTts } from './embedded/flite.ts';
import { SoundSwallowerStt } from './embedded/soundswallower.ts';
import type { SpeechToText, TextToSpeech } from './types.ts';
import { speakClips } from '../testing/speech.ts';

const ttsImplementations: [string, () => TextToSpeech][] = [['flite', () => new FliteTts()]];
const sttImplementations: [string, () => SpeechToText & { close(): Promise<void> }][] = [['soundswallower', () => new SoundSwallowerStt()]];

describe.each(ttsImplementations)('TextToSpeech contract: %s', (_name, make) => {
  const tts = make();
  afterAll(() => tts.close());

  it('streams 16-bit mono audio with timings for a sentence', async () => {
    const chunks = [];
    for await (const c of tts.synthesize('Two old fashioned, coming right up.', new AbortController().signal)) chunks.push(c);
    expect(chunks.length).toBeGreaterThan(0);
    const samples = chunks.reduce((n, c) => n + c.pcm.length, 0);
    expect(samples / chunks[0]!.sampleRate).toBeGreaterThan(1);
    expect(Math.max(...chunks[0]!.pcm.slice(0, 20000).map(Math.abs))).toBeGreaterThan(1000);
    const words = chunks.flatMap((c) => c.words ?? []);
    expect(words.map((w) => w.label)).toEqual(['Two', 'old', 'fashioned,', 'coming', 'right', 'up.']);
    for (const w of words) expect(w.endMs).toBeGreaterThan(w.startMs);
  });

  it('yields nothing once aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const chunks = [];
    for await (const c of tts.synthesize('This should never be heard.', ac.signal)) chunks.push(c);
    expect(chunks).toEqual([]);
  });
});

describe('Flite worker recycling (the WASI segfault workaround)', () => {
  it('survives many syntheses with fresh WASI instances, across worker recycles', async () => {
    // Without gc between instances this process would die with SIGSEGV on the 3rd synthesis.
    const tts = new FliteTts({ maxSynthesesPerWorker: 3 });
    try {
      for (let i = 0; i < 8; i++) expect((await tts.synthesizeOnce(`Round number ${i + 1}, coming up.`)).pcm.length).toBeGreaterThan(8000);
    } finally {
      await tts.close();
    }
  });
});

describe.each(sttImplementations)('SpeechToText contract: %s', (_name, make) => {
  const stt = make();
  afterAll(() => stt.close());

  it('gives growing partials and one final per utterance, and can start again after finalize', async () => {
    const [a, b] = await speakClips(['two beers please', 'can i get the bill'], { leadMs: 300, tailMs: 300 });
    const partials: string[] = [];
    const finals: string[] = [];
    const stream = await stt.start({ onPartial: (t) => partials.push(t), onFinal: (t) => finals.push(t), onError: (e) => { throw e; } });
    for (const clip of [a!, b!]) {
      for (let i = 0; i < clip.pcm.length; i += 1600) stream.write(clip.pcm.subarray(i, i + 1600));
      stream.finalize();
    }
    stream.close();
    // Recognition runs in a worker: results come back asynchronously, in order, even after close.
    await expect.poll(() => finals, { timeout: 10_000 }).toEqual(['two beers please', 'can i get the bill']);
    expect(partials).toContain('two');
  });

  it('marks noise as rejected instead of inventing an order', async () => {
    let seed = 3;
    const noise = Int16Array.from({ length: 16000 * 2 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 20) - 2048);
    const results: { text: string; rejected?: boolean }[] = [];
    const stream = await stt.start({ onPartial: () => undefined, onFinal: (text, info) => results.push({ text, ...info }), onError: (e) => { throw e; } });
    stream.write(noise);
    stream.finalize();
    stream.close();
    await expect.poll(() => results.length, { timeout: 10_000 }).toBe(1);
    expect(results[0]!.rejected || results[0]!.text === '').toBe(true);
  });
});
