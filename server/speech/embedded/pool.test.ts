/**
 * The speech worker pool with the real engine: a worker killed mid-utterance is replaced, the stream
 * on it reports the loss (onError) and recognises again on a fresh worker, the VAD closes the lost
 * utterance; an engine that throws retires its worker; health turns false after failures in a row
 * and true again after a recognition.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speakClips } from '../../testing/speech.ts';
import type { Clip } from '../../testing/speech.ts';
import type { FinalInfo, VadEvent } from '../types.ts';
import { SpeechEngineError, SpeechPool } from './pool.ts';
import { SoundSwallowerStt, SoundSwallowerVad } from './soundswallower.ts';
import type { PooledSttStream } from './soundswallower.ts';

const FRAME = 1600; // 100 ms

let pool: SpeechPool;
let clip: Clip;
const failures: string[] = [];

beforeAll(async () => {
  pool = new SpeechPool({ workers: 1, maxFailuresInRow: 2 });
  pool.onFailure((kind) => failures.push(kind));
  clip = (await speakClips(['can i get the bill'], { leadMs: 300, tailMs: 500 }))[0]!;
  await pool.warmUp();
}, 60_000);
afterAll(() => pool.close());

function listener() {
  const got = {
    partials: [] as string[],
    finals: [] as { text: string; info: FinalInfo }[],
    errors: [] as Error[],
  };
  const events = {
    onPartial: (t: string) => void got.partials.push(t),
    onFinal: (text: string, info: FinalInfo) => void got.finals.push({ text, info }),
    onError: (e: Error) => void got.errors.push(e),
  };
  return { got, events };
}

async function recognise(stream: PooledSttStream, pcm: Int16Array, finals: unknown[]) {
  const before = finals.length;
  for (let i = 0; i < pcm.length; i += FRAME) stream.write(pcm.subarray(i, i + FRAME));
  stream.finalize();
  await expect.poll(() => finals.length, { timeout: 10_000 }).toBe(before + 1);
}

describe('speech worker pool', () => {
  it('answers the running hypothesis over every write before the question, without waiting for captions', async () => {
    const stt = new SoundSwallowerStt({ pool });
    const { got, events } = listener();
    const stream = (await stt.start(events)) as PooledSttStream;
    expect(await stream.hypothesis()).toBe(''); // nothing said yet
    // Written in one go: captions come at most every 150 ms of audio, the hypothesis covers it all.
    stream.write(clip.pcm.subarray(0, clip.speechEndSample + 1600));
    const hypothesis = await stream.hypothesis();
    stream.finalize();
    await expect.poll(() => got.finals.length, { timeout: 10_000 }).toBe(1);
    expect(hypothesis).toBe(got.finals[0]!.text);
    expect(hypothesis).toBe('can i get the bill');
    stream.close();
    expect(await stream.hypothesis()).toBe('');
  }, 30_000);

  it('answers the final if the utterance ended now, and the utterance goes on after it', async () => {
    const stt = new SoundSwallowerStt({ pool });
    const { got, events } = listener();
    const stream = (await stt.start(events)) as PooledSttStream;
    expect(await stream.finalIfEnded()).toEqual({ text: '', rejected: true }); // nothing said yet
    const cut = Math.floor(clip.speechEndSample * 0.6);
    stream.write(clip.pcm.subarray(0, cut));
    const early = await stream.finalIfEnded();
    expect(early.text).not.toBe('can i get the bill');
    expect(got.finals).toEqual([]); // asked, not ended
    stream.write(clip.pcm.subarray(cut));
    expect(await stream.finalIfEnded()).toEqual({ text: 'can i get the bill', rejected: false });
    stream.finalize();
    await expect.poll(() => got.finals.length, { timeout: 10_000 }).toBe(1);
    expect(got.finals[0]!.text).toBe('can i get the bill');
    stream.close();
    expect(await stream.finalIfEnded()).toEqual({ text: '', rejected: true });
  }, 30_000);

  it('replaces a worker killed mid-utterance; the stream reports the loss and recognises on the fresh worker', async () => {
    const stt = new SoundSwallowerStt({ pool });
    const { got, events } = listener();
    const stream = (await stt.start(events)) as PooledSttStream;
    await recognise(stream, clip.pcm, got.finals);
    const expected = got.finals[0]!.text;
    expect(expected).not.toBe('');

    // Mid-utterance: half the speech written, a partial has come back, then the thread dies.
    const half = clip.pcm.subarray(0, Math.floor(clip.speechEndSample * 0.7));
    const partialsBefore = got.partials.length;
    for (let i = 0; i < half.length; i += FRAME) {
      stream.write(half.subarray(i, i + FRAME));
      await new Promise((r) => setTimeout(r, 30));
    }
    await expect
      .poll(() => got.partials.length, { timeout: 10_000 })
      .toBeGreaterThan(partialsBefore);
    const [victim] = pool.workerIds();
    await pool.terminateWorker(victim!);
    await expect.poll(() => got.errors.length).toBe(1);
    expect(got.errors[0]).toBeInstanceOf(SpeechEngineError);
    expect(got.errors[0]).toMatchObject({ kind: 'crash' });
    expect(failures).toEqual(['crash']);
    // The rest of the lost utterance is dropped; its end gives an empty, rejected final.
    stream.write(clip.pcm.subarray(half.length));
    stream.finalize();
    expect(got.finals.at(-1)).toEqual({ text: '', info: { confidence: 0, rejected: true } });

    // A fresh worker (new id) serves the next utterance of the same stream.
    await expect.poll(() => pool.stats().liveWorkers, { timeout: 10_000 }).toBe(1);
    expect(pool.workerIds()).not.toContain(victim);
    await recognise(stream, clip.pcm, got.finals);
    expect(got.finals.at(-1)!.text).toBe(expected);
    stream.close();
  });

  it('closes the utterance the VAD was in when its worker dies, and goes on detecting on the next one', async () => {
    const vad = await SoundSwallowerVad.create(pool);
    const events: VadEvent[] = [];
    const speechPart = clip.pcm.subarray(0, Math.floor(clip.speechEndSample * 0.8));
    for (let i = 0; i < speechPart.length; i += FRAME)
      events.push(...(await vad.process(speechPart.subarray(i, i + FRAME))));
    expect(events.map((e) => e.kind)).toContain('speech_start');
    expect(events.some((e) => e.kind === 'audio')).toBe(true);
    const [victim] = pool.workerIds();
    await pool.terminateWorker(victim!);
    await expect.poll(() => pool.stats().liveWorkers, { timeout: 10_000 }).toBe(1);
    const after: VadEvent[] = [];
    for (let i = 0; i < clip.pcm.length; i += FRAME)
      after.push(...(await vad.process(clip.pcm.subarray(i, i + FRAME))));
    // First the lost utterance is closed, then the new one is found from start to end.
    expect(after.filter((e) => e.kind.startsWith('speech_')).map((e) => e.kind)).toEqual([
      'speech_end',
      'speech_start',
      'speech_end',
    ]);
    vad.close?.();
  });

  it('retires a worker whose engine throws, reports not ready after failures in a row, and ready again after a recognition', async () => {
    // Two crashes with no recognition between them (maxFailuresInRow 2): not to be trusted to serve.
    expect(pool.health()).toEqual({ ok: true });
    await pool.terminateWorker(pool.workerIds()[0]!);
    await expect.poll(() => pool.stats().liveWorkers, { timeout: 10_000 }).toBe(1);
    expect(pool.health()).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/failed 2 times in a row/),
    });

    const stt = new SoundSwallowerStt({ pool });
    const { got, events } = listener();
    const stream = (await stt.start(events)) as PooledSttStream;
    await recognise(stream, clip.pcm, got.finals);
    expect(pool.health()).toEqual({ ok: true });

    // No audio where the engine expects some: the worker's engine path throws.
    const vad = await SoundSwallowerVad.create(pool);
    await vad.process(new Int16Array(FRAME));
    const bad = pool.open({
      kind: 'vad',
      busy: false,
      receive: () => undefined,
      lost: () => undefined,
    });
    pool.post(bad.worker, {
      op: 'vad_process',
      ch: bad.ch,
      seq: 1,
      pcm: null as unknown as Int16Array,
    });
    await expect.poll(() => failures.at(-1), { timeout: 10_000 }).toBe('engine');
    await expect.poll(() => pool.stats().liveWorkers, { timeout: 10_000 }).toBe(1);
    await recognise(stream, clip.pcm, got.finals);
    expect(got.finals.at(-1)!.text).toBe(got.finals[0]!.text);
    stream.close();
  });
});

describe('a worker that starts after another', () => {
  it('takes the domain models the first one built instead of building them again, and hears the same', async () => {
    const two = new SpeechPool({ workers: 2 });
    try {
      await two.warmUp();
      await two.warmUp({ all: true });
      await expect.poll(() => two.stats().liveWorkers, { timeout: 30_000 }).toBe(2);
      const [first, second] = await two.workerStats();
      expect(first!.modelsBuilt).toBeGreaterThan(0);
      expect(second!.modelsBuilt).toBe(0);
      // Two streams at once are pinned to the two workers; each hears the request.
      const stt = new SoundSwallowerStt({ pool: two });
      const a = listener();
      const b = listener();
      const streams = [
        (await stt.start(a.events)) as PooledSttStream,
        (await stt.start(b.events)) as PooledSttStream,
      ];
      await Promise.all([
        recognise(streams[0]!, clip.pcm, a.got.finals),
        recognise(streams[1]!, clip.pcm, b.got.finals),
      ]);
      expect(new Set((await two.workerStats()).map((w) => w.channels))).toEqual(new Set([1]));
      expect([a.got.finals[0]!.text, b.got.finals[0]!.text]).toEqual([
        'can i get the bill',
        'can i get the bill',
      ]);
      for (const s of streams) s.close();
    } finally {
      await two.close();
    }
  }, 90_000);
});
