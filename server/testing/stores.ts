/**
 * Store factories for the contract suite: the same tests run against every SessionStore. Each
 * factory takes a clock so expiry can be tested without waiting, and can plant raw data.
 */
import type { SessionStore } from '../store/types.ts';
import { MemorySessionStore } from '../store/memory.ts';
import { RedisSessionStore } from '../store/redis.ts';
import { findTestRedis, uniquePrefix } from './redis.ts';
import type { TestRedis } from './redis.ts';

export interface StoreUnderTest {
  name: 'memory' | 'redis';
  /** A store on a fresh namespace (Redis) or a fresh map (memory). `peer` shares the namespace. */
  make(now: () => number): Promise<StoreHandle>;
}

export interface StoreHandle {
  store: SessionStore;
  /** Another client of the same data (another connection for Redis; the same object for memory). */
  peer(): Promise<SessionStore>;
  /** Put corrupt/foreign data under a session id: a string, or (Redis) a value of another type. */
  plantRaw(id: string, raw: string, kind?: 'string' | 'list'): Promise<void>;
  close(): Promise<void>;
}

export const memoryStoreUnderTest: StoreUnderTest = {
  name: 'memory',
  async make(now) {
    const store = new MemorySessionStore(now);
    return {
      store,
      peer: async () => store,
      plantRaw: async (id, raw) => store.putRaw(id, raw),
      close: () => store.close(),
    };
  },
};

export function redisStoreUnderTest(url: string, label: string): StoreUnderTest {
  return {
    name: 'redis',
    async make(now) {
      const keyPrefix = uniquePrefix(label);
      const store = await RedisSessionStore.connect({ url, keyPrefix, now });
      const peers: RedisSessionStore[] = [];
      return {
        store,
        peer: async () => {
          const p = await RedisSessionStore.connect({ url, keyPrefix, now });
          peers.push(p);
          return p;
        },
        plantRaw: async (id, raw, kind = 'string') => {
          const key = store.key(id);
          await store.raw.del(key);
          if (kind === 'list') await store.raw.rpush(key, raw);
          else await store.raw.set(key, raw, 'EX', 60);
          await store.raw.expire(key, 60);
        },
        close: async () => {
          const keys = await store.raw.keys(`${keyPrefix}*`);
          if (keys.length > 0) await store.raw.del(...keys);
          await Promise.all([...peers.map((p) => p.close()), store.close()]);
        },
      };
    },
  };
}

/** The stores the contract suite runs over: memory always, Redis when one is found or started. */
export async function storesUnderTest(
  label: string,
): Promise<{ stores: StoreUnderTest[]; redis: TestRedis }> {
  const redis = await findTestRedis();
  const stores = [memoryStoreUnderTest];
  if (redis.url) stores.push(redisStoreUnderTest(redis.url, label));
  return { stores, redis };
}
