/**
 * A child process for the cross-process Redis tests: it opens its own store connection and works
 * on one session, then prints one JSON line with what it did. Driven by environment variables:
 * REDIS_URL, MAYA_REDIS_KEY_PREFIX, SESSION_ID, MODE (orders | complete | turns), COUNT,
 * CONCURRENCY, PARTIES (how many children start together), CHECKOUT_ID, TAG.
 */
import { RedisSessionStore } from '../store/redis.ts';
import { StateManager } from '../state/manager.ts';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is required`);
  return v;
};

const store = await RedisSessionStore.connect({
  url: env('REDIS_URL'),
  keyPrefix: env('MAYA_REDIS_KEY_PREFIX'),
});
const manager = new StateManager(store, { expirySeconds: 3600, maxRetries: 10_000 });
const id = env('SESSION_ID');
const count = Number(process.env.COUNT ?? '1');
const concurrency = Number(process.env.CONCURRENCY ?? '1');
// A barrier in Redis: every child waits until all PARTIES have connected, then all start at once,
// however long each took to boot.
const parties = Number(process.env.PARTIES ?? '1');
const barrierKey = `${store.keyPrefix}barrier`;
await store.raw.incr(barrierKey);
const barrierDeadline = Date.now() + 20_000;
while (Number(await store.raw.get(barrierKey)) < parties) {
  if (Date.now() > barrierDeadline) throw new Error('the other children never arrived');
  await new Promise((r) => setTimeout(r, 2));
}

let out: unknown;
switch (env('MODE')) {
  case 'orders': {
    let next = 0;
    let committed = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          next++;
          await manager.atomicOrderUpdate(id, [{ item: 'water' }]);
          committed++;
        }
      }),
    );
    out = { committed };
    break;
  }
  case 'complete': {
    const { state } = await manager.atomicPaymentComplete(id, env('CHECKOUT_ID'));
    out = { version: state.version };
    break;
  }
  case 'turns': {
    const tag = env('TAG');
    const logKey = `${store.keyPrefix}turn-log`;
    await Promise.all(
      Array.from({ length: count }, (_, n) =>
        manager.serialised(id, async () => {
          await store.raw.rpush(logKey, `start ${tag}${n}`);
          await new Promise((r) => setTimeout(r, 10));
          await manager.setTip(id, 10);
          await store.raw.rpush(logKey, `end ${tag}${n}`);
        }),
      ),
    );
    out = { turns: count };
    break;
  }
  default:
    throw new Error(`unknown MODE ${process.env.MODE}`);
}
console.log(JSON.stringify(out));
await store.close();
