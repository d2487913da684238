/**
 * Load: N simulated guests over real websockets, each sending a typed turn every `intervalMs` for
 * `durationS`, against 1 server process (memory store) and then 2 processes sharing Redis.
 * Prints p50/p99 turn latency (send → reply), errors, and each server's RSS and CPU.
 *
 *   npm run bench:load                       # 1,000 guests, a turn every 5 s, 60 s, 1 process
 *   npm run bench:load -- --guests 200 --duration 20 --redis redis://127.0.0.1:6379
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';

const { values: args } = parseArgs({
  options: {
    guests: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '60' },
    interval: { type: 'string', default: '5000' },
    redis: { type: 'string' },
  },
});
const guests = Number(args.guests);
const durationS = Number(args.duration);
const intervalMs = Number(args.interval);
const PHRASES = [
  'a beer please',
  "what's my total",
  'add a 10% tip',
  'remove the beer',
  'what do you recommend',
  'a glass of water',
];
const CLK_TCK = 100;

interface Server {
  proc: ChildProcess;
  url: string;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    // One machine plays every guest from one address: the per-address rate limit would refuse them.
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'warn',
      MAYA_RATE_ADDRESS_PER_SECOND: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/pouring at (http:\/\/\S+)/);
      if (m?.[1]) resolve(m[1]);
    });
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { proc, url };
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime + stime
}
function rssMiB(pid: number): number {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
  return Number(m?.[1] ?? 0) / 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
    : Number.NaN;
}

async function guest(
  url: string,
  latencies: number[],
  errors: { count: number },
  stopAt: number,
): Promise<void> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let pending: ((ok: boolean) => void) | null = null;
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { type: string };
    if (msg.type === 'reply' || msg.type === 'welcome') pending?.(true);
    else if (msg.type === 'error') pending?.(false);
  });
  const roundTrip = (payload: object) =>
    new Promise<boolean>((resolve) => {
      pending = resolve;
      ws.send(JSON.stringify(payload));
    });
  await roundTrip({ type: 'hello' });
  // Spread the guests' first turns over one interval so load is steady, not bursty.
  await new Promise((r) => setTimeout(r, Math.random() * intervalMs));
  let i = 0;
  while (Date.now() < stopAt) {
    const t0 = performance.now();
    const ok = await roundTrip({ type: 'user_text', text: PHRASES[i++ % PHRASES.length] });
    latencies.push(performance.now() - t0);
    if (!ok) errors.count++;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  ws.close();
}

async function run(label: string, servers: Server[]) {
  const latencies: number[] = [];
  const errors = { count: 0 };
  const cpu0 = servers.map((s) => cpuSeconds(s.proc.pid!));
  const t0 = Date.now();
  const stopAt = t0 + durationS * 1000;
  await Promise.all(
    Array.from({ length: guests }, (_, g) =>
      guest(servers[g % servers.length]!.url, latencies, errors, stopAt),
    ),
  );
  const wallS = (Date.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const cpu = servers.map((s, i) => ((cpuSeconds(s.proc.pid!) - cpu0[i]!) / wallS) * 100);
  const rss = servers.map((s) => rssMiB(s.proc.pid!));
  return {
    setup: label,
    guests,
    turns: latencies.length,
    'p50 ms': percentile(latencies, 50).toFixed(1),
    'p99 ms': percentile(latencies, 99).toFixed(1),
    'max ms': (latencies.at(-1) ?? Number.NaN).toFixed(1),
    errors: errors.count,
    'server RSS MiB': rss.map((r) => r.toFixed(0)).join(' + '),
    'server CPU %': cpu.map((c) => c.toFixed(0)).join(' + '),
  };
}

const rows = [];
const one = await startServer({});
try {
  rows.push(await run('1 process, memory store', [one]));
} finally {
  one.proc.kill('SIGTERM');
}
if (args.redis) {
  const two = [
    await startServer({ REDIS_URL: args.redis }),
    await startServer({ REDIS_URL: args.redis }),
  ];
  try {
    rows.push(await run('2 processes, Redis store', two));
  } finally {
    for (const s of two) s.proc.kill('SIGTERM');
  }
}
console.log(`\nload: ${guests} guests, a typed turn every ${intervalMs} ms for ${durationS} s`);
console.table(rows);
