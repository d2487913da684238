import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../app.ts';
import type { App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { moneyInvariantHolds } from '../state/rules.ts';
import { START_BALANCE_CENTS } from '../../shared/domain.ts';
import { TestClient } from '../testing/wsClient.ts';
import { redisAnswers, startRedisServer, uniquePrefix } from '../testing/redis.ts';
import { GatedBrain } from '../testing/gatedBrain.ts';

const REDIS_START_TIMEOUT_MS = 5_000;

/**
 * A private redis-server with an append-only file fsynced on every write, so a crash (SIGKILL) and a
 * restart on the same port keep every acknowledged write, as a production Redis with AOF would.
 */
class RestartableRedis {
  private child: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'maya-redis-'));
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + REDIS_START_TIMEOUT_MS;
    while (!(await redisAnswers(this.url))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not start on ${this.port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** A crash: no shutdown save, connections cut. */
  kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    return new Promise((resolve) => {
      if (!child || child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async remove(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function freeRedisPort(): Promise<number | null> {
  // Borrow the helper's free-port logic: start and stop a throwaway server, keep its port.
  const probe = await startRedisServer();
  if (!probe?.url) return null;
  await probe.stop();
  return Number(new URL(probe.url).port);
}

const readyz = async (app: App) => (await fetch(`${app.url}/readyz`)).status;

describe('Redis restarted in the middle of a turn', () => {
  let redis: RestartableRedis | null = null;
  let skipReason = '';
  beforeAll(async () => {
    const port = await freeRedisPort();
    if (port === null) {
      skipReason = 'no redis-server on PATH (apt-get install redis-server)';
      if (process.env.CI === 'true') throw new Error(skipReason);
      console.warn(`skipping: ${skipReason}`);
      return;
    }
    redis = new RestartableRedis(port);
    await redis.start();
  });
  afterAll(() => redis?.remove());

  it('fails the turn with STORE_UNAVAILABLE, writes nothing partial, and the next turn works once Redis is back', async (ctx) => {
    if (!redis) return ctx.skip();
    const brain = new GatedBrain();
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: redis.url,
      MAYA_REDIS_KEY_PREFIX: uniquePrefix('restart'),
      MAYA_TURN_LOCK_TTL_SECONDS: '1',
    });
    const app = await startApp(config, {
      log: pino({ level: 'silent' }),
      serveClient: false,
      speech: false,
      llm: brain,
      shutdownGraceMs: 1000,
    });
    try {
      const c = await TestClient.open(`${app.url.replace('http', 'ws')}/ws`);
      const w = await c.hello();
      expect((await c.say('a margarita please')).state?.payment.tabCents).toBe(1100);

      brain.hold();
      const enteredBefore = brain.entered;
      c.send({ type: 'user_text', text: 'a negroni please' });
      while (brain.entered === enteredBefore) await new Promise((r) => setTimeout(r, 5));
      await redis.kill();
      const killedAt = Date.now();
      brain.release();
      const failed = await c.next('error', () => true, 10_000);
      const failedAfterMs = Date.now() - killedAt;
      expect(failed.code).toBe('STORE_UNAVAILABLE');
      expect(failed.message).toMatch(/trouble reaching the tab/);
      expect(await readyz(app)).toBe(503);

      await redis.start();
      const deadline = Date.now() + 10_000;
      while ((await readyz(app)) !== 200) {
        if (Date.now() > deadline) throw new Error('the app did not see Redis come back');
        await new Promise((r) => setTimeout(r, 50));
      }
      // Nothing of the failed turn was written.
      const kept = await app.manager.get(w.sessionId);
      expect(kept.payment.tabCents).toBe(1100);
      expect(kept.order.map((l) => l.item)).toEqual(['Margarita']);
      expect(moneyInvariantHolds(kept, START_BALANCE_CENTS)).toBe(true);

      // Recovered: the guest simply says it again (the dead turn's lock expires within its 1 s TTL).
      const restartedAt = Date.now();
      const again = await c.say('a negroni please');
      console.log(
        `Redis killed mid-turn: STORE_UNAVAILABLE after ${failedAfterMs} ms; first turn after restart took ${Date.now() - restartedAt} ms`,
      );
      expect(again.reply.text).toMatch(/Negroni/);
      const after = await app.manager.get(w.sessionId);
      expect(after.payment.tabCents).toBe(2200);
      expect(moneyInvariantHolds(after, START_BALANCE_CENTS)).toBe(true);
      await c.close();
    } finally {
      await app.close();
    }
  }, 40_000);
});
