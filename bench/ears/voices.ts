/**
 * Guest voices for the ears bench: Debian's Flite, eSpeak NG and MBROLA (never heard by the people
 * tuning the recogniser), plus the app's embedded Flite WASM voice as a baseline. Every clip is 16 kHz
 * mono s16 with lead and trailing silence; noisy variants add pink noise at an exact SNR. Clips are
 * cached under .cache/ears/audio, keyed by text + voice, so reruns start at once.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FliteTts } from '../../server/speech/embedded/flite.ts';

const run = promisify(execFile);
export const RATE = 16_000;
export const LEAD_MS = 500;
export const TAIL_MS = 800;
const CACHE_VERSION = 1;
export const CACHE_DIR = join(process.cwd(), '.cache', 'ears');

export interface Voice {
  id: string;
  family: 'embedded' | 'flite' | 'espeak' | 'mbrola';
  /** Engine voice name: flite -voice, espeak-ng -v, or the MBROLA database (us1…). */
  name: string;
  /** Pink noise at this signal-to-noise ratio, over the whole clip (lead and trail too). */
  snrDb?: number;
  /** The recogniser was tuned on this voice: reported apart, not as an unseen voice. */
  baseline?: boolean;
}

export const VOICES: readonly Voice[] = [
  { id: 'embedded-kal16', family: 'embedded', name: 'kal16', baseline: true },
  { id: 'flite-rms', family: 'flite', name: 'rms' },
  { id: 'flite-awb', family: 'flite', name: 'awb' },
  { id: 'flite-slt', family: 'flite', name: 'slt' },
  { id: 'espeak-us', family: 'espeak', name: 'en-us' },
  { id: 'mbrola-us1', family: 'mbrola', name: 'us1' },
  { id: 'mbrola-us2', family: 'mbrola', name: 'us2' },
  { id: 'mbrola-us3', family: 'mbrola', name: 'us3' },
  { id: 'mbrola-us1-snr15', family: 'mbrola', name: 'us1', snrDb: 15 },
  { id: 'flite-rms-snr15', family: 'flite', name: 'rms', snrDb: 15 },
];
/** The default run (about 15 min): the baseline, Flite, eSpeak and two MBROLA voices clean, one Flite and one MBROLA noisy. */
export const DEFAULT_VOICE_IDS = [
  'embedded-kal16',
  'flite-rms',
  'espeak-us',
  'mbrola-us1',
  'mbrola-us3',
  'mbrola-us1-snr15',
  'flite-rms-snr15',
];

/** A clip ready to stream, with where the speech is (in samples). */
export interface Clip {
  pcm: Int16Array;
  speechStart: number;
  /** One past the last non-silent sample: "end of guest speech". */
  speechEnd: number;
  /** For a paused utterance: where the first half's speech ends and the second half's begins. */
  pause?: { firstEnd: number; secondStart: number };
}

export interface Speakable {
  text: string;
  pause?: { before: string; after: string; ms: number } | undefined;
}

/** The Debian tools a voice needs, or a sentence saying what is missing. */
export function missingTools(voices: readonly Voice[]): string[] {
  const need = new Set<string>();
  for (const v of voices) {
    if (v.family === 'embedded') continue;
    need.add('sox');
    if (v.family === 'flite') need.add('flite');
    if (v.family === 'espeak' || v.family === 'mbrola') need.add('espeak-ng');
    if (v.family === 'mbrola') need.add('mbrola');
  }
  const missing = [...need]
    .filter((tool) => spawnSync('/bin/sh', ['-c', `command -v ${tool}`]).status !== 0)
    .map((t) => `${t} (apt-get install ${t})`);
  for (const v of voices) {
    if (v.family === 'mbrola' && !existsSync(`/usr/share/mbrola/${v.name}`))
      missing.push(`MBROLA voice ${v.name} (apt-get install mbrola-${v.name})`);
  }
  return missing;
}

let embedded: FliteTts | undefined;
/** Close the embedded Flite engine if a baseline clip was made. */
export async function closeVoices(): Promise<void> {
  await embedded?.close();
  embedded = undefined;
}

