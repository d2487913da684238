import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCartesiaStub, STUB_WORD_MS } from '../../testing/stubs/cartesia.ts';
import type { CartesiaStub } from '../../testing/stubs/cartesia.ts';
import type { TtsChunk } from '../types.ts';
import { CartesiaTts } from './tts.ts';
import { CartesiaStt } from './stt.ts';

let stub: CartesiaStub;
beforeAll(async () => {
  stub = await startCartesiaStub({ chunkDelayMs: 2 });
});
afterAll(() => stub.close());

const conn = () => ({ apiKey: 'good-cartesia-key', baseUrl: stub.baseUrl, ca: stub.ca });

async function collect(it: AsyncIterable<TtsChunk>): Promise<TtsChunk[]> {
  const out: TtsChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

describe('CartesiaTts (real SDK over TLS websocket to the stub)', () => {
  it('streams PCM and word timings for a sentence, on a pre-warmed socket; first chunk time measured', async () => {
    const tts = new CartesiaTts({ ...conn(), voiceId: 'voice-1' });
    await tts.warm();
    const t0 = performance.now();
    let firstChunkMs = -1;
    const chunks: TtsChunk[] = [];
    for await (const c of tts.synthesize('One mojito, coming up.', new AbortController().signal)) {
      if (firstChunkMs < 0) firstChunkMs = performance.now() - t0;
      chunks.push(c);
    }
    console.log(
      `[figure] Cartesia stub path, warm socket: time to first audio chunk ${firstChunkMs.toFixed(1)} ms`,
    );
    expect(firstChunkMs).toBeGreaterThan(0);
    expect(firstChunkMs).toBeLessThan(1000); // generous: a loaded CI machine; the figure is printed
    const samples = chunks.reduce((n, c) => n + c.pcm.length, 0);
    expect(samples).toBe(4 * (STUB_WORD_MS / 1000) * 24000);
    expect(chunks.every((c) => c.sampleRate === 24000)).toBe(true);
    expect(chunks.some((c) => c.pcm.some((v) => v !== 0))).toBe(true);
    const words = chunks.flatMap((c) => c.words ?? []).map((w) => w.label);
    expect(words).toEqual(['One', 'mojito,', 'coming', 'up.']);
    const req = stub.ttsRequests.find((r) => r.transcript === 'One mojito, coming up.')!;
    expect(req).toMatchObject({
      model_id: 'sonic-3',
      voice: 'voice-1',
      output_format: { container: 'raw', encoding: 'pcm_s16le', sample_rate: 24000 },
      add_timestamps: true,
      continue: true,
    });
    expect(stub.ttsRequests).toContainEqual(
      expect.objectContaining({ context_id: req.context_id, transcript: '', continue: false }),
    );
    // The same socket serves the next sentence; timings that arrive after the last audio come in an empty chunk.
    const cheers = await collect(tts.synthesize('Cheers!', new AbortController().signal));
    expect(cheers.map((c) => c.pcm.length)).toEqual([(STUB_WORD_MS / 1000) * 24000, 0]);
    expect(cheers[1]!.words).toEqual([{ label: 'Cheers!', startMs: -STUB_WORD_MS, endMs: 0 }]);
    await tts.close();
  });

  it('barge-in: aborting cancels the context on the server and stops the stream', async () => {
    const tts = new CartesiaTts(conn());
    const ac = new AbortController();
    const chunks: TtsChunk[] = [];
    for await (const c of tts.synthesize(
      'This is a long sentence that the guest will interrupt halfway through.',
      ac.signal,
    )) {
      chunks.push(c);
      if (chunks.length === 2) ac.abort();
    }
    expect(chunks).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(stub.cancelled).toHaveLength(1);
    await tts.close();
  });

  it('a socket the server closed while idle is reopened for the next sentence', async () => {
    const tts = new CartesiaTts(conn());
    await tts.warm();
    expect(
      (await collect(tts.synthesize('First.', new AbortController().signal))).length,
    ).toBeGreaterThan(0);
    stub.dropSockets();
    await new Promise((r) => setTimeout(r, 50));
    const again = await collect(tts.synthesize('Still here.', new AbortController().signal));
    expect(again.reduce((n, c) => n + c.pcm.length, 0)).toBe(2 * (STUB_WORD_MS / 1000) * 24000);
    await tts.close();
  });

  it('a bad key fails the warm-up and the synthesis', async () => {
    const tts = new CartesiaTts({ ...conn(), apiKey: 'wrong' });
    await expect(tts.warm()).rejects.toThrow(/401/);
    await expect(collect(tts.synthesize('Hi.', new AbortController().signal))).rejects.toThrow();
    await tts.close();
  });

  it('a socket that dies mid-sentence ends the stream with an error (so a fallback can take over)', async () => {
    const tts = new CartesiaTts(conn());
    await tts.warm();
    stub.dieAfterTtsChunks(2);
    const got: TtsChunk[] = [];
    await expect(
      (async () => {
        for await (const c of tts.synthesize(
          'One two three four five six.',
          new AbortController().signal,
        ))
          got.push(c);
      })(),
    ).rejects.toThrow(/dropped|closed|done/);
    expect(got.length).toBeGreaterThanOrEqual(1);
    expect(got.length).toBeLessThanOrEqual(2);
    stub.dieAfterTtsChunks(null);
    await tts.close();
  });
});

describe('CartesiaStt (manual finalize)', () => {
  const speech = (ms: number) =>
    new Int16Array((16000 * ms) / 1000).map((_, i) => Math.round(5000 * Math.sin(i / 5)));

  it('partials while audio streams, the final transcript on finalize', async () => {
    stub.sttTranscripts.push('two negronis please');
    const partials: string[] = [];
    const finals: string[] = [];
    const errors: Error[] = [];
    const stt = new CartesiaStt(conn());
    const stream = await stt.start({
      onPartial: (t) => partials.push(t),
      onFinal: (t) => finals.push(t),
      onError: (e) => errors.push(e),
    });
    for (let i = 0; i < 5; i++) stream.write(speech(40));
    await new Promise((r) => setTimeout(r, 100));
    expect(partials).toEqual(['two']);
    stream.finalize();
    await new Promise((r) => setTimeout(r, 100));
    expect(finals).toEqual(['two negronis please']);
    expect(stub.sttBytes()).toBe(5 * 640 * 2);
    // A final transcript in several deltas, each with its own spacing.
    stub.sttTranscripts.push('and a|  mojito');
    stream.write(speech(40));
    stream.finalize();
    await new Promise((r) => setTimeout(r, 100));
    expect(finals).toEqual(['two negronis please', 'and a mojito']);
    stream.close();
    await new Promise((r) => setTimeout(r, 30));
    expect(errors).toEqual([]);
  });

  it('a bad key rejects start; a dropped socket reports an error', async () => {
    await expect(
      new CartesiaStt({ ...conn(), apiKey: 'wrong' }).start({
        onPartial() {},
        onFinal() {},
        onError() {},
      }),
    ).rejects.toThrow();
    const errors: Error[] = [];
    const stream = await new CartesiaStt(conn()).start({
      onPartial() {},
      onFinal() {},
      onError: (e) => errors.push(e),
    });
    stub.dieAfterSttBytes(1000);
    stream.write(speech(100));
    await new Promise((r) => setTimeout(r, 100));
    expect(errors.length).toBeGreaterThanOrEqual(1);
    stub.dieAfterSttBytes(null);
    stream.close();
  });
});
