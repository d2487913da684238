import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSession } from '../domain/session.ts';
import { RedisSessionStore } from '../store/redis.ts';
import { StoreUnavailableError } from '../store/types.ts';
import { findTestRedis, uniquePrefix } from '../testing/redis.ts';
import type { TestRedis } from '../testing/redis.ts';

// The Redis store says "unreachable" with a type, so no caller reads error text to tell an outage
// from a bug or from an error Redis itself answered with.
describe('StoreUnavailableError from the Redis store', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await findTestRedis();
  });
  afterAll(async () => redis?.stop());

  it('a dropped connection is StoreUnavailableError; an error Redis answers with is not', async (context) => {
    if (!redis.url) return context.skip(redis.skipReason);
    const store = await RedisSessionStore.connect({
      url: redis.url,
      keyPrefix: uniquePrefix('unavailable'),
    });
    try {
      const session = newSession('s-unavailable', Date.now(), 60);
      expect(await store.create(session)).toBe(true);
      // Foreign data under our key: Redis answers WRONGTYPE, a domain error, not an outage.
      await store.raw.set(store.key('foreign'), 'x');
      const foreign = await store.get('foreign').catch((e: unknown) => e);
      expect(foreign).not.toBeInstanceOf(StoreUnavailableError);
      expect(foreign).toMatchObject({ code: 'INVALID_SESSION' });

      store.raw.disconnect(false);
      const down = await store.get(session.id).catch((e: unknown) => e);
      expect(down).toBeInstanceOf(StoreUnavailableError);
      expect(down).toMatchObject({ store: 'redis' });
      await expect(
        store.compareAndSet(session.id, session.version, {
          ...session,
          version: session.version + 1,
        }),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });
});
