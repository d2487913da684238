/**
 * bench:denoise — does RNNoise (server/speech/embedded/denoise.ts) help the embedded ears in noise,
 * and does it hurt them in quiet? Our own bar orders, synthesised by Debian's TTS voices (flite,
 * eSpeak-NG, MBROLA), mixed with pink noise or a babble of other synthetic talkers at a given SNR,
 * streamed in 20 ms chunks through the denoiser (off / always / adaptive) and then:
 *   - the recogniser (whole clip, start → write → finish): words right and WER;
 *   - soundswallower's Endpointer (as the speech front end runs it): was the end of the speech detected, and how late.
 * Also the denoiser's CPU per second of audio. All conditions in one run (the recogniser's language
 * side changes under us during the day; compare within a run).
 *
 * Usage: npm run bench:denoise [-- --voices slt,us1 --conditions clean,pink15 --sentences 6 --modes off,always,always-nogate,always@0.1]
 * Needs flite, espeak-ng (+ mbrola us1/us2) and sox on the PATH; audio is cached in $TMPDIR.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LATENCY_MS, createDenoiser } from '../server/speech/embedded/denoise.ts';
import type { DenoiseMode, Denoiser } from '../server/speech/embedded/denoise.ts';
import { createRecogniser } from '../server/speech/embedded/recogniser.ts';
import type { SoundSwallowerModule } from 'soundswallower';
import { defaultVadOptions, loadSoundSwallower } from '../server/speech/embedded/soundswallower.ts';

const RATE_HZ = 16_000;
const CHUNK_SAMPLES = 320; // 20 ms, as the browser sends
const LEAD_SILENCE_SEC = 0.6;
const TRAIL_SILENCE_SEC = 1.2;
const SPEECH_ACTIVE_RMS_DBFS = -20;
/** A speech end counts as detected if the endpointer ends the turn no earlier than this before the true end. */
const END_EARLY_TOLERANCE_SEC = 0.25;

/** Our own orders (not the blind test set). */
const SENTENCES = [
  'can i get a mojito please',
  'two tap beers please',
  "i'll have a whiskey sour",
  'a glass of red wine please',
  'could i get three margaritas',
  'one negroni and a lemonade',
  "i'd like a vodka on the rocks",
  'can i have the bill please',
  'add a twenty percent tip',
  'a gin and an iced tea please',
  'what do you recommend',
  'cancel the martini',
];

/** Other talkers for the babble (never the test sentences). */
const BABBLE_TEXT = [
  'so then he told me the match was moved to saturday and nobody even called',
  'i think the new place down the road does a decent burger but the fries are cold',
  'we should book the flights before the prices go up again next month',
  'honestly the traffic this morning was the worst i have seen all year',
  'she said the concert was amazing and the band played for almost three hours',
  'did you see the weather forecast it is supposed to rain all weekend',
];

type Synth = (text: string, wav: string) => void;
const VOICES: Record<string, Synth> = {
  slt: (t, w) => execFileSync('flite', ['-voice', 'slt', '-t', t, '-o', w]),
  rms: (t, w) => execFileSync('flite', ['-voice', 'rms', '-t', t, '-o', w]),
  awb: (t, w) => execFileSync('flite', ['-voice', 'awb', '-t', t, '-o', w]),
  'espeak-en-us': (t, w) => execFileSync('espeak-ng', ['-v', 'en-us', '-w', w, t]),
  us1: (t, w) => execFileSync('espeak-ng', ['-v', 'mb-us1', '-w', w, t]),
  us2: (t, w) => execFileSync('espeak-ng', ['-v', 'mb-us2', '-w', w, t]),
};
const BABBLE_VOICES: Synth[] = [
  (t, w) => execFileSync('espeak-ng', ['-v', 'en-us+f2', '-s', '165', '-w', w, t]),
  (t, w) => execFileSync('espeak-ng', ['-v', 'en-gb+m3', '-s', '155', '-w', w, t]),
  (t, w) => execFileSync('espeak-ng', ['-v', 'mb-us3', '-w', w, t]),
  (t, w) => execFileSync('flite', ['-voice', 'kal16', '-t', t, '-o', w]),
  (t, w) => execFileSync('espeak-ng', ['-v', 'en-us+f4', '-s', '180', '-w', w, t]),
  (t, w) => execFileSync('espeak-ng', ['-v', 'en-us+m7', '-s', '150', '-w', w, t]),
];

