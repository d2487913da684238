/**
 * Memory over 1,000 voice sessions: guests (a few at a time) open /ws, say a short order, hear the
 * transcript and leave. Every 100 sessions: RSS, external and heap memory of the process, and what
 * the speech workers hold (recognisers, WASM heap). Before the worker pool every voice session leaked
 * ~10 MB and the recogniser failed to allocate after ~200 sessions.
 *
 * Run: npm run bench:voice-memory   (BENCH_SESSIONS=1000, BENCH_CONCURRENT=4)
 * It starts through server/launch.ts as `npm start` does (MALLOC_ARENA_MAX=2 on glibc unless set):
 * `MALLOC_ARENA_MAX=16 npm run bench:voice-memory` measures glibc's default on 2 cores.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pino from 'pino';
import { startApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { speakClips, streamPcm } from '../server/testing/speech.ts';
import { TestClient } from '../server/testing/wsClient.ts';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1000);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 4);
const REPORT_EVERY = Number(process.env.BENCH_REPORT_EVERY ?? 100);
const MB = 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** OS threads of this process (worker threads included), from /proc on Linux. */
const threads = () =>
  Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN);

const app = await startApp(loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' }), {
  log: pino({ level: 'warn' }),
  serveClient: false,
});
try {
  const pcm = (
    await speakClips([process.env.BENCH_SAY ?? 'two beers please'], { leadMs: 200, tailMs: 500 })
  )[0]!.pcm;
  await app.speechPool!.warmUp();
  const url = `${app.url.replace('http', 'ws')}/ws`;
  const heard = new Map<string, number>();
  let failed = 0;

  const session = async () => {
    const client = await TestClient.open(url);
    try {
      await client.hello();
      await streamPcm((f) => client.sendRaw(f), pcm, { realTime: false });
      const text = (await client.next('transcript_final', () => true, 60_000)).text;
      heard.set(text, (heard.get(text) ?? 0) + 1);
    } catch {
      failed++;
    } finally {
      await client.close();
    }
  };

  const snapshot = async (done: number) => {
    gc();
    await new Promise((r) => setTimeout(r, 100));
    gc();
    const m = process.memoryUsage();
    const workers = await app.speechPool!.workerStats();
    return {
      done,
      rss: m.rss / MB,
      external: m.external / MB,
      heap: m.heapUsed / MB,
      wasm: workers.reduce((n, w) => n + w.wasmHeapBytes, 0) / MB,
      recognisers: workers.reduce((n, w) => n + w.recognisers, 0),
      frontEnds: workers.reduce((n, w) => n + w.frontEnds, 0),
      threads: threads(),
      workerJs: workers.reduce((n, w) => n + w.jsHeapBytes + w.externalBytes, 0) / MB,
    };
  };

  console.log(
    `voice memory: ${SESSIONS} voice sessions, ${CONCURRENT} at a time, up to ${app.speechPool!.stats().maxWorkers} speech workers, MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? "unset (glibc's default)"}`,
  );
  console.log(
    'sessions   RSS MB   external MB   JS heap MB   workers WASM MB   recognisers   front ends   threads   workers JS MB   s',
  );
  const t0 = performance.now();
  const rows = [await snapshot(0)];
  const print = (r: (typeof rows)[number]) =>
    console.log(
      `${String(r.done).padStart(8)}   ${r.rss.toFixed(0).padStart(6)}   ${r.external.toFixed(1).padStart(11)}   ${r.heap.toFixed(1).padStart(10)}   ${r.wasm.toFixed(0).padStart(15)}   ${String(r.recognisers).padStart(11)}   ${String(r.frontEnds).padStart(10)}   ${String(r.threads).padStart(7)}   ${r.workerJs.toFixed(0).padStart(13)}   ${((performance.now() - t0) / 1000).toFixed(0).padStart(3)}`,
    );
  print(rows[0]!);
  let started = 0;
  let done = 0;
  let nextReport = REPORT_EVERY;
  await Promise.all(
    Array.from({ length: CONCURRENT }, async () => {
      while (started < SESSIONS) {
        started++;
        await session();
        done++;
        if (done >= nextReport) {
          nextReport += REPORT_EVERY;
          const row = await snapshot(done);
          rows.push(row);
          print(row);
        }
      }
    }),
  );
  const first = rows.find((r) => r.done >= REPORT_EVERY)!;
  const last = rows.at(-1)!;
  const change = (a: number, b: number) =>
    `${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(1)} %`;
  console.log(
    `\nfrom ${first.done} to ${last.done} sessions: RSS ${change(first.rss, last.rss)}, external ${change(first.external, last.external)}, workers' WASM ${change(first.wasm, last.wasm)}`,
  );
  console.log(
    `transcripts: ${JSON.stringify([...heard].sort((a, b) => b[1] - a[1]))}; sessions failed: ${failed}`,
  );
  const metrics = await (await fetch(`${app.url}/metrics`)).text();
  console.log(
    `engine failures: ${metrics.match(/^maya_speech_engine_failures_total\{.*$/gm)?.join(', ') ?? 'none'}; /readyz ${(await fetch(`${app.url}/readyz`)).status}`,
  );
} finally {
  await app.close();
}
