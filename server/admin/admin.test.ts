/**
 * The back office API over real HTTP on an in-process app: off without a token (404), 401 without
 * the right bearer, tonight's figures after a paid tab, menu edits validated like the file (400
 * naming the item and field, nothing changed), written atomically to MAYA_MENU, logged by the token's
 * fingerprint and never the token; a price change reaches the next order; a read-back answered after
 * a price change re-quotes instead of charging.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../app.ts';
import type { App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { TestClient } from '../testing/wsClient.ts';
import { AdminMenuSchema, AdminSummarySchema } from '../../shared/admin.ts';
import { BUNDLED_MENU } from '../../shared/menu.ts';
import { tokenFingerprint } from './auth.ts';
import { LocalMenuCatalog } from '../menu/catalog.ts';
import { StateManager } from '../state/manager.ts';
import { MemorySessionStore } from '../store/memory.ts';
import { Processor } from '../conversation/processor.ts';
import { EmbeddedBrain } from '../conversation/brain/brain.ts';

const TOKEN = 'back-office-secret-42x';
let app: App;
let menuPath: string;
const logLines: string[] = [];

const api = (path: string, init: RequestInit & { token?: string | null } = {}) => {
  const { token = TOKEN, ...rest } = init;
  return fetch(`${app.url}${path}`, {
    ...rest,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
};
const getMenu = async () => AdminMenuSchema.parse(await (await api('/admin/api/menu')).json());
const putMenu = (body: unknown) =>
  api('/admin/api/menu', {
    method: 'PUT',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  menuPath = join(mkdtempSync(join(tmpdir(), 'maya-menu-')), 'menu.json');
  writeFileSync(menuPath, JSON.stringify(BUNDLED_MENU.file, null, 2));
  const sink = new Writable({
    write: (chunk: Buffer, _enc, done) => (logLines.push(chunk.toString()), done()),
  });
  app = await startApp(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', MAYA_MENU: menuPath, MAYA_ADMIN_TOKEN: TOKEN }),
    { log: pino({ level: 'info' }, sink), serveClient: false, speech: false },
  );
});
afterAll(() => app?.close());

describe('back office API', () => {
  it('answers 401 without the token or with a wrong one, and never logs the token', async () => {
    expect((await api('/admin/api/summary', { token: null })).status).toBe(401);
    expect((await api('/admin/api/summary', { token: 'wrong-token-of-some-length' })).status).toBe(
      401,
    );
    expect((await api('/admin/api/menu', { token: `${TOKEN}x` })).status).toBe(401);
    expect((await api('/admin/api/summary')).status).toBe(200);
    expect(logLines.join('')).not.toContain(TOKEN);
  });

  it('reports tonight: sales and tips of paid tabs, paid and open tabs, the live sessions', async () => {
    const guest = await TestClient.open(`${app.url.replace('http', 'ws')}/ws`);
    const { sessionId } = await guest.hello();
    await guest.say('two margaritas please');
    await guest.say('add a 20% tip');
    await guest.say("I'd like to pay");
    const payment = guest.messages.filter((m) => m.type === 'state').at(-1);
    const url = payment && 'state' in payment ? payment.state.payment.checkoutUrl : null;
    expect(url).toBeTruthy();
    expect(
      (await fetch(`${new URL(url!).origin}${new URL(url!).pathname}/pay`, { method: 'POST' }))
        .status,
    ).toBe(200);
    await guest.say('a beer please');
    const summary = AdminSummarySchema.parse(await (await api('/admin/api/summary')).json());
    expect(summary).toMatchObject({ salesCents: 2200, tipsCents: 440, paidTabs: 1, openTabs: 1 });
    expect(summary.sessions).toContainEqual(
      expect.objectContaining({
        id: sessionId.slice(0, 8),
        tabNo: 2,
        tabCents: 500,
        drinks: 1,
        paidCents: 2640,
        status: 'pending',
      }),
    );
    await guest.close();
  });

  it('reprices and adds drinks: written atomically to the file, logged by fingerprint, in force for the next order', async () => {
    const before = await getMenu();
    expect(before.persistence).toBe('file');
    const items = [
      ...before.menu.items.map((i) => (i.name === 'Martini' ? { ...i, priceCents: 1450 } : i)),
      { name: 'Gimlet', category: 'cocktails' as const, priceCents: 1150, aliases: [] },
    ];
    const res = await putMenu({ expectedVersion: before.version, menu: { ...before.menu, items } });
    expect(res.status).toBe(200);
    const after = AdminMenuSchema.parse(await res.json());
    expect(after.version).toBe(before.version + 1);
    const onDisk = JSON.parse(readFileSync(menuPath, 'utf8')) as {
      items: { name: string; priceCents: number }[];
    };
    expect(onDisk.items.find((i) => i.name === 'Martini')?.priceCents).toBe(1450);
    expect(readdirSync(join(menuPath, '..')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const logged = logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'admin: menu changed');
    expect(logged).toMatchObject({
      admin: tokenFingerprint(TOKEN),
      changes: ['Martini 1300→1450', 'added Gimlet (1150)'],
    });
    expect(logged?.admin).toMatch(/^[0-9a-f]{8}$/);
    expect(typeof logged?.at).toBe('string');

    const guest = await TestClient.open(`${app.url.replace('http', 'ws')}/ws`);
    await guest.hello();
    expect((await guest.say('a martini and a gimlet please')).state?.payment.tabCents).toBe(
      1450 + 1150,
    );
    await guest.close();
  });

  it('refuses a bad menu with 400 naming the item and the field, and changes nothing', async () => {
    const before = await getMenu();
    const disk = readFileSync(menuPath, 'utf8');
    const bad = async (body: unknown) => {
      const res = await putMenu(body);
      return {
        status: res.status,
        body: (await res.json()) as { error: string; message: string; issues?: string[] },
      };
    };
    const item = (patch: Record<string, unknown>) => ({
      expectedVersion: before.version,
      menu: {
        ...before.menu,
        items: [
          ...before.menu.items,
          { name: 'Sidecar', category: 'cocktails', priceCents: 1200, ...patch },
        ],
      },
    });
    expect(await bad('{"menu": [')).toMatchObject({ status: 400, body: { error: 'bad_json' } });
    expect(await bad({ menu: before.menu, extra: 1 })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    expect(await bad(item({ priceCents: -100 }))).toMatchObject({
      status: 400,
      body: {
        error: 'invalid_menu',
        issues: [expect.stringMatching(/item 27 "Sidecar": priceCents: must not be negative/)],
      },
    });
    expect(await bad(item({ priceCents: '12' }))).toMatchObject({
      status: 400,
      body: { issues: [expect.stringMatching(/"Sidecar": priceCents: must be a number of cents/)] },
    });
    expect(await bad(item({ category: 'tiki' }))).toMatchObject({
      status: 400,
      body: { issues: [expect.stringMatching(/"Sidecar": category: must be one of/)] },
    });
    expect(await bad(item({ name: 'Negroni' }))).toMatchObject({
      status: 400,
      body: {
        issues: [
          expect.stringMatching(
            /item 27 "Negroni": name: "Negroni" is already a name or alias of "Negroni"/,
          ),
        ],
      },
    });
    expect(await bad({ expectedVersion: before.version - 1, menu: before.menu })).toMatchObject({
      status: 409,
      body: { error: 'version_conflict' },
    });
    expect(await getMenu()).toEqual(before);
    expect(readFileSync(menuPath, 'utf8')).toBe(disk);
  });
});

describe('back office off', () => {
  it('answers 404 on every /admin path without MAYA_ADMIN_TOKEN', async () => {
    const off = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), {
      log: pino({ level: 'silent' }),
      serveClient: false,
      speech: false,
    });
    try {
      for (const path of ['/admin', '/admin/api/summary', '/admin/api/menu'])
        expect(
          (await fetch(`${off.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } }))
            .status,
        ).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('a guest mid-order when the price changes', () => {
  it('is told the new price before a yes charges it', async () => {
    const menu = new LocalMenuCatalog(BUNDLED_MENU);
    const manager = new StateManager(new MemorySessionStore(), { expirySeconds: 3600, menu });
    const brain = new EmbeddedBrain();
    const processor = new Processor({
      manager,
      llmFor: () => brain,
      log: pino({ level: 'silent' }),
      menu,
    });
    const { id } = await manager.createSession();
    expect((await processor.handleTurn(id, 'how much is a mojito?')).text).toMatch(/\$11\.00/);
    await menu.replace({
      ...BUNDLED_MENU.file,
      items: BUNDLED_MENU.file.items.map((i) =>
        i.name === 'Mojito' ? { ...i, priceCents: 1250 } : i,
      ),
    });
    const requote = await processor.handleTurn(id, 'yes');
    expect(requote.text).toMatch(/a Mojito is now \$12\.50/);
    expect(requote.state.payment.tabCents).toBe(0);
    const charged = await processor.handleTurn(id, 'yes please');
    expect(charged.state.order).toEqual([
      expect.objectContaining({ item: 'Mojito', unitPriceCents: 1250 }),
    ]);
  });
});
