/**
 * Voice capacity of one process: N guests talking at the same moment (1, 2, 4, 8, 16, 32), each
 * over its own /ws, each streaming a synthesised order in real time, all starting together. Per N:
 * orders heard right (same intent as said), end of speech → final transcript and → first reply
 * audio p50/p95, CPU over the round (process.cpuUsage, all threads, % of all cores), peak RSS, and
 * the main thread's event-loop delay p99 (recognition runs in the speech workers, not there).
 *
 * Each N is run twice; the first round warms the workers' recognisers for that many guests and is
 * not reported (making a recogniser takes seconds, once).
 *
 * It starts through server/launch.ts as `npm start` does (MALLOC_ARENA_MAX=2 on glibc unless set).
 *
 * Run: npm run bench:voice-capacity   (BENCH_GUESTS=1,2,4 to choose; MAYA_SPEECH_WORKERS as in prod;
 *   BENCH_VERBOSE=1 prints each guest: said, heard, and when)
 */
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { startApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { parseIntent } from '../server/conversation/brain/intents.ts';
import { speakClips, TEST_SAMPLE_RATE_HZ } from '../server/testing/speech.ts';
import type { Clip } from '../server/testing/speech.ts';
import { TestClient } from '../server/testing/wsClient.ts';

const ORDERS = [
  "i'd like a margarita please",
  'two old fashioned on the rocks',
  "i'll have a negroni",
  'can i get a whiskey sour',
  'three beers please',
  'a glass of red wine',
  'could i have a daiquiri',
  'two mojitos and a beer',
];
const GUESTS = (process.env.BENCH_GUESTS ?? '1,2,4,8,16,32').split(',').map(Number);
const FRAME_MS = 100;
const FRAME = (FRAME_MS * TEST_SAMPLE_RATE_HZ) / 1000;
/** Silence streamed after the speech, as a live microphone keeps sending. */
const TAIL_MS = 2500;
const LEAD_MS = 300;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};
const sameIntent = (heard: string, said: string) =>
  JSON.stringify(parseIntent(heard)) === JSON.stringify(parseIntent(said));
const sleepUntil = (t: number) =>
  new Promise((r) => setTimeout(r, Math.max(0, t - performance.now())));

interface GuestResult {
  said: string;
  heard: string | null;
  finalMs: number | null;
  firstAudioMs: number | null;
}

/** One guest: stream the clip in real time from `startAt`, note when the transcript and Maya's first audio arrive. */
async function guest(url: string, clip: Clip, startAt: number): Promise<GuestResult> {
  const client = await TestClient.open(url);
  let firstAudioAt = 0;
  client.ws.on('message', (_data, isBinary) => {
    if (isBinary) firstAudioAt ||= performance.now();
  });
  await client.hello();
  const speechEndAt = startAt + (clip.speechEndSample / TEST_SAMPLE_RATE_HZ) * 1000;
  let finalAt = 0;
  let heard: string | null = null;
  void client
    .next('transcript_final', () => true, 60_000)
    .then(
      (m) => {
        finalAt = performance.now();
        heard = m.text;
      },
      () => undefined,
    );
  await sleepUntil(startAt);
  for (let at = 0, i = 0; at < clip.pcm.length; at += FRAME, i++) {
    client.sendRaw(Buffer.from(clip.pcm.slice(at, at + FRAME).buffer));
    await sleepUntil(startAt + (i + 1) * FRAME_MS);
  }
  const deadline = performance.now() + 20_000;
  while ((!finalAt || !firstAudioAt) && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  await client.close();
  return {
    said: clip.text,
    heard,
    finalMs: finalAt ? finalAt - speechEndAt : null,
    firstAudioMs: firstAudioAt > speechEndAt ? firstAudioAt - speechEndAt : null,
  };
}

async function round(url: string, clips: Clip[], n: number) {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const startAt = performance.now() + 500;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  loop.enable();
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) => guest(url, clips[i % clips.length]!, startAt)),
  );
  loop.disable();
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const cpuPct = ((cpu.user + cpu.system) / 1000 / wallMs / availableParallelism()) * 100;
  return {
    results,
    cpuPct,
    peakRssMb: peakRss / 1024 / 1024,
    loopP99Ms: loop.percentile(99) / 1e6,
  };
}

const app = await startApp(loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' }), {
  log: pino({ level: 'error' }),
  serveClient: false,
});
try {
  const clips = await speakClips(ORDERS, { leadMs: LEAD_MS, tailMs: TAIL_MS });
  await app.speechPool!.warmUp({ all: true });
  const url = `${app.url.replace('http', 'ws')}/ws`;
  const workers = app.speechPool!.stats().workers;
  console.log(
    `voice capacity: ${workers} speech workers, ${availableParallelism()} cores; guests stream a Flite (kal16) order in real time, all together`,
  );
  console.log(
    'guests  right   final p50/p95 ms   first audio p50/p95 ms   CPU % of cores   peak RSS MB   loop p99 ms   recognisers',
  );
  for (const n of GUESTS) {
    await round(url, clips, n); // warm-up: recognisers for n guests
    const r = await round(url, clips, n);
    const right = r.results.filter((g) => g.heard !== null && sameIntent(g.heard, g.said)).length;
    const finals = r.results.flatMap((g) => (g.finalMs === null ? [] : [g.finalMs]));
    const audio = r.results.flatMap((g) => (g.firstAudioMs === null ? [] : [g.firstAudioMs]));
    const recognisers = (await app.speechPool!.workerStats()).reduce(
      (k, w) => k + w.recognisers,
      0,
    );
    const f = (xs: number[]) =>
      xs.length ? `${pct(xs, 50).toFixed(0)} / ${pct(xs, 95).toFixed(0)}` : 'n/a';
    console.log(
      `${String(n).padStart(6)}  ${`${right}/${n}`.padStart(5)}   ${f(finals).padStart(15)}   ${f(audio).padStart(21)}   ${r.cpuPct.toFixed(0).padStart(14)}   ${r.peakRssMb.toFixed(0).padStart(11)}   ${r.loopP99Ms.toFixed(1).padStart(11)}   ${String(recognisers).padStart(11)}`,
    );
    if (process.env.BENCH_VERBOSE)
      for (const g of r.results)
        console.log(
          `        "${g.said}" → "${g.heard}"  final ${g.finalMs?.toFixed(0)} ms, audio ${g.firstAudioMs?.toFixed(0)} ms`,
        );
    const missing = r.results.filter((g) => g.firstAudioMs === null).length;
    if (missing) console.log(`        (${missing} guests got no reply audio within 20 s)`);
  }
} finally {
  await app.close();
}