interface Condition {
  name: string;
  noise: 'none' | 'pink' | 'babble';
  snrDb: number;
}
const CONDITIONS: Condition[] = [
  { name: 'clean', noise: 'none', snrDb: Infinity },
  { name: 'pink30', noise: 'pink', snrDb: 30 },
  { name: 'pink15', noise: 'pink', snrDb: 15 },
  { name: 'pink10', noise: 'pink', snrDb: 10 },
  { name: 'babble10', noise: 'babble', snrDb: 10 },
];
const MODES = ['off', 'always', 'adaptive'];

const cacheDir = join(tmpdir(), 'maya-bench-denoise');

/** Any audio file → 16 kHz mono s16 samples. */
function toPcm(file: string): Int16Array {
  const raw = execFileSync(
    'sox',
    [file, '-t', 'raw', '-r', String(RATE_HZ), '-e', 'signed', '-b', '16', '-c', '1', '-'],
    { maxBuffer: 1 << 28 },
  );
  return new Int16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2).slice();
}

function synth(voice: string, synthFn: Synth, text: string, key: string): Int16Array {
  const wav = join(cacheDir, `${voice}-${key}.wav`);
  if (!existsSync(wav)) synthFn(text, wav);
  return toPcm(wav);
}

function pinkNoise(seconds: number): Float32Array {
  const file = join(cacheDir, 'pink.wav');
  if (!existsSync(file))
    execFileSync('sox', [
      '-R',
      '-n',
      '-r',
      String(RATE_HZ),
      '-b',
      '16',
      '-c',
      '1',
      file,
      'synth',
      String(seconds),
      'pinknoise',
      'vol',
      '0.5',
    ]);
  return Float32Array.from(toPcm(file));
}

/** Six talkers, each looping its own chat, summed. */
function babble(seconds: number): Float32Array {
  const n = seconds * RATE_HZ;
  const out = new Float32Array(n);
  BABBLE_VOICES.forEach((v, k) => {
    const parts = BABBLE_TEXT.map((t, i) =>
      synth(`babble${k}`, v, t, `b${(i + k) % BABBLE_TEXT.length}`),
    );
    const talker = Float32Array.from(parts.flatMap((p) => [...p]));
    const r = rms(talker);
    for (let i = 0; i < n; i++) out[i]! += talker[(i + k * 7919) % talker.length]! / r;
  });
  return out;
}

function rms(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, to - from)) || 1e-9;
}

/** RMS of the 10 ms frames within 35 dB of the loudest (the speech, not the pauses), and the last such frame's end. */
function activeSpeech(x: Int16Array): { rms: number; endSample: number } {
  const frames: number[] = [];
  for (let i = 0; i + 160 <= x.length; i += 160) frames.push(rms(x, i, i + 160));
  const loud = Math.max(...frames);
  const active = frames.map((r, i) => [r, i] as const).filter(([r]) => r > loud * 10 ** (-35 / 20));
  return {
    rms: Math.sqrt(active.reduce((s, [r]) => s + r * r, 0) / active.length),
    endSample: (active.at(-1)![1] + 1) * 160,
  };
}

interface Clip {
  voice: string;
  text: string;
  condition: string;
  pcm: Int16Array;
  speechEndSec: number;
}

