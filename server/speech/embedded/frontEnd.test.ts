/**
 * The speech front end's short pause: RNNoise's voice probability reports the end of a phrase
 * ('pause') well before the endpointer's window and hangover end the speech ('speech_end'), and the
 * audio the endpointer still held goes out first, once.
 */
import { describe, expect, it } from 'vitest';
import { FliteTts } from './flite.ts';
import { FrontEnd } from './frontEnd.ts';
import { defaultVadOptions } from './speechProtocol.ts';
import { loadSoundSwallower } from './soundswallower.ts';

const RATE = 16_000;

async function spoken(text: string): Promise<Int16Array> {
  const tts = new FliteTts({ workers: 1 });
  try {
    return (await tts.synthesizeOnce(text)).pcm;
  } finally {
    await tts.close();
  }
}

/** Feed lead silence, the speech, then silence, in 20 ms frames: each event, where (ms of audio) it came. */
async function run(speech: Int16Array, leadMs = 500, tailMs = 1500) {
  const fe = await FrontEnd.create(await loadSoundSwallower(), defaultVadOptions);
  const pcm = new Int16Array(((leadMs + tailMs) * RATE) / 1000 + speech.length);
  pcm.set(speech, (leadMs * RATE) / 1000);
  const events: { kind: string; ms: number; samples: number }[] = [];
  for (let i = 0; i < pcm.length; i += 320) {
    for (const ev of fe.process(pcm.subarray(i, i + 320)))
      events.push({
        kind: ev.kind,
        ms: ((i + 320) * 1000) / RATE,
        samples: ev.kind === 'audio' ? ev.pcm.length : 0,
      });
  }
  fe.delete();
  return { events, speechEndMs: leadMs + (speech.length * 1000) / RATE };
}

describe('short pause from the voice probability', () => {
  it('reports a pause after the last word, before the endpointer ends the speech, with all the audio first', async () => {
    const { events, speechEndMs } = await run(await spoken('two beers please'));
    const marks = events.filter((e) => e.kind !== 'audio');
    expect(marks[0]!.kind).toBe('speech_start');
    expect(marks.at(-1)!.kind).toBe('speech_end');
    const pause = marks.findLast((e) => e.kind === 'pause')!;
    expect(pause.ms).toBeGreaterThan(speechEndMs - 400);
    expect(marks.at(-1)!.ms - pause.ms).toBeGreaterThanOrEqual(60);
    // By the pause, the audio handed on reaches past the end of Flite's speech (its trailing pause
    // included): the endpointer's held frames went out first. None is sent twice afterwards.
    const before = events.slice(0, events.indexOf(pause)).reduce((n, e) => n + e.samples, 0);
    const all = events.reduce((n, e) => n + e.samples, 0);
    const startMs = marks[0]!.ms;
    expect((before * 1000) / RATE).toBeGreaterThan(speechEndMs - startMs - 400);
    expect((all * 1000) / RATE).toBeLessThan(speechEndMs - startMs + 1500);
  }, 30_000);

  it('opens no utterance on a loud room heard from the first frame, and still hears the guest in it', async () => {
    const speech = await spoken('could I get two mojitos please');
    const leadMs = 1200;
    const n = speech.length + ((leadMs + 1500) * RATE) / 1000;
    // Pink-ish noise (a leaky integral of white) ~15 dB under the speech, from the first sample.
    let seed = 11;
    let level = 0;
    const room = Float64Array.from({ length: n }, () => {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      level = 0.97 * level + (seed / 2 ** 32 - 0.5);
      return level;
    });
    const rms = (x: ArrayLike<number>) =>
      Math.sqrt(Array.from(x).reduce((a, v) => a + v * v, 0) / x.length);
    const scale = rms(speech) / 10 ** (15 / 20) / rms(room);
    const noisy = Int16Array.from(room, (v, i) => {
      const at = i - (leadMs * RATE) / 1000;
      return Math.max(-32768, Math.min(32767, Math.round(v * scale + (speech[at] ?? 0))));
    });
    const fe = await FrontEnd.create(await loadSoundSwallower(), defaultVadOptions);
    const starts: { ms: number; noisy?: boolean }[] = [];
    for (let i = 0; i < noisy.length; i += 320)
      for (const ev of fe.process(noisy.subarray(i, i + 320)))
        if (ev.kind === 'speech_start')
          starts.push({ ms: ((i + 320) * 1000) / RATE, noisy: ev.noisy });
    fe.delete();
    // The first utterance begins with the guest's words, not with the room, and says the room is loud.
    expect(starts.length).toBeGreaterThanOrEqual(1);
    expect(starts[0]!.ms).toBeGreaterThan(leadMs);
    expect(starts[0]!.noisy).toBe(true);
  }, 30_000);

  it('reports nothing while nobody speaks', async () => {
    const { events } = await run(new Int16Array(0), 500, 2000);
    expect(events).toEqual([]);
  }, 30_000);
});
