import { describe, expect, it } from 'vitest';
import { EchoDetector } from './echo.ts';

/** A syllable-like loudness pattern: tone bursts of random length and level, with pauses. */
function speechLike(ms: number, seed: number): Int16Array {
  const pcm = new Int16Array((ms * 16000) / 1000);
  let s = seed;
  const next = () => ((s = (s * 1_103_515_245 + 12_345) >>> 0) >>> 16) / 65536;
  for (let i = 0; i < pcm.length; ) {
    const length = Math.round(16 * (60 + 240 * next()));
    const level = next() < 0.3 ? 0.02 : 0.3 + 0.7 * next();
    for (let k = 0; k < length && i < pcm.length; k++, i++)
      pcm[i] = Math.round(8000 * level * Math.sin((2 * Math.PI * 220 * i) / 16000));
  }
  return pcm;
}

describe('echo detector', () => {
  it('recognises the reply coming back quieter and later, but not a different voice', () => {
    const reply = speechLike(3000, 1);
    const echo = new EchoDetector(0);
    echo.played(reply, 0);
    // Heard back 150 ms later at a fifth of the level, in 100 ms frames.
    const back = reply.map((v) => Math.round(v / 5));
    for (let at = 0; at + 1600 <= back.length; at += 1600)
      echo.heard(back.subarray(at, at + 1600), 150 + ((at + 1600) / 16000) * 1000);
    expect(echo.isEcho()).toBe(true);

    // Someone else talking over the same reply, twenty different ways: never taken for echo.
    for (let seed = 2; seed < 22; seed++) {
      const guest = new EchoDetector(0);
      guest.played(reply, 0);
      const other = speechLike(3000, seed);
      for (let at = 0; at + 1600 <= other.length; at += 1600)
        guest.heard(other.subarray(at, at + 1600), 150 + ((at + 1600) / 16000) * 1000);
      expect(guest.isEcho()).toBe(false);
    }
  });
});