function makeClip(
  voice: string,
  text: string,
  speech: Int16Array,
  c: Condition,
  noise: Record<string, Float32Array>,
  seed: number,
): Clip {
  const a = activeSpeech(speech);
  const gain = (10 ** (SPEECH_ACTIVE_RMS_DBFS / 20) * 32768) / a.rms;
  const lead = Math.round(LEAD_SILENCE_SEC * RATE_HZ);
  const n = lead + speech.length + Math.round(TRAIL_SILENCE_SEC * RATE_HZ);
  const mix = new Float32Array(n);
  for (let i = 0; i < speech.length; i++) mix[lead + i] = speech[i]! * gain;
  if (c.noise !== 'none') {
    const src = noise[c.noise]!;
    const noiseRms = 10 ** ((SPEECH_ACTIVE_RMS_DBFS - c.snrDb) / 20) * 32768;
    const g = noiseRms / rms(src);
    const off = (seed * 104_729) % (src.length - n);
    for (let i = 0; i < n; i++) mix[i]! += src[off + i]! * g;
  }
  const pcm = Int16Array.from(mix, (v) => Math.max(-32768, Math.min(32767, Math.round(v))));
  return { voice, text, condition: c.name, pcm, speechEndSec: (lead + a.endSample) / RATE_HZ };
}

