/**
 * Menu propagation: how long a price edited in the back office of one process takes to reach the
 * next order on another process sharing Redis. Two server processes (own key prefix); each round
 * PUTs a new Water price on A, polls B's /admin/api/menu until its version is the new one (what B's
 * next order reads), then orders a Water on B over /ws and checks it paid the new price.
 * Redis: REDIS_URL, else 127.0.0.1:6379, else a redis-server started for the run.
 * Usage: npm run bench:menu [-- --rounds 30]
 */
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { findTestRedis, uniquePrefix } from '../server/testing/redis.ts';
import { startServerProcess } from '../server/testing/processes.ts';
import { TestClient } from '../server/testing/wsClient.ts';
import { AdminMenuSchema } from '../shared/admin.ts';

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 30;
const TOKEN = 'bench-menu-propagation-token';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const TARGET_MS = 1000;

const redis = await findTestRedis();
if (!redis.url) throw new Error(`bench:menu needs Redis: ${redis.skipReason}`);
const prefix = uniquePrefix('bench-menu');
const env = {
  REDIS_URL: redis.url,
  MAYA_REDIS_KEY_PREFIX: prefix,
  MAYA_ADMIN_TOKEN: TOKEN,
  MAYA_SPEECH_WORKERS: '1',
  MAYA_RATE_SESSION_PER_SECOND: '0',
  MAYA_RATE_ADDRESS_PER_SECOND: '0',
};
const [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
const menuOf = async (url: string) =>
  AdminMenuSchema.parse(await (await fetch(`${url}/admin/api/menu`, { headers })).json());

const propagation: number[] = [];
const putMs: number[] = [];
let wrongPrices = 0;
try {
  const guest = await TestClient.open(b.wsUrl);
  await guest.hello();
  for (let round = 0; round < ROUNDS; round++) {
    const current = await menuOf(a.url);
    const price = 100 + ((round * 7) % 90) + 1; // a new Water price every round
    const menu = {
      ...current.menu,
      items: current.menu.items.map((i) => (i.name === 'Water' ? { ...i, priceCents: price } : i)),
    };
    const started = performance.now();
    const put = await fetch(`${a.url}/admin/api/menu`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ expectedVersion: current.version, menu }),
    });
    putMs.push(performance.now() - started);
    if (!put.ok) throw new Error(`PUT failed: ${put.status} ${await put.text()}`);
    const { version } = AdminMenuSchema.parse(await put.json());
    while ((await menuOf(b.url)).version < version) {
      if (performance.now() - started > 10_000)
        throw new Error('the change never reached process B');
    }
    propagation.push(performance.now() - started);
    const { state } = await guest.say('a water please');
    if (state?.order.at(-1)?.unitPriceCents !== price) wrongPrices++;
  }
  await guest.close();
} finally {
  await Promise.all([a.stop(), b.stop()]);
  const client = new Redis(redis.url);
  await client.del(`${prefix}menu`); // the menu key has no expiry
  client.disconnect();
  await redis.stop();
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const f = (ms: number) => `${ms.toFixed(1)} ms`;
console.log(
  `menu propagation over Redis, ${ROUNDS} price edits on process A → process B's next order`,
);
console.log(
  `  edit saved on A (PUT answered):      p50 ${f(pct(putMs, 50))}, p95 ${f(pct(putMs, 95))}`,
);
console.log(
  `  edit in force on B (next order):     p50 ${f(pct(propagation, 50))}, p95 ${f(pct(propagation, 95))}, max ${f(Math.max(...propagation))} (target ≤ ${TARGET_MS} ms)`,
);
console.log(`  orders on B at a price other than the one just set: ${wrongPrices} of ${ROUNDS}`);
if (Math.max(...propagation) > TARGET_MS || wrongPrices > 0) process.exitCode = 1;
