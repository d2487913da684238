import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startApp } from '../app.ts';
import type { App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { checkoutPage } from '../payments/sandboxPage.ts';
import { TestClient } from '../testing/wsClient.ts';
import { bearerMatches } from './security.ts';

const TOKEN = 'metrics-token-0123456789';
const ALLOWED = 'https://bar.example';
let app: App;
let staticDir: string;

beforeAll(async () => {
  // The production build of the page, as `npm start` makes it: served below to check its headers.
  staticDir = await mkdtemp(join(tmpdir(), 'maya-page-'));
  await build({
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    mode: 'production',
    logLevel: 'silent',
    build: { outDir: staticDir, emptyOutDir: true },
  });
  const config = loadConfig({
    PORT: '0',
    MAYA_STATIC_DIR: staticDir,
    MAYA_METRICS_TOKEN: TOKEN,
    MAYA_ALLOWED_ORIGINS: `${ALLOWED}, https://kiosk.example/`,
  });
  app = await startApp(config, { log: pino({ level: 'silent' }) });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await rm(staticDir, { recursive: true, force: true });
});

/** The status of a websocket upgrade sent with `origin` (undefined: no Origin header, as a non-browser client). */
function upgradeStatus(origin: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(
      `${app.url.replace('http', 'ws')}/ws`,
      origin === undefined ? {} : { origin },
    );
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

describe('the page and every response', () => {
  it('sends a CSP without inline script, no framing, nosniff and a referrer policy', async () => {
    for (const path of ['/', '/healthz', '/pay/unknown']) {
      const res = await fetch(`${app.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("connect-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('the built page and the sandbox checkout page have no inline script, and no test hooks ship', async () => {
    const html = await (await fetch(`${app.url}/`)).text();
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [tag, body] of scripts) {
      expect(tag).toMatch(/\ssrc="\/assets\//);
      expect(body?.trim()).toBe('');
    }
    const lines = [
      { item: 'Margarita', quantity: 1, modifiers: [], unitPriceCents: 1100, lineCents: 1100 },
    ];
    const checkout = checkoutPage({
      checkoutId: 'c1',
      sessionId: 's1',
      idempotencyKey: 'k1',
      status: 'open',
      lines,
      tipCents: 0,
      totalCents: 1100,
      url: '/pay/c1',
    });
    expect(checkout).not.toMatch(/<script|\son[a-z]+=/i);
    const assets = await readdir(join(staticDir, 'assets'));
    for (const file of assets.filter((f) => f.endsWith('.js'))) {
      expect(await readFile(join(staticDir, 'assets', file), 'utf8')).not.toContain('__mayaTest');
    }
  });
});

describe('websocket Origin', () => {
  it('accepts no Origin, the page’s own origin and configured ones; refuses any other with 403', async () => {
    expect(await upgradeStatus(undefined)).toBe(101);
    expect(await upgradeStatus(app.url)).toBe(101);
    expect(await upgradeStatus(ALLOWED)).toBe(101);
    expect(await upgradeStatus('https://kiosk.example')).toBe(101);
    expect(await upgradeStatus('https://evil.example')).toBe(403);
    expect(await upgradeStatus('http://127.0.0.1:1')).toBe(403);
    expect(await upgradeStatus('null')).toBe(403);
  });

  it('a refused socket never reaches the session layer; an accepted one works', async () => {
    const c = await TestClient.open(`${app.url.replace('http', 'ws')}/ws`);
    const welcome = await c.hello();
    expect(welcome.sessionId).toBeTruthy();
    await c.close();
  });
});

describe('/metrics with MAYA_METRICS_TOKEN', () => {
  it('answers 401 without the bearer token or with a wrong one, the metrics with it', async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status,
    ).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: TOKEN } })).status).toBe(
      401,
    );
    const ok = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/maya_connected_sessions/);
  });

  it('compares tokens whole: a prefix, a longer token or an empty one does not match', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN)).toBe(false);
    expect(bearerMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(bearerMatches('Bearer ', TOKEN)).toBe(false);
    expect(bearerMatches(undefined, TOKEN)).toBe(false);
  });
});