function words(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/[^a-z' ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

function editDistance(a: string[], b: string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(
        prev[j]! + 1,
        cur[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = cur;
  }
  return prev[b.length]!;
}

interface Tally {
  refWords: number;
  errors: number;
  exact: number;
  rejected: number;
  ends: number;
  endLagSec: number[];
  clips: number;
  audioSec: number;
  cpuMs: number;
}
const newTally = (): Tally => ({
  refWords: 0,
  errors: 0,
  exact: 0,
  rejected: 0,
  ends: 0,
  endLagSec: [],
  clips: 0,
  audioSec: 0,
  cpuMs: 0,
});

function denoiseStream(d: Denoiser, pcm: Int16Array): { out: Int16Array; cpuMs: number } {
  d.reset();
  const out = new Int16Array(pcm.length);
  const before = process.cpuUsage();
  for (let i = 0; i < pcm.length; i += CHUNK_SAMPLES)
    out.set(d.process(pcm.subarray(i, i + CHUNK_SAMPLES)), i);
  const used = process.cpuUsage(before);
  return { out, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * The endpointer's speech-end times over a stream, in the original (undelayed) timeline: soundswallower's
 * Endpointer with the service's settings and its ±3 LSB dither (as the speech front end feeds it).
 */
function speechEnds(ss: SoundSwallowerModule, pcm: Int16Array, delaySec: number): number[] {
  const o = defaultVadOptions;
  const ep = new ss.Endpointer({
    samprate: RATE_HZ,
    frame_length: 0.03,
    mode: o.mode,
    window: o.windowSec,
    ratio: o.ratio,
  });
  const frame = ep.get_frame_size();
  const ends: number[] = [];
  let was = false;
  let seed = 1;
  const f = new Float32Array(frame);
  for (let at = 0; at + frame <= pcm.length; at += frame) {
    for (let i = 0; i < frame; i++) {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      f[i] = (pcm[at + i]! + ((seed >>> 16) % 7) - 3) / 32768;
    }
    ep.process(f);
    const inSpeech = ep.get_in_speech();
    if (was && !inSpeech) ends.push(ep.get_speech_end() - delaySec);
    was = inSpeech;
  }
  return ends;
}

function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

async function main() {
  const { values } = parseArgs({
    options: {
      voices: { type: 'string' },
      conditions: { type: 'string' },
      sentences: { type: 'string' },
      modes: { type: 'string' },
      verbose: { type: 'boolean' },
    },
  });
  // A variant is a mode, optionally with the share of the original added back: "always@0.1".
  const modes = values.modes ? values.modes.split(',') : MODES;
  const voices = values.voices ? values.voices.split(',') : Object.keys(VOICES);
  const conditions = values.conditions
    ? CONDITIONS.filter((c) => values.conditions!.split(',').includes(c.name))
    : CONDITIONS;
  const sentences = SENTENCES.slice(
    0,
    values.sentences ? Number(values.sentences) : SENTENCES.length,
  );
  mkdirSync(cacheDir, { recursive: true });

  const noise = {
    pink: pinkNoise(60),
    babble: conditions.some((c) => c.noise === 'babble') ? babble(60) : new Float32Array(0),
  };
  const ss = await loadSoundSwallower();
  const recogniser = await createRecogniser(ss, {});
  const denoisers = Object.fromEntries(
    await Promise.all(
      modes.map(async (variant) => {
        // "always-nogate": RNNoise without its voice gate.
        const [modeAndGate = '', dryMix] = variant.split('@');
        const [mode, gate] = modeAndGate.split('-');
        return [
          variant,
          await createDenoiser({
            mode: mode as DenoiseMode,
            gate: gate !== 'nogate',
            ...(dryMix ? { dryMix: Number(dryMix) } : {}),
          }),
        ] as const;
      }),
    ),
  );
  const tallies = new Map<string, Tally>();
  const tally = (key: string) => tallies.get(key) ?? tallies.set(key, newTally()).get(key)!;

  const started = performance.now();
  let seed = 1;
  for (const voice of voices) {
    const synthFn = VOICES[voice];
    if (!synthFn) throw new Error(`unknown voice ${voice}`);
    for (const [si, text] of sentences.entries()) {
      const speech = synth(voice, synthFn, text, `s${si}`);
      for (const c of conditions) {
        const clip = makeClip(voice, text, speech, c, noise, seed++);
        for (const mode of modes) {
          const { out, cpuMs } = denoiseStream(denoisers[mode]!, clip.pcm);
          const delaySec = mode === 'off' ? 0 : LATENCY_MS / 1000;
          recogniser.start();
          for (let i = 0; i < out.length; i += CHUNK_SAMPLES)
            recogniser.write(
              Float32Array.from(out.subarray(i, i + CHUNK_SAMPLES), (v) => v / 32768),
            );
          const result = recogniser.finish();
          const ref = words(text);
          const err = editDistance(ref, words(result.text));
          const ends = speechEnds(ss, out, delaySec);
          const end = ends.find((t) => t >= clip.speechEndSec - END_EARLY_TOLERANCE_SEC);
          for (const key of [`${c.name}|${mode}|${voice}`, `${c.name}|${mode}|all`]) {
            const t = tally(key);
            t.clips++;
            t.refWords += ref.length;
            t.errors += err;
            if (err === 0) t.exact++;
            if (result.rejected) t.rejected++;
            if (end !== undefined) {
              t.ends++;
              t.endLagSec.push(end - clip.speechEndSec);
            }
            t.audioSec += clip.pcm.length / RATE_HZ;
            t.cpuMs += cpuMs;
          }
          if (values.verbose)
            console.log(
              `${voice} ${c.name} ${mode}: "${result.text}"${result.rejected ? ' (rejected)' : ''} ends=[${ends.map((e) => e.toFixed(2)).join(',')}] true end ${clip.speechEndSec.toFixed(2)}`,
            );
        }
      }
    }
    console.error(`${voice} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }

  console.log(
    `denoiser latency ${LATENCY_MS} ms; ${sentences.length} sentences × ${voices.length} voices per row; speech at ${SPEECH_ACTIVE_RMS_DBFS} dBFS active RMS`,
  );
  console.log(
    'condition | mode | exact | WER | rejected | speech end detected | end lag p50/p95 | denoiser CPU ms per s audio',
  );
  for (const c of conditions)
    for (const mode of modes) {
      const t = tally(`${c.name}|${mode}|all`);
      console.log(
        `${c.name} | ${mode} | ${t.exact}/${t.clips} | ${((100 * t.errors) / t.refWords).toFixed(1)}% | ${t.rejected} | ${t.ends}/${t.clips} | ${percentile(t.endLagSec, 0.5).toFixed(2)}/${percentile(t.endLagSec, 0.95).toFixed(2)} s | ${(t.cpuMs / t.audioSec).toFixed(1)}`,
      );
    }
  console.log(`\nper voice: exact (WER), speech ends detected — ${modes.join(' | ')}`);
  for (const c of conditions)
    for (const voice of voices) {
      const cells = modes
        .map((m) => tally(`${c.name}|${m}|${voice}`))
        .map(
          (t) =>
            `${t.exact}/${t.clips} (${((100 * t.errors) / t.refWords).toFixed(0)}%) ends ${t.ends}`,
        );
      console.log(`${c.name} | ${voice} | ${cells.join(' | ')}`);
    }
  recogniser.delete();
  for (const d of Object.values(denoisers)) d.delete();
}

await main();
