/**
 * Finds a Redis for tests: REDIS_URL, else 127.0.0.1:6379, else a `redis-server` started on a free
 * port for this test run. With none of them the Redis suites are skipped with a one-line reason on
 * a developer's machine, but fail under CI=true (CI must test both stores).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';
const PROBE_TIMEOUT_MS = 1_000;
const START_TIMEOUT_MS = 5_000;

export interface TestRedis {
  /** null when no Redis could be found or started (then `skipReason` says why). */
  url: string | null;
  skipReason: string;
  /** Stops the redis-server this helper started (no-op for a running one). */
  stop(): Promise<void>;
}

/** A fresh key namespace: other engineers' and parallel test runs share the same Redis. */
export function uniquePrefix(label: string): string {
  return `maya-test:${label}:${randomBytes(6).toString('hex')}:`;
}

export async function redisAnswers(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export async function findTestRedis(): Promise<TestRedis> {
  const url = process.env.REDIS_URL ?? DEFAULT_TEST_REDIS_URL;
  if (await redisAnswers(url)) return { url, skipReason: '', stop: async () => undefined };

  const started = await startRedisServer().catch(() => null);
  if (started) return started;

  const reason = `no Redis answers at ${url} and no redis-server is on PATH (apt-get install redis-server)`;
  if (process.env.CI === 'true') throw new Error(`Redis is required under CI=true: ${reason}`);
  console.warn(`skipping Redis tests: ${reason}`);
  return { url: null, skipReason: reason, stop: async () => undefined };
}

/** Start a private redis-server on a free port (tests that stop Redis must not use the shared one). */
export async function startRedisServer(): Promise<TestRedis | null> {
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
  } catch {
    return null;
  }
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false));
    child.once('spawn', () => resolve(true));
  });
  if (!spawned) return null;
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await redisAnswers(url))) {
    if (Date.now() > deadline) {
      child.kill();
      return null;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    skipReason: '',
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
