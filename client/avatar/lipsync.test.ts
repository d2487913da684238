import { describe, expect, it } from 'vitest';
import {
  amplitudeMouthSource,
  mouthAt,
  startLipSync,
  timedMouthSource,
  visemeOfPhone,
  visemeShape,
} from './lipsync.ts';
import { currentMouth } from '../audio/speechActivity.ts';
import type { SpeechCue } from './lipsync.ts';
import { computeMouthCurves, MOUTH_POINTS } from './mouth.ts';

// "ma" then silence: Flite -psdur style phones converted to start/end seconds.
const phones: SpeechCue[] = [
  { startS: 0, endS: 0.1, phone: 'pau' },
  { startS: 0.1, endS: 0.2, phone: 'm' },
  { startS: 0.2, endS: 0.4, phone: 'aa' },
  { startS: 0.4, endS: 0.5, phone: 'pau' },
];

describe('lip-sync', () => {
  it('maps phones to visemes: lips shut on m/b/p, wide on aa, rounded on ow', () => {
    expect(visemeOfPhone('m')).toBe('PP');
    expect(visemeOfPhone('AA1')).toBe('aa');
    expect(visemeShape(visemeOfPhone('p')).open).toBe(0);
    expect(visemeShape(visemeOfPhone('aa')).open).toBeGreaterThan(0.8);
    expect(visemeShape(visemeOfPhone('ow')).width).toBeLessThan(0.8);
  });

  it('opens the mouth for the vowel and closes it for the consonant and the pauses', () => {
    expect(mouthAt(phones, 0.05).open).toBe(0);
    expect(mouthAt(phones, 0.12).open).toBe(0);
    expect(mouthAt(phones, 0.3).open).toBeGreaterThan(0.8);
    expect(mouthAt(phones, 0.45).open).toBe(0);
    expect(mouthAt(phones, 0.7).open).toBe(0);
  });

  it('glides into the next phone near a boundary', () => {
    const justBefore = mouthAt(phones, 0.195).open;
    expect(justBefore).toBeGreaterThan(0);
    expect(justBefore).toBeLessThan(0.9);
  });

  it('schedules cues on the playback clock, not on arrival', () => {
    let clock = 10; // AudioContext.currentTime when the cues arrived
    const startAt = 10.5; // the clip is queued to start playing half a second later
    const source = timedMouthSource(phones, () => clock, startAt);
    clock = 10.3; // the vowel's time after arrival — but nothing is playing yet
    expect(source().open).toBe(0);
    clock = startAt + 0.3; // the vowel is now being heard
    expect(source().open).toBeGreaterThan(0.8);
  });

  it('closes the mouth at once on barge-in', () => {
    const clock = 0.3;
    const source = timedMouthSource(phones, () => clock, 0);
    expect(source().open).toBeGreaterThan(0.8);
    source.stop();
    expect(source().open).toBe(0);
  });

  it('opens and closes once per syllable when only word timings exist', () => {
    const words: SpeechCue[] = [{ startS: 0, endS: 0.36, word: 'margarita' }];
    const samples = Array.from({ length: 36 }, (_, i) => mouthAt(words, i / 100).open);
    expect(Math.max(...samples)).toBeGreaterThan(0.5);
    const closings = samples.filter((v, i) => i > 0 && v < 0.1 && samples[i - 1]! >= 0.1).length;
    expect(closings).toBeGreaterThanOrEqual(1);
  });

  it('falls back to the playing audio amplitude, and closes when stopped', () => {
    let level = 0;
    const analyser = {
      fftSize: 256,
      getFloatTimeDomainData(a: Float32Array) {
        for (let i = 0; i < a.length; i++) a[i] = level * Math.sin(i / 3);
      },
    };
    const source = amplitudeMouthSource(analyser);
    expect(source().open).toBe(0);
    level = 0.3;
    let open = 0;
    for (let i = 0; i < 5; i++) open = source().open;
    expect(open).toBeGreaterThan(0.5);
    source.stop();
    expect(source().open).toBe(0);
  });
});

describe("startLipSync (the playback layer's entry point)", () => {
  it('drives currentMouth() from the clip on the playback clock and closes it on stop', () => {
    let clock = 5;
    const stop = startLipSync({ cues: phones, clockS: () => clock, startAtS: 5 });
    clock = 5.3;
    expect(currentMouth().open).toBeGreaterThan(0.8);
    stop();
    expect(currentMouth().open).toBe(0);
  });
});

describe('mouth curves', () => {
  it('is a closed line at rest (lips touch, no teeth) and opens with the jaw', () => {
    const shut = computeMouthCurves({ width: 0.08, smile: 0, open: 0, skew: 0 });
    const mid = Math.floor(MOUTH_POINTS / 2);
    expect(shut.innerUpper[mid]! - shut.innerLower[mid]!).toBeLessThan(0.003);
    expect(shut.innerUpper[mid]! - shut.teethLower[mid]!).toBeLessThan(1e-6);
    const open = computeMouthCurves({ width: 0.08, smile: 0, open: 1, skew: 0 });
    expect(open.innerUpper[mid]! - open.innerLower[mid]!).toBeGreaterThan(0.05);
    expect(open.innerUpper[mid]! - open.teethLower[mid]!).toBeGreaterThan(0.005);
  });

  it('lifts the corners for a smile and drops them for a frown', () => {
    const smile = computeMouthCurves({ width: 0.08, smile: 1, open: 0, skew: 0 });
    const frown = computeMouthCurves({ width: 0.08, smile: -1, open: 0, skew: 0 });
    const mid = Math.floor(MOUTH_POINTS / 2);
    expect(smile.innerUpper[0]!).toBeGreaterThan(smile.innerUpper[mid]!);
    expect(frown.innerUpper[0]!).toBeLessThan(frown.innerUpper[mid]!);
  });
});
