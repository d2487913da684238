/**
 * Lip-sync sources for `setMouthSource` (client/audio/speechActivity.ts).
 * - Timed: phone timings (Flite `-psdur`) or word timings (Cartesia) scheduled on the *playback*
 *   clock (AudioContext.currentTime), so the mouth matches what is heard, not when packets arrived.
 * - Amplitude: the fallback when a reply has no timings: RMS of the playing audio.
 * Both close the mouth at once when stopped (barge-in).
 */
import { setMouthSource } from '../audio/speechActivity.ts';
import type { MouthShape } from '../audio/speechActivity.ts';

/** One timed unit of speech, in seconds from the start of the clip. Either a phone or a word. */
export interface SpeechCue {
  startS: number;
  endS: number;
  /** CMU/Flite phone ("aa", "m", "pau", ...). */
  phone?: string;
  /** A whole word (when only word timings exist). */
  word?: string;
}

export interface VisemeShape {
  open: number;
  /** Mouth width factor: < 1 rounded (o, u), > 1 spread (ee). */
  width: number;
}

const VISEME_OF_PHONE: Record<string, string> = {
  pau: 'sil',
  'h#': 'sil',
  sil: 'sil',
  m: 'PP',
  b: 'PP',
  p: 'PP',
  f: 'FF',
  v: 'FF',
  th: 'TH',
  dh: 'TH',
  t: 'DD',
  d: 'DD',
  n: 'DD',
  l: 'DD',
  k: 'kk',
  g: 'kk',
  ng: 'kk',
  hh: 'kk',
  ch: 'CH',
  jh: 'CH',
  sh: 'CH',
  zh: 'CH',
  s: 'SS',
  z: 'SS',
  r: 'RR',
  er: 'RR',
  aa: 'aa',
  ae: 'aa',
  ah: 'aa',
  ay: 'aa',
  aw: 'aa',
  eh: 'E',
  ey: 'E',
  ih: 'I',
  iy: 'I',
  y: 'I',
  ao: 'O',
  ow: 'O',
  oy: 'O',
  uh: 'U',
  uw: 'U',
  w: 'U',
  ax: 'ax',
};

export const VISEME_SHAPES: Record<string, VisemeShape> = {
  sil: { open: 0, width: 1 },
  PP: { open: 0, width: 0.95 },
  FF: { open: 0.14, width: 1 },
  TH: { open: 0.22, width: 1 },
  DD: { open: 0.3, width: 1 },
  kk: { open: 0.36, width: 1 },
  CH: { open: 0.3, width: 0.8 },
  SS: { open: 0.18, width: 1.08 },
  RR: { open: 0.3, width: 0.82 },
  aa: { open: 0.9, width: 1.05 },
  E: { open: 0.55, width: 1.15 },
  I: { open: 0.35, width: 1.2 },
  O: { open: 0.68, width: 0.7 },
  U: { open: 0.35, width: 0.6 },
  ax: { open: 0.45, width: 1 },
  /** Syllable-shaped opening derived from word timings. */
  word: { open: 0.6, width: 1 },
};

export function visemeOfPhone(phone: string): string {
  return VISEME_OF_PHONE[phone.toLowerCase().replace(/[0-9]/g, '')] ?? 'ax';
}

export function visemeShape(viseme: string | undefined): VisemeShape {
  return (viseme && VISEME_SHAPES[viseme]) || VISEME_SHAPES.ax!;
}

export const lipsyncDefaults = {
  /** Cross-fade between neighbouring phones (co-articulation), seconds. */
  blendS: 0.04,
  /** Rough syllable length when only word timings exist. */
  syllableS: 0.18,
  /** Amplitude fallback: RMS below this is silence; gain maps speech RMS to 0..1. */
  amplitudeFloor: 0.01,
  amplitudeGain: 6,
  amplitudeAttack: 0.6,
  amplitudeRelease: 0.2,
} as const;

const closed: MouthShape = { open: 0, viseme: 'sil' };

