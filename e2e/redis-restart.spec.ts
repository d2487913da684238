/**
 * With Redis as the store, a guest's browser survives a server restart: the server process stops,
 * a new one starts on the same address, the page reconnects by itself and resumes its session
 * (resume token) with the tab intact, and ordering goes on.
 */
import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { findTestRedis, freePort, uniquePrefix } from '../server/testing/redis.ts';
import type { TestRedis } from '../server/testing/redis.ts';
import { startServerProcess } from '../server/testing/processes.ts';
import type { ServerProcess } from '../server/testing/processes.ts';

const STATIC_DIR = fileURLToPath(new URL('../dist/e2e', import.meta.url));

let redis: TestRedis;
test.beforeAll(async () => {
  redis = await findTestRedis();
});
test.afterAll(async () => redis?.stop());

test('the page resumes its tab after the server process is replaced (Redis store)', async ({
  page,
}) => {
  test.skip(!redis.url, redis.skipReason);
  const port = await freePort();
  const env = {
    PORT: String(port),
    REDIS_URL: redis.url!,
    MAYA_REDIS_KEY_PREFIX: uniquePrefix('e2e-restart'),
    MAYA_STATIC_DIR: STATIC_DIR,
  };
  let server: ServerProcess | null = await startServerProcess(env);
  try {
    await page.goto(server.url);
    await expect(page.getByTestId('status')).toHaveText('ready');
    await page.getByTestId('say').fill('two beers');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('tab')).toHaveText('$10.00');
    const before = await page.evaluate(() => sessionStorage.getItem('maya.session'));

    expect(await server.stop()).toBe(0);
    server = null;
    await expect(page.getByTestId('status')).not.toHaveText('ready');
    server = await startServerProcess(env);

    await expect(page.getByTestId('status')).toHaveText('ready', { timeout: 15_000 });
    await expect(page.getByTestId('tab')).toHaveText('$10.00');
    expect(await page.evaluate(() => sessionStorage.getItem('maya.session'))).toBe(before);
    await page.getByTestId('say').fill('a water');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('tab')).toHaveText('$11.00');
    await expect(page.getByTestId('balance')).toHaveText('$989.00');
  } finally {
    await server?.stop();
  }
});