/** Raw speech for one text: 16 kHz mono s16, as the engine made it. */
async function synthesise(voice: Voice, text: string): Promise<Int16Array> {
  if (voice.family === 'embedded') {
    embedded ??= new FliteTts({ voice: voice.name as 'kal16' });
    return (await embedded.synthesizeOnce(text)).pcm;
  }
  const dir = mkdtempSync(join(tmpdir(), 'maya-ears-'));
  try {
    const wav = join(dir, 'raw.wav');
    if (voice.family === 'flite') await run('flite', ['-voice', voice.name, '-t', text, '-o', wav]);
    else
      await run('espeak-ng', [
        '-v',
        voice.family === 'mbrola' ? `mb-${voice.name}` : voice.name,
        '-w',
        wav,
        text,
      ]);
    const raw = join(dir, 'out.raw');
    await run('sox', [
      wav,
      '-r',
      String(RATE),
      '-c',
      '1',
      '-b',
      '16',
      '-e',
      'signed-integer',
      '-t',
      'raw',
      raw,
    ]);
    const bytes = readFileSync(raw);
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2).slice();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Pink noise from sox with its fixed random seed (-R), so noisy clips are the same on every run. */
async function pinkNoise(samples: number): Promise<Int16Array> {
  const { stdout } = await run(
    'sox',
    [
      '-R',
      '-n',
      '-r',
      String(RATE),
      '-c',
      '1',
      '-b',
      '16',
      '-e',
      'signed-integer',
      '-t',
      'raw',
      '-',
      'synth',
      `${samples / RATE}`,
      'pinknoise',
    ],
    {
      encoding: 'buffer',
      maxBuffer: 64 << 20,
    },
  );
  const noise = new Int16Array(samples);
  noise.set(
    new Int16Array(stdout.buffer, stdout.byteOffset, Math.min(samples, stdout.length >> 1)),
  );
  return noise;
}

/** Drop the engine's own leading and trailing near-silence, so "end of speech" is where the voice stops. */
export function trimSilence(pcm: Int16Array, threshold = 300): Int16Array {
  let start = 0;
  let end = pcm.length;
  while (start < end && Math.abs(pcm[start]!) < threshold) start++;
  while (end > start && Math.abs(pcm[end - 1]!) < threshold) end--;
  return pcm.slice(start, end);
}

export function rms(pcm: ArrayLike<number>, from = 0, to = pcm.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += pcm[i]! * pcm[i]!;
  return to > from ? Math.sqrt(sum / (to - from)) : 0;
}

/**
 * Add `noise` (at least as long as `clean`) so that speech RMS / noise RMS = `snrDb`, where the
 * speech RMS is taken over the given speech ranges only and the noise RMS over the whole clip.
 */
export function mixAtSnr(
  clean: Int16Array,
  noise: Int16Array,
  snrDb: number,
  speech: [number, number][],
): Int16Array {
  let sum = 0;
  let n = 0;
  for (const [a, b] of speech) for (let i = a; i < b; i++, n++) sum += clean[i]! * clean[i]!;
  const speechRms = Math.sqrt(sum / Math.max(1, n));
  const noiseRms = rms(noise, 0, clean.length);
  const gain = noiseRms > 0 ? speechRms / (noiseRms * 10 ** (snrDb / 20)) : 0;
  const out = new Int16Array(clean.length);
  for (let i = 0; i < clean.length; i++)
    out[i] = Math.max(-32768, Math.min(32767, Math.round(clean[i]! + gain * noise[i]!)));
  return out;
}

/** Lay the trimmed speech parts out with lead silence, the pause between halves, and trailing silence. */
export function layOut(
  parts: Int16Array[],
  pauseMs: number,
  leadMs = LEAD_MS,
  tailMs = TAIL_MS,
): Clip {
  const ms = (x: number) => Math.round((x * RATE) / 1000);
  const gap = ms(pauseMs);
  const total =
    ms(leadMs) + parts.reduce((s, p) => s + p.length, 0) + gap * (parts.length - 1) + ms(tailMs);
  const pcm = new Int16Array(total);
  let at = ms(leadMs);
  const ranges: [number, number][] = [];
  for (const [i, p] of parts.entries()) {
    if (i > 0) at += gap;
    pcm.set(p, at);
    ranges.push([at, at + p.length]);
    at += p.length;
  }
  const first = ranges[0] ?? [at, at];
  const last = ranges.at(-1) ?? first;
  return {
    pcm,
    speechStart: first[0],
    speechEnd: last[1],
    ...(ranges.length > 1 && { pause: { firstEnd: first[1], secondStart: last[0] } }),
  };
}

function speechRanges(clip: Clip): [number, number][] {
  return clip.pause
    ? [
        [clip.speechStart, clip.pause.firstEnd],
        [clip.pause.secondStart, clip.speechEnd],
      ]
    : [[clip.speechStart, clip.speechEnd]];
}

/** The clip of `what` in `voice`, from the cache or made now. */
export async function speak(voice: Voice, what: Speakable): Promise<Clip> {
  const key = createHash('sha1')
    .update(JSON.stringify([CACHE_VERSION, voice, what.text, what.pause ?? null, LEAD_MS, TAIL_MS]))
    .digest('hex')
    .slice(0, 16);
  const dir = join(CACHE_DIR, 'audio', voice.id);
  const pcmPath = join(dir, `${key}.pcm`);
  const metaPath = join(dir, `${key}.json`);
  if (existsSync(pcmPath) && existsSync(metaPath)) {
    const bytes = readFileSync(pcmPath);
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Omit<Clip, 'pcm'>;
    return {
      ...meta,
      pcm: new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2).slice(),
    };
  }
  const texts = what.pause ? [what.pause.before, what.pause.after] : [what.text];
  const parts: Int16Array[] = [];
  for (const t of texts) parts.push(trimSilence(await synthesise(voice, t)));
  let clip = layOut(parts, what.pause?.ms ?? 0);
  if (voice.snrDb !== undefined)
    clip = {
      ...clip,
      pcm: mixAtSnr(clip.pcm, await pinkNoise(clip.pcm.length), voice.snrDb, speechRanges(clip)),
    };
  mkdirSync(dir, { recursive: true });
  writeFileSync(pcmPath, clip.pcm);
  const { pcm: _pcm, ...meta } = clip;
  writeFileSync(metaPath, JSON.stringify({ text: what.text, ...meta }));
  return clip;
}
