/**
 * Ears bench (issue 14): how well Maya understands real-sounding guests, measured from outside.
 * Streams the blind test set (bench/ears/set.json) in several voice families over /ws, one fresh
 * session per utterance, and scores the tab each visit leaves. The held-out split is the honest figure.
 *
 * The simulated guest answers a read-back (yes, or no when it names the wrong drinks), and answers
 * again when Maya asks again, up to three times. `--room-tone` makes the microphone live: the room
 * (silence, or the noise of a noisy voice) is heard from 1.5 s before the guest speaks until the end.
 *
 * Run: npm run bench:ears [-- --voices a,b|all --split tune|heldout|fresh|all --limit N --concurrency 4 --frame-ms 20 --room-tone --fast --verbose]
 * Output: a table per voice (tune and held-out apart) and .cache/ears/last.json.
 */
import { execSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { visit } from './ears/guest.ts';
import type { VisitTrace } from './ears/guest.ts';
import { judge, readBackMatches, summarise } from './ears/score.ts';
import type { Row, Visit } from './ears/score.ts';
import { loadSet, pickSplit, SPLITS } from './ears/set.ts';
import type { EarsItem, Split } from './ears/set.ts';
import {
  CACHE_DIR,
  closeVoices,
  DEFAULT_VOICE_IDS,
  missingTools,
  speak,
  VOICES,
} from './ears/voices.ts';
import type { Voice } from './ears/voices.ts';

/** The guest's answer to a read-back: the set's (yes for an order), or "no" when Maya read back the wrong drinks. */
const guestAnswer = (item: EarsItem, readBack: string) =>
  item.kind === 'order' && !readBackMatches(readBack, item.expect.lines) ? 'no' : item.answer;

const { values: opts } = parseArgs({
  options: {
    voices: { type: 'string', default: DEFAULT_VOICE_IDS.join(',') },
    split: { type: 'string', default: 'all' },
    limit: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    fast: { type: 'boolean', default: false },
    'frame-ms': { type: 'string', default: '20' },
    /** Keep the microphone open after each utterance (its trailing silence or noise, looped). Off: comparable with BASELINE.md. */
    'room-tone': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    /**
     * All voices in one server, their visits interleaved (one voice after another, as guests come to
     * a bar): the recogniser's state carried between utterances (its cepstral mean) is then another
     * guest's, not the same voice's as in a per-voice run.
     */
    mixed: { type: 'boolean', default: false },
    /** Internal: run the given voice in this process and write its visits to this file. */
    child: { type: 'string' },
  },
});
const split = opts.split as Split | 'all';
if (![...SPLITS, 'all'].includes(split))
  throw new Error(`--split must be tune, heldout, fresh or all, not ${opts.split}`);
const voices: Voice[] = (
  opts.voices === 'all' ? VOICES.map((v) => v.id) : opts.voices.split(',')
).map((id) => {
  const v = VOICES.find((x) => x.id === id.trim());
  if (!v) throw new Error(`unknown voice ${id}; known: ${VOICES.map((x) => x.id).join(', ')}`);
  return v;
});
const missing = missingTools(voices);
if (missing.length) {
  console.error(`bench:ears needs Debian tools that are missing: ${missing.join(', ')}`);
  process.exit(2);
}
const speed = opts.fast ? 4 : 1;
const frameMs = Number(opts['frame-ms']);
if (!(frameMs >= 10 && frameMs <= 100))
  throw new Error('--frame-ms must be 10 to 100 (the protocol allows 10–100 ms frames)');
const items = pickSplit(loadSet(), split).slice(0, opts.limit ? Number(opts.limit) : undefined);

// 1. Audio (cached): every utterance and every answer, in every voice.
const genStart = performance.now();
const log = (line: string) => opts.child === undefined && console.log(line);
const jobs: { voice: Voice; item: EarsItem }[] = [];
for (const item of items) for (const voice of voices) jobs.push({ voice, item });
for (const { voice, item } of jobs) {
  await speak(voice, item);
  await speak(voice, { text: item.answer });
  await speak(voice, { text: 'no' });
}
log(
  `audio: ${jobs.length} clips ready in ${((performance.now() - genStart) / 1000).toFixed(1)} s (cache: ${join(CACHE_DIR, 'audio')})`,
);

// 2. Maya in-process with the embedded providers, one child process per voice: at efc9cb0 the
// speech engine's WASM heap ran out after ~175 sessions in one process, and a fresh app in the same
// process does not get a fresh heap. A child per voice keeps each voice's figures independent too.
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  MAYA_RATE_ADDRESS_BURST: '100000',
  MAYA_RATE_ADDRESS_PER_SECOND: '10000',
});
interface Detail extends Visit {
  text: string;
  trace?: VisitTrace;
  error?: string;
}
const details: Detail[] = [];
const runStart = performance.now();

