/**
 * Voice latency and accuracy with the embedded engines, measured from outside the pipeline.
 *
 * 1. Browser loop: Debian's Chromium with a fake microphone plays a WAV of N utterances (a Flite
 *    voice that is not Maya's, with pauses for her answers); the page's voice trace gives, per
 *    utterance, the time from the end of the captured speech to: the endpoint (speech_ended), the
 *    final transcript, the reply text, the first reply audio received, and the first sample played.
 * 2. Recognition accuracy over the websocket: intents right / total for the test set in three Flite
 *    voices, and how many out-of-grammar utterances reached the tab.
 *
 * Run: npm run bench:voice  (builds the client first; BENCH_UTTERANCES=20 by default)
 */
import { chromium } from '@playwright/test';
import pino from 'pino';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { startApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { parseIntent } from '../server/conversation/brain/intents.ts';
import type { FliteVoice } from '../server/speech/embedded/flite.ts';
import {
  concatPcm,
  speakClips,
  streamPcm,
  TEST_SAMPLE_RATE_HZ,
  writeTempWav,
} from '../server/testing/speech.ts';
import { TestClient } from '../server/testing/wsClient.ts';

const UTTERANCES = [
  "i'd like a margarita please",
  'two old fashioned on the rocks',
  'add a twenty percent tip',
  'can i get the bill',
  "i'll have a negroni",
  'can i get a whiskey sour',
  'three beers please',
  'a glass of red wine',
  'one martini and one manhattan',
  'could i have a daiquiri',
  'just water for me',
  'add a fifteen percent tip',
  'can i have the check please',
  'two mojitos and a beer',
  "i'd like four margaritas",
  'no tip thanks',
  'another old fashioned please',
  'remove one beer',
  'a glass of white wine please',
  'what do you recommend',
  'remove the mojito',
  "that's all thanks",
  'i want to pay',
  'cancel the cosmopolitan',
  'make it a double',
];
const OUT_OF_GRAMMAR = [
  'where is the bathroom',
  'tell me a joke',
  'what time do you close',
  'i would like a pizza',
  'is it going to rain tomorrow',
  'my name is john',
  'can you turn the music down',
  'who won the game last night',
  'do you have wifi',
  'i need a taxi',
  'what is the meaning of life',
  'the weather is lovely today',
  'i lost my phone somewhere',
  'could you call me a cab',
];
const count = Number(process.env.BENCH_UTTERANCES ?? 20);
/** Pause after each utterance: long enough for Maya's answer to play out before the next one. */
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 5500);

interface TraceEntry {
  kind: string;
  t: number;
  text?: string;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};
const sameIntent = (heard: string, said: string) =>
  JSON.stringify(parseIntent(heard)) === JSON.stringify(parseIntent(said));

