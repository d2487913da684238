/** The Flite pool: replies for several guests are synthesised side by side, not in one queue. */
import { afterEach, describe, expect, it } from 'vitest';
import { FliteTts } from './flite.ts';

let tts: FliteTts | null = null;
afterEach(async () => {
  await tts?.close();
  tts = null;
});

const sentences = [
  'One mojito, coming right up.',
  'Two beers for the table.',
  'Your tab is twenty dollars.',
  'Cheers, enjoy your night!',
];

describe('Flite worker pool', () => {
  it('spreads syntheses asked for at once over its workers, each answer whole and in its own order', async () => {
    tts = new FliteTts({ workers: 2 });
    const chunks = await Promise.all(sentences.map((s) => tts!.synthesizeOnce(s)));
    expect(tts.liveWorkers).toBe(2);
    for (const [i, c] of chunks.entries()) {
      expect(c.sampleRate).toBe(16_000);
      // About a quarter second per word or more: the audio is the sentence asked for, not a neighbour's.
      expect(c.pcm.length / c.sampleRate, sentences[i]).toBeGreaterThan(
        0.2 * sentences[i]!.split(' ').length,
      );
      expect(c.words?.map((w) => w.label).join(' ')).toBe(sentences[i]);
    }
  }, 30_000);

  it('starts only the workers it needs while one is enough', async () => {
    tts = new FliteTts({ workers: 3 });
    await tts.synthesizeOnce('Hello there.');
    await tts.synthesizeOnce('Hello again.');
    expect(tts.liveWorkers).toBe(1);
  }, 30_000);

  it('replaces a worn worker as soon as it is worn, so the next reply does not wait for a fresh one', async () => {
    tts = new FliteTts({ workers: 1, maxSynthesesPerWorker: 2 });
    await tts.synthesizeOnce('One.');
    await tts.synthesizeOnce('Two.');
    // Worn after its second synthesis: the slot already holds a new worker, and it serves.
    expect(tts.liveWorkers).toBe(1);
    const third = await tts.synthesizeOnce('Three.');
    expect(third.pcm.length).toBeGreaterThan(1000);
  }, 30_000);

  it('answers many syntheses sent to one worker at once each with its own audio, and the worker survives', async () => {
    tts = new FliteTts({ workers: 1 });
    const texts = Array.from({ length: 12 }, (_, i) =>
      i % 2
        ? `That is ${i} beers on the tab.`
        : `Number ${i}, a whiskey sour with a long pour of lime.`,
    );
    const alone = new Map<string, number>();
    for (const t of new Set(texts)) alone.set(t, (await tts.synthesizeOnce(t)).pcm.length);
    const together = await Promise.all(texts.map((t) => tts!.synthesizeOnce(t)));
    for (const [i, c] of together.entries())
      expect(c.pcm.length, texts[i]).toBe(alone.get(texts[i]!));
    expect(tts.liveWorkers).toBe(1);
  }, 60_000);

  it('speaks in the voice asked for and exactly the text asked for, whatever instance was made ahead', async () => {
    // One worker: its next instance is made ahead for Maya's voice (slt) and, after each reply, for
    // the voice just used; a request in another voice, or text a command line would misread, is
    // spoken all the same.
    tts = new FliteTts({ workers: 1 });
    const guest = new FliteTts({ workers: 1, voice: 'kal16' });
    try {
      const inKal = await guest.synthesizeOnce('Two beers for the table.');
      const inSlt = await tts.synthesizeOnce('Two beers for the table.');
      // Made ahead for slt, asked for kal16 (the guest voice the tests speak with): the kal16 audio.
      const asked = (await tts.synthesizeOnce('Two beers for the table.', 'kal16')).pcm;
      expect(asked).toEqual(inKal.pcm);
      expect(asked).not.toEqual(inSlt.pcm);
      expect((await tts.synthesizeOnce('Two beers for the table.')).pcm).toEqual(inSlt.pcm);
      const dash = await tts.synthesizeOnce('-v is not an option, just words.');
      expect(dash.words?.map((w) => w.label).join(' ')).toBe('-v is not an option, just words.');
      expect(dash.pcm.length / dash.sampleRate).toBeGreaterThan(1.5);
    } finally {
      await guest.close();
    }
  }, 60_000);

  it('fails a sentence still being made when it is closed as closed, not as a crash', async () => {
    const closing = new FliteTts({ workers: 1 });
    await closing.warmUp();
    const pending = closing.synthesizeOnce('One mojito, coming right up.');
    await closing.close();
    await expect(pending).rejects.toThrow(/closed before the sentence was spoken/);
  }, 30_000);
});