async function runVoices(those: readonly Voice[]) {
  const app = await startApp(config, {
    log: pino({ level: process.env.EARS_LOG ?? 'warn' }),
    serveClient: false,
  });
  const wsUrl = `${app.url.replace('http', 'ws')}/ws`;
  // Interleaved: the k-th visit of every voice, then the k+1-th (one voice: its visits in order).
  const byVoice = those.map((v) => jobs.filter((j) => j.voice === v));
  const longest = Math.max(0, ...byVoice.map((b) => b.length));
  const mine = Array.from({ length: longest }, (_, i) =>
    byVoice.flatMap((b) => (b[i] ? [b[i]] : [])),
  ).flat();
  try {
    // Warm-up: one visit not scored, so engine start-up is not charged to the first guests.
    const warm = mine[0];
    if (warm)
      await visit(
        wsUrl,
        await speak(warm.voice, warm.item),
        (rb) => speak(warm.voice, { text: guestAnswer(warm.item, rb) }),
        { speed, frameMs, room: opts['room-tone'] },
      ).catch(() => undefined);
    let next = 0;
    const worker = async () => {
      while (next < mine.length) {
        const { voice, item } = mine[next++]!;
        details.push(await oneVisit(wsUrl, voice, item));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Number(opts.concurrency)) }, worker));
  } finally {
    await app.close();
  }
}

async function oneVisit(wsUrl: string, voice: Voice, item: EarsItem): Promise<Detail> {
  const base = { itemId: item.id, voiceId: voice.id, split: item.split, text: item.text };
  try {
    const trace = await visit(
      wsUrl,
      await speak(voice, item),
      (rb) => speak(voice, { text: guestAnswer(item, rb) }),
      { speed, frameMs, room: opts['room-tone'] },
    );
    const verdict = judge(item, trace);
    if (opts.verbose)
      console.log(
        `${voice.id.padEnd(18)} ${item.id} ${verdict.padEnd(12)} "${item.text}" → ${JSON.stringify(trace.heard)} ${trace.tabCents}¢${trace.timedOut ? ' (timed out)' : ''}`,
      );
    return {
      ...base,
      verdict,
      trace,
      ...(trace.latencyMs !== undefined && { latencyMs: trace.latencyMs }),
      ...(trace.cutOff !== undefined && { cutOff: trace.cutOff }),
    };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    console.error(`${voice.id} ${item.id}: ${error}`);
    return { ...base, verdict: item.kind === 'order' ? 'not_charged' : 'no_charge', error };
  }
}

/** Run voices in a child process (same loader, same options) and collect their visits. */
async function runChild(those: readonly Voice[]): Promise<Detail[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'maya-ears-')), 'visits.json');
  const args = [
    '--voices',
    those.map((v) => v.id).join(','),
    '--split',
    split,
    '--concurrency',
    opts.concurrency,
    '--frame-ms',
    opts['frame-ms'],
    '--child',
    file,
  ];
  if (opts.limit) args.push('--limit', opts.limit);
  if (opts.fast) args.push('--fast');
  if (opts.verbose) args.push('--verbose');
  if (opts['room-tone']) args.push('--room-tone');
  if (opts.mixed) args.push('--mixed');
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
    stdio: 'inherit',
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0 || !existsSync(file))
    throw new Error(`the ${those.map((v) => v.id).join(', ')} run exited with ${code}`);
  return JSON.parse(readFileSync(file, 'utf8')) as Detail[];
}

