/** The composition root picks the store from configuration (REDIS_URL) and reports it on /readyz. */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { findTestRedis, startRedisServer, uniquePrefix } from '../testing/redis.ts';
import { DomainError } from '../domain/errors.ts';

const redis = await findTestRedis();
afterAll(() => redis.stop());
const quiet = { log: pino({ level: 'silent' }), serveClient: false };

async function readyz(url: string): Promise<unknown> {
  return (await fetch(`${url}/readyz`)).json();
}

describe('store selection', () => {
  it('uses the memory store by default', async () => {
    const app = await startApp(loadConfig({ PORT: '0' }), quiet);
    try {
      expect(await readyz(app.url)).toEqual({ ok: true, store: 'memory' });
    } finally {
      await app.close();
    }
  });

  it('sweeps idle sessions on the configured interval and runs the registered hooks', async () => {
    const app = await startApp(
      loadConfig({
        PORT: '0',
        MAYA_SESSION_EXPIRY_SECONDS: '0.2',
        MAYA_CLEANUP_INTERVAL_SECONDS: '0.05',
      }),
      quiet,
    );
    try {
      const freed: string[] = [];
      app.sweeper.onSessionEnd((id) => void freed.push(id));
      const { id } = await app.manager.createSession();
      await vi.waitFor(() => expect(freed).toEqual([id]), { timeout: 3_000, interval: 20 });
      expect(await app.manager.store.listIds()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('refuses to start when REDIS_URL does not answer, naming the address', async () => {
    await expect(
      startApp(loadConfig({ PORT: '0', REDIS_URL: 'redis://127.0.0.1:1' }), quiet),
    ).rejects.toThrow(/Cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });

  it.skipIf(!redis.url)(
    'uses Redis when REDIS_URL is set, under MAYA_REDIS_KEY_PREFIX',
    async () => {
      const prefix = uniquePrefix('selection');
      const app = await startApp(
        loadConfig({ PORT: '0', REDIS_URL: redis.url!, MAYA_REDIS_KEY_PREFIX: prefix }),
        quiet,
      );
      try {
        expect(await readyz(app.url)).toEqual({ ok: true, store: 'redis' });
        const s = await app.manager.createSession();
        expect(await app.manager.store.listIds()).toEqual([s.id]);
        await app.manager.store.delete(s.id);
      } finally {
        await app.close();
      }
    },
  );

  it('reports the store down on /readyz when Redis goes away, and fails writes at once instead of hanging', async () => {
    const own = await startRedisServer();
    if (!own?.url) return expect(redis.url).toBeNull(); // no redis-server binary: nothing to stop
    const app = await startApp(loadConfig({ PORT: '0', REDIS_URL: own.url }), quiet);
    try {
      const { id } = await app.manager.createSession();
      await app.manager.atomicOrderUpdate(id, [{ item: 'rum' }]);
      expect(await readyz(app.url)).toEqual({ ok: true, store: 'redis' });
      await own.stop();
      expect(await readyz(app.url)).toEqual({ ok: false, store: 'redis' });
      const failed = await app.manager.atomicOrderUpdate(id, [{ item: 'rum' }]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failed).toBeInstanceOf(Error);
      expect(failed).not.toBeInstanceOf(DomainError);
    } finally {
      await app.close();
      await own.stop();
    }
  });
});