async function browserLoop(url: string) {
  const texts = UTTERANCES.slice(0, count);
  const clips = await speakClips(texts, { leadMs: 0, tailMs: 0 });
  const silence = (ms: number) => new Int16Array((ms * TEST_SAMPLE_RATE_HZ) / 1000);
  const wav = writeTempWav(
    'bench.wav',
    concatPcm([silence(1000), ...clips.flatMap((c) => [c.pcm, silence(GAP_MS)])]),
  );
  const totalMs =
    1000 + clips.reduce((n, c) => n + (c.pcm.length / TEST_SAMPLE_RATE_HZ) * 1000 + GAP_MS, 0);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${wav}%noloop`],
  });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.getByTestId('mic-start').click();
    console.log(
      `browser: playing ${texts.length} utterances (${(totalMs / 1000).toFixed(0)} s of audio)…`,
    );
    await page.waitForTimeout(totalMs + 2000);
    const trace = await page.evaluate(
      () => (window as unknown as { __mayaVoiceTrace?: TraceEntry[] }).__mayaVoiceTrace ?? [],
    );
    return { texts, trace };
  } finally {
    await browser.close();
  }
}

function stages(texts: string[], trace: TraceEntry[]) {
  const kinds = [
    'speech_ended',
    'transcript_final',
    'reply',
    'first_audio',
    'playback_started',
  ] as const;
  const out: Record<(typeof kinds)[number], number[]> = {
    speech_ended: [],
    transcript_final: [],
    reply: [],
    first_audio: [],
    playback_started: [],
  };
  const ends = trace.filter((e) => e.kind === 'mic_speech_end');
  let right = 0;
  const misses: string[] = [];
  for (const [i, end] of ends.entries()) {
    const until = ends[i + 1]?.t ?? Infinity;
    const within = trace.filter((e) => e.t >= end.t && e.t < until);
    for (const k of kinds) {
      const e = within.find((x) => x.kind === k);
      if (e) out[k].push(e.t - end.t);
    }
    const final = within.find((x) => x.kind === 'transcript_final');
    const said = texts[i] ?? '';
    if (final?.text !== undefined && sameIntent(final.text, said)) right++;
    else misses.push(`"${said}" → "${final?.text ?? '(nothing)'}"`);
  }
  return { out, utterancesSeen: ends.length, right, misses };
}

async function accuracy(url: string, voice: FliteVoice, texts: string[]) {
  const clips = await speakClips(texts, { voice });
  const client = await TestClient.open(`${url.replace('http', 'ws')}/ws`);
  await client.hello();
  const heard: { said: string; text: string; rejected: boolean }[] = [];
  for (const clip of clips) {
    await streamPcm((f) => client.sendRaw(f), clip.pcm, { realTime: false });
    const final = await client.next('transcript_final', () => true, 30_000);
    heard.push({ said: clip.text, text: final.text, rejected: final.rejected });
    if (!final.rejected) await client.next('reply', () => true, 10_000);
  }
  const tabLines = client.messages.filter((m) => m.type === 'state').at(-1);
  await client.close();
  return { heard, tabLines: tabLines?.type === 'state' ? tabLines.state.order.length : 0 };
}

const app = await startApp(
  loadConfig({ PORT: '0', HOST: '127.0.0.1', MAYA_STATIC_DIR: 'dist/client' }),
  { log: pino({ level: 'warn' }) },
);
try {
  await new Promise((r) => setTimeout(r, 1500)); // engines warm up in the background
  const { texts, trace } = await browserLoop(app.url);
  const { out, utterancesSeen, right, misses } = stages(texts, trace);
  console.log(
    `\nbrowser loop: ${utterancesSeen}/${texts.length} utterances observed; intents right ${right}/${texts.length}`,
  );
  if (misses.length) console.log('  misses:', misses.join('; '));
  const label: Record<keyof typeof out, string> = {
    speech_ended: 'speech end → endpoint',
    transcript_final: 'speech end → final transcript',
    reply: 'speech end → reply text',
    first_audio: 'speech end → first TTS chunk (received)',
    playback_started: 'speech end → first sample played',
  };
  console.log('stage (ms, page clock)                       n    p50    p95    max');
  for (const [k, xs] of Object.entries(out) as [keyof typeof out, number[]][]) {
    console.log(
      `${label[k].padEnd(42)} ${String(xs.length).padStart(3)} ${pct(xs, 50).toFixed(0).padStart(6)} ${pct(xs, 95).toFixed(0).padStart(6)} ${Math.max(
        ...xs,
      )
        .toFixed(0)
        .padStart(6)}`,
    );
  }

  if (process.env.BENCH_SKIP_ACCURACY) process.exit(0);
  console.log('\nrecognition over the websocket (intents right / total; Maya speaks as slt):');
  for (const voice of ['kal16', 'rms', 'awb'] as const) {
    const { heard } = await accuracy(app.url, voice, UTTERANCES);
    const ok = heard.filter((h) => !h.rejected && sameIntent(h.text, h.said)).length;
    const wrong = heard.filter((h) => !(!h.rejected && sameIntent(h.text, h.said)));
    console.log(
      `  ${voice.padEnd(6)} ${ok}/${heard.length}` +
        (wrong.length
          ? `  misses: ${wrong.map((h) => `"${h.said}" → "${h.text}"${h.rejected ? ' (rejected)' : ''}`).join('; ')}`
          : ''),
    );
  }
  const oog = await accuracy(app.url, 'kal16', OUT_OF_GRAMMAR);
  console.log(
    `out-of-grammar: ${oog.heard.filter((h) => !h.rejected).length}/${OUT_OF_GRAMMAR.length} accepted as text, ${oog.tabLines} tab lines added`,
  );
} finally {
  await app.close();
}