function shapeOfCue(cue: SpeechCue, t: number): MouthShape {
  if (cue.phone !== undefined) {
    const viseme = visemeOfPhone(cue.phone);
    return { open: visemeShape(viseme).open, viseme };
  }
  // Word timing only: open and close once per estimated syllable.
  const duration = Math.max(0.01, cue.endS - cue.startS);
  const syllables = Math.max(1, Math.round(duration / lipsyncDefaults.syllableS));
  const phase = ((t - cue.startS) / duration) * syllables;
  return { open: VISEME_SHAPES.word!.open * Math.abs(Math.sin(phase * Math.PI)), viseme: 'word' };
}

/** The mouth at clip time `t` (seconds) for sorted cues; closed outside them. */
export function mouthAt(cues: readonly SpeechCue[], t: number): MouthShape {
  const i = cues.findIndex((c) => t >= c.startS && t < c.endS);
  if (i < 0) return closed;
  const cue = cues[i]!;
  const here = shapeOfCue(cue, t);
  // Blend into the next cue near the boundary so the jaw glides rather than jumps.
  const next = cues[i + 1];
  const toEnd = cue.endS - t;
  if (next && next.startS <= cue.endS + 1e-6 && toEnd < lipsyncDefaults.blendS) {
    const w = 1 - toEnd / lipsyncDefaults.blendS;
    const there = shapeOfCue(next, next.startS);
    return { open: here.open * (1 - w * 0.5) + there.open * w * 0.5, viseme: here.viseme };
  }
  return here;
}

export interface StoppableMouthSource {
  (): MouthShape;
  /** Barge-in / end: the mouth closes on the next frame. */
  stop(): void;
}

/**
 * Cues scheduled on the playback clock: `clockS()` is e.g. `() => audioContext.currentTime` and
 * `startAtS` the clock time at which the clip's first sample plays.
 */
export function timedMouthSource(
  cues: readonly SpeechCue[],
  clockS: () => number,
  startAtS: number,
): StoppableMouthSource {
  const sorted = [...cues].sort((a, b) => a.startS - b.startS);
  let stopped = false;
  const source = (() =>
    stopped ? closed : mouthAt(sorted, clockS() - startAtS)) as StoppableMouthSource;
  source.stop = () => {
    stopped = true;
  };
  return source;
}

/** What the amplitude fallback needs from an AnalyserNode. */
export interface TimeDomainSource {
  fftSize: number;
  getFloatTimeDomainData(array: Float32Array<ArrayBuffer>): void;
}

/** Mouth from the loudness of what is playing (attack fast, release slower, so it does not flutter). */
export function amplitudeMouthSource(analyser: TimeDomainSource): StoppableMouthSource {
  const buf = new Float32Array(analyser.fftSize);
  let open = 0;
  let stopped = false;
  const source = (() => {
    if (stopped) return closed;
    analyser.getFloatTimeDomainData(buf);
    let sum = 0;
    for (const v of buf) sum += v * v;
    const rms = Math.sqrt(sum / buf.length);
    const target = Math.min(
      1,
      Math.max(0, (rms - lipsyncDefaults.amplitudeFloor) * lipsyncDefaults.amplitudeGain),
    );
    open +=
      (target - open) *
      (target > open ? lipsyncDefaults.amplitudeAttack : lipsyncDefaults.amplitudeRelease);
    return { open };
  }) as StoppableMouthSource;
  source.stop = () => {
    stopped = true;
    open = 0;
  };
  return source;
}

/**
 * For the playback layer: drive Maya's mouth for one clip. With timings, pass the cues, the audio
 * clock and the clock time the clip starts at; without, pass the AnalyserNode the clip plays through.
 * Returns `stop` (call it on barge-in or at the end of the clip): the mouth closes on the next frame.
 */
export function startLipSync(
  clip:
    | { cues: readonly SpeechCue[]; clockS: () => number; startAtS: number }
    | { analyser: TimeDomainSource },
): () => void {
  const source =
    'cues' in clip && clip.cues.length > 0
      ? timedMouthSource(clip.cues, clip.clockS, clip.startAtS)
      : 'analyser' in clip
        ? amplitudeMouthSource(clip.analyser)
        : null;
  if (!source) return () => {};
  setMouthSource(source);
  return () => {
    source.stop();
    setMouthSource(() => closed);
  };
}
