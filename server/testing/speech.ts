/** Test speech: WAVs made at test time with a Flite voice, and streaming them like a microphone. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FliteTts } from '../speech/embedded/flite.ts';
import type { FliteVoice } from '../speech/embedded/flite.ts';

export const TEST_SAMPLE_RATE_HZ = 16_000;
/** The guest's test voice: a male Flite voice, not Maya's (slt), so the loop is not TTS talking to itself. */
export const GUEST_VOICE: FliteVoice = 'kal16';

export interface Clip {
  text: string;
  pcm: Int16Array;
  /** Where speech ends in `pcm`, in samples (the rest is trailing silence). */
  speechEndSample: number;
}

/** Speak each text with a Flite voice, with silence before and after (in ms). */
export async function speakClips(
  texts: string[],
  { voice = GUEST_VOICE, leadMs = 500, tailMs = 1000 } = {},
): Promise<Clip[]> {
  const tts = new FliteTts({ voice });
  try {
    const clips: Clip[] = [];
    for (const text of texts) {
      const { pcm: speech } = await tts.synthesizeOnce(text);
      const trimmed = trimSilence(speech);
      const lead = (leadMs * TEST_SAMPLE_RATE_HZ) / 1000;
      const pcm = new Int16Array(lead + trimmed.length + (tailMs * TEST_SAMPLE_RATE_HZ) / 1000);
      pcm.set(trimmed, lead);
      clips.push({ text, pcm, speechEndSample: lead + trimmed.length });
    }
    return clips;
  } finally {
    await tts.close();
  }
}

/** Drop Flite's leading and trailing near-silence, so "end of speech" is where the voice stops. */
function trimSilence(pcm: Int16Array, threshold = 300): Int16Array {
  let start = 0;
  let end = pcm.length;
  while (start < end && Math.abs(pcm[start]!) < threshold) start++;
  while (end > start && Math.abs(pcm[end - 1]!) < threshold) end--;
  return pcm.slice(start, end);
}

export function concatPcm(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function wavBytes(pcm: Int16Array, sampleRate = TEST_SAMPLE_RATE_HZ): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.byteLength, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.byteLength, 40);
  return Buffer.concat([header, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)]);
}

/** Write a WAV into a fresh temp dir and return its absolute path. */
export function writeTempWav(name: string, pcm: Int16Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'maya-voice-'));
  const path = join(dir, name);
  writeFileSync(path, wavBytes(pcm));
  return path;
}

/** Send PCM as binary frames of `frameMs`, paced like a live microphone (or as fast as possible). */
export async function streamPcm(
  send: (frame: Buffer) => void,
  pcm: Int16Array,
  { frameMs = 100, realTime = true } = {},
): Promise<void> {
  const frame = (frameMs * TEST_SAMPLE_RATE_HZ) / 1000;
  const started = performance.now();
  for (let at = 0, i = 0; at < pcm.length; at += frame, i++) {
    const part = pcm.slice(at, at + frame);
    send(Buffer.from(part.buffer));
    if (realTime) {
      const due = started + (i + 1) * frameMs;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    }
  }
}
