import { afterEach, describe, expect, it, vi } from 'vitest';
import { findTestRedis, redisAnswers } from './redis.ts';

const DEAD_URL = 'redis://127.0.0.1:1';

describe('finding a Redis for tests', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('skips with a one-line reason on a laptop with no Redis and no redis-server', async () => {
    vi.stubEnv('REDIS_URL', DEAD_URL);
    vi.stubEnv('PATH', '/nonexistent');
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const found = await findTestRedis();
    expect(found.url).toBeNull();
    expect(found.skipReason).toMatch(
      /no Redis answers at redis:\/\/127\.0\.0\.1:1 and no redis-server/,
    );
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('fails under CI=true instead of skipping', async () => {
    vi.stubEnv('REDIS_URL', DEAD_URL);
    vi.stubEnv('PATH', '/nonexistent');
    vi.stubEnv('CI', 'true');
    await expect(findTestRedis()).rejects.toThrow(/Redis is required under CI=true/);
  });

  it('starts a redis-server on a free port when none answers', async () => {
    vi.stubEnv('REDIS_URL', DEAD_URL);
    const found = await findTestRedis();
    if (found.url === null) return expect(found.skipReason).toMatch(/redis-server/); // no binary on this machine
    try {
      expect(found.url).not.toBe(DEAD_URL);
      expect(await redisAnswers(found.url)).toBe(true);
    } finally {
      await found.stop();
    }
    expect(await redisAnswers(found.url)).toBe(false);
  });
});
