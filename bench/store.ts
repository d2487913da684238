/**
 * Store benchmark: ops/s and p50/p99 latency of `atomicOrderUpdate` for the memory and Redis stores
 * at 1, 16 and 128 concurrent clients, in one run. Two scenarios:
 *  - contended: every client orders on the same session (compare-and-set conflicts and retries);
 *  - independent: each client has its own session (the usual case: one guest per session).
 * One store object (for Redis, one connection pair) is shared by all clients, as in a server process.
 * Redis: REDIS_URL, else 127.0.0.1:6379, else a redis-server started for the run.
 * Usage: npm run bench:store [-- --ops 2000]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { StateManager } from '../server/state/manager.ts';
import { MemorySessionStore } from '../server/store/memory.ts';
import { RedisSessionStore } from '../server/store/redis.ts';
import type { SessionStore } from '../server/store/types.ts';
import { findTestRedis, uniquePrefix } from '../server/testing/redis.ts';
import { DomainError } from '../server/domain/errors.ts';

const CONCURRENCY_LEVELS = [1, 16, 128] as const;
const opsArg = process.argv.indexOf('--ops');
const OPS_PER_CELL = opsArg > 0 ? Number(process.argv[opsArg + 1]) : 2000;
/** A Water costs 1.00 of a 1,000.00 balance: move to a fresh session before it runs dry. */
const ORDERS_PER_SESSION = 900;

export interface Cell {
  store: string;
  scenario: 'contended' | 'independent';
  clients: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** One measurement: `ops` order updates by `clients` concurrent callers on one store. */
export async function runCell(
  store: SessionStore,
  scenario: Cell['scenario'],
  clients: number,
  ops = OPS_PER_CELL,
): Promise<Cell> {
  const manager = new StateManager(store, { expirySeconds: 3600, maxRetries: 10_000 });
  const sessionsNeeded =
    scenario === 'contended'
      ? Math.ceil(ops / ORDERS_PER_SESSION)
      : clients * Math.ceil(ops / clients / ORDERS_PER_SESSION);
  const sessions = await Promise.all(
    Array.from({ length: sessionsNeeded }, () => manager.createSession().then((s) => s.id)),
  );
  const latencies: number[] = [];
  let issued = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      let mine = 0;
      while (issued < ops) {
        const n = issued++;
        const id =
          scenario === 'contended'
            ? sessions[Math.floor(n / ORDERS_PER_SESSION)]!
            : sessions[
                client * Math.ceil(ops / clients / ORDERS_PER_SESSION) +
                  Math.floor(mine / ORDERS_PER_SESSION)
              ]!;
        mine++;
        const t0 = performance.now();
        try {
          await manager.atomicOrderUpdate(id, [{ item: 'water' }]);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  await Promise.all(sessions.map((id) => store.delete(id)));
  latencies.sort((a, b) => a - b);
  return {
    store: store.kind,
    scenario,
    clients,
    opsPerSecond: Math.round((ops / elapsedMs) * 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
  };
}

async function main(): Promise<void> {
  const redis = await findTestRedis();
  const stores: SessionStore[] = [new MemorySessionStore()];
  if (redis.url)
    stores.push(
      await RedisSessionStore.connect({ url: redis.url, keyPrefix: uniquePrefix('bench') }),
    );
  else console.log(`(Redis skipped: ${redis.skipReason})`);

  console.log(
    `atomicOrderUpdate, ${OPS_PER_CELL} ops per cell, node ${process.version}${redis.url ? `, redis ${redis.url}` : ''}`,
  );
  console.log('store   scenario     clients    ops/s   p50 ms   p99 ms  errors');
  const cells: Cell[] = [];
  for (const store of stores) {
    await runCell(store, 'independent', 16); // warm-up (JIT, script cache), not reported
    for (const scenario of ['contended', 'independent'] as const) {
      for (const clients of CONCURRENCY_LEVELS) {
        const c = await runCell(store, scenario, clients);
        cells.push(c);
        console.log(
          `${c.store.padEnd(7)} ${c.scenario.padEnd(12)} ${String(c.clients).padStart(7)} ${String(c.opsPerSecond).padStart(8)} ${c.p50Ms.toFixed(2).padStart(8)} ${c.p99Ms.toFixed(2).padStart(8)} ${String(c.errors).padStart(7)}`,
        );
      }
    }
  }
  const ratio = (scenario: Cell['scenario'], clients: number) => {
    const mem = cells.find(
      (c) => c.store === 'memory' && c.scenario === scenario && c.clients === clients,
    );
    const red = cells.find(
      (c) => c.store === 'redis' && c.scenario === scenario && c.clients === clients,
    );
    return mem && red ? (mem.opsPerSecond / red.opsPerSecond).toFixed(1) : 'n/a';
  };
  if (stores.length > 1)
    console.log(
      `memory/redis throughput ratio (independent, 16 clients): ${ratio('independent', 16)}×`,
    );
  await Promise.all(stores.map((s) => s.close()));
  await redis.stop();
}

// Run when executed (npm run bench:store), not when a test imports runCell.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