if (opts.child !== undefined) {
  try {
    if (opts.mixed) await runVoices(voices);
    else for (const voice of voices) await runVoices([voice]);
  } finally {
    await closeVoices();
  }
  writeFileSync(opts.child, JSON.stringify(details));
  process.exit(0);
}
await closeVoices();
for (const group of opts.mixed ? [voices] : voices.map((v) => [v])) {
  const t = performance.now();
  const mine = await runChild(group);
  details.push(...mine);
  console.log(
    `  ${group.map((v) => v.id).join(', ')}${opts.mixed ? ' (mixed)' : ''}: ${mine.length} visits in ${((performance.now() - t) / 1000).toFixed(0)} s`,
  );
}

// 3. The table and the JSON.
const rows: Record<string, Partial<Record<Split, Row>>> = {};
for (const v of voices) {
  rows[v.id] = {};
  for (const s of SPLITS) {
    const of = details.filter((d) => d.voiceId === v.id && d.split === s);
    if (of.length) rows[v.id]![s] = summarise(of);
  }
}
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(0)}%` : '–');
const ms = (x?: number) => (x === undefined ? '–' : x.toFixed(0));
console.log(
  `\nears: ${details.length} visits in ${((performance.now() - runStart) / 1000).toFixed(0)} s, ${opts.fast ? 'FAST (4× pace; latency not comparable)' : 'real time'}, ${opts.concurrency} at a time`,
);
console.log(
  'voice              split    orders right  (rb) wrong  none | remarks false | paused cut | p50 ms p95 ms',
);
for (const v of voices) {
  for (const s of SPLITS) {
    const r = rows[v.id]?.[s];
    if (!r) continue;
    const name = `${v.id}${v.baseline ? '*' : ''}`;
    console.log(
      `${name.padEnd(18)} ${s.padEnd(8)} ${String(r.orders).padStart(6)} ${pct(r.right, r.orders).padStart(5)} ${String(r.readBack).padStart(5)} ${String(r.wrong).padStart(5)} ${String(r.notCharged).padStart(5)} | ${String(r.remarks).padStart(7)} ${String(r.falseCharges).padStart(5)} | ${`${r.cutOffs}/${r.paused}`.padStart(6)} ${''.padStart(3)} | ${ms(r.latencyP50).padStart(6)} ${ms(r.latencyP95).padStart(6)}`,
    );
  }
}
const stageP50 = (k: 'endpoint' | 'recognise' | 'reply') => {
  const xs = details
    .flatMap((d) => (d.trace?.stagesMs ? [d.trace.stagesMs[k]] : []))
    .sort((a, b) => a - b);
  return xs.length ? `${ms(xs[Math.floor(xs.length / 2)])} ms` : '–';
};
console.log(
  `latency stages, p50 over all voices: speech end → endpoint ${stageP50('endpoint')}, → final transcript ${stageP50('recognise')}, → first reply audio ${stageP50('reply')}`,
);
console.log(
  '* baseline: the embedded Flite voice the recogniser was tuned on. right includes (rb) = right after a read-back; none = order not charged.',
);
const errors = details.filter((d) => d.error).length;
if (errors)
  console.log(
    `${errors} visits failed with an error (counted as not charged / no charge); see last.json`,
  );
const timeouts = details.filter((d) => d.trace?.timedOut).length;
if (timeouts)
  console.log(`${timeouts} visits did not settle within 20 s (scored on the state they reached)`);
details.sort((a, b) => a.voiceId.localeCompare(b.voiceId) || a.itemId.localeCompare(b.itemId));
let commit = 'unknown';
try {
  commit =
    process.env.EARS_COMMIT ??
    execSync('git rev-parse --short HEAD', {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
} catch {
  // not a git checkout
}
mkdirSync(CACHE_DIR, { recursive: true });
const out = join(CACHE_DIR, 'last.json');
writeFileSync(
  out,
  JSON.stringify(
    {
      at: new Date().toISOString(),
      commit,
      options: { ...opts, speed, frameMs },
      rows,
      visits: details,
    },
    null,
    1,
  ),
);
console.log(`wrote ${out}`);
