/**
 * The menu changed in the back office of one process reaches another process sharing Redis, without
 * a restart: a drink added on process A is ordered on process B typed AND spoken (Flite speech
 * streamed over B's /ws, recognised by B's speech workers), and a new price is charged on B's next order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { findTestRedis, uniquePrefix } from '../testing/redis.ts';
import type { TestRedis } from '../testing/redis.ts';
import { startServerProcess } from '../testing/processes.ts';
import type { ServerProcess } from '../testing/processes.ts';
import { TestClient } from '../testing/wsClient.ts';
import { speakClips, streamPcm } from '../testing/speech.ts';
import type { Clip } from '../testing/speech.ts';
import { BUNDLED_MENU } from '../../shared/menu.ts';
import { AdminMenuSchema } from '../../shared/admin.ts';
import type { MenuFileInput } from '../../shared/menuFile.ts';

const TOKEN = 'test-admin-token-0123456789';
let redis: TestRedis;
let a: ServerProcess;
let b: ServerProcess;
let clip: Clip;
let prefix: string;

const admin = async (server: ServerProcess, method: 'GET' | 'PUT', body?: unknown) => {
  const res = await fetch(`${server.url}/admin/api/menu`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as unknown };
};
const menuOf = async (server: ServerProcess) =>
  AdminMenuSchema.parse((await admin(server, 'GET')).body);

beforeAll(async () => {
  redis = await findTestRedis();
  if (!redis.url) return;
  prefix = uniquePrefix('menu');
  const env = {
    REDIS_URL: redis.url,
    MAYA_REDIS_KEY_PREFIX: prefix,
    MAYA_ADMIN_TOKEN: TOKEN,
    MAYA_SPEECH_WORKERS: '1',
  };
  [a, b, [clip]] = await Promise.all([
    startServerProcess(env),
    startServerProcess(env),
    speakClips(['a paloma please'], { leadMs: 300, tailMs: 900 }) as Promise<[Clip]>,
  ]);
}, 90_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  if (redis?.url) {
    // The menu key has no expiry: leave the shared Redis as we found it.
    const client = new Redis(redis.url);
    await client.del(`${prefix}menu`);
    client.disconnect();
  }
  await redis?.stop();
});

describe('a menu shared through Redis', () => {
  it('a drink added on one process is ordered typed and spoken on another; a new price is charged there next', async (ctx) => {
    if (!redis.url) return ctx.skip();
    const before = await menuOf(a);
    expect(before.persistence).toBe('redis');
    expect(before.menu.items.map((i) => i.name)).toEqual(BUNDLED_MENU.items.map((i) => i.name));

    const guest = await TestClient.open(b.wsUrl);
    await guest.hello();
    // Not on the menu yet: Maya says so and charges nothing.
    const offMenu = await guest.say('a paloma please');
    expect(offMenu.state?.payment.tabCents ?? 0).toBe(0);

    const withPaloma: MenuFileInput = {
      ...before.menu,
      items: [
        ...before.menu.items,
        { name: 'Paloma', category: 'cocktail', priceCents: 950, aliases: ['paloma cocktail'] },
      ],
    };
    const put = await admin(a, 'PUT', { expectedVersion: before.version, menu: withPaloma });
    expect(put.status).toBe(200);
    await expect
      .poll(async () => (await menuOf(b)).version, { timeout: 2000 })
      .toBe(before.version + 1);

    // Typed on B.
    const typed = await guest.say('a paloma please');
    expect(typed.state?.order).toEqual([
      expect.objectContaining({ item: 'Paloma', quantity: 1, unitPriceCents: 950 }),
    ]);
    expect(typed.state?.payment.tabCents).toBe(950);

    // Spoken on B: its speech workers now hear "paloma".
    await streamPcm((f) => guest.sendRaw(f), clip.pcm);
    const heard = await guest.next('transcript_final', (m) => m.text !== '', 30_000);
    expect(heard.text).toMatch(/paloma/);
    let reply = await guest.next('reply', () => true, 10_000);
    if (/right\?|check|sure/i.test(reply.text)) reply = await guest.say('yes').then((r) => r.reply); // a read-back: the guest confirms
    await expect
      .poll(() => guest.messages.filter((m) => m.type === 'state').at(-1), { timeout: 5000 })
      .toMatchObject({ state: { payment: { tabCents: 1900 } } });
    expect(reply.text).toMatch(/paloma/i);

    // Repriced on A: B's next order pays the new price; the drinks already on the tab keep theirs.
    const now = await menuOf(a);
    const repriced = {
      ...now.menu,
      items: now.menu.items.map((i) => (i.name === 'Paloma' ? { ...i, priceCents: 1025 } : i)),
    };
    expect((await admin(a, 'PUT', { expectedVersion: now.version, menu: repriced })).status).toBe(
      200,
    );
    await expect
      .poll(async () => (await menuOf(b)).version, { timeout: 2000 })
      .toBe(now.version + 1);
    const third = await guest.say('one more paloma please');
    expect(third.state?.payment.tabCents).toBe(950 + 950 + 1025);
    expect(
      third.state?.order
        .filter((l) => l.item === 'Paloma')
        .map((l) => l.unitPriceCents)
        .sort(),
    ).toEqual([1025, 950]);
    await guest.close();
  }, 120_000);
});
