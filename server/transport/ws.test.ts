import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../app.ts';
import type { App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { TestClient } from '../testing/wsClient.ts';
import { MAX_TEXT_MESSAGE_BYTES, PROTOCOL_VERSION } from '../../shared/protocol.ts';

let app: App;
let wsUrl: string;

beforeAll(async () => {
  app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), {
    log: pino({ level: 'silent' }),
    serveClient: false,
  });
  wsUrl = `${app.url.replace('http', 'ws')}/ws`;
});
afterAll(() => app.close());

describe('websocket protocol', () => {
  it('welcomes a new guest with a session, a resume token, the protocol version and a fresh tab', async () => {
    const c = await TestClient.open(wsUrl);
    const w = await c.hello();
    expect(w.protocol).toBe(PROTOCOL_VERSION);
    expect(w.resumed).toBe(false);
    expect(w.state.payment).toMatchObject({
      balanceCents: 100000,
      tabCents: 0,
      totalCents: 0,
      status: 'pending',
    });
    await c.close();
  });

  it('takes a typed order and pushes the new state with a higher version', async () => {
    const c = await TestClient.open(wsUrl);
    const w = await c.hello();
    const { reply, state } = await c.say('a margarita please');
    expect(reply.text).toBe("One Margarita, that's $11.00 — coming right up.");
    expect(reply.emotion).toBe('mixing');
    expect(state?.payment).toMatchObject({ tabCents: 1100, balanceCents: 98900 });
    expect(state!.version).toBeGreaterThan(w.state.version);
    await c.close();
  });

  it('resumes the session on a new connection with the resume token, and refuses a wrong token', async () => {
    const a = await TestClient.open(wsUrl);
    const w = await a.hello();
    await a.say('two negronis');
    await a.close();
    const expiresBefore = (await app.manager.get(w.sessionId)).expiresAt;
    await new Promise((r) => setTimeout(r, 5));

    const b = await TestClient.open(wsUrl);
    const back = await b.hello({ sessionId: w.sessionId, resumeToken: w.resumeToken });
    expect(back.resumed).toBe(true);
    expect(back.sessionId).toBe(w.sessionId);
    expect(back.state.payment.tabCents).toBe(2200);
    // Coming back is activity: the idle-expiry clock restarts.
    expect((await app.manager.get(w.sessionId)).expiresAt).toBeGreaterThan(expiresBefore);
    await b.close();

    const thief = await TestClient.open(wsUrl);
    thief.send({ type: 'hello', sessionId: w.sessionId, resumeToken: 'x'.repeat(32) });
    expect((await thief.next('error')).code).toBe('INVALID_SESSION');
    const fresh = await thief.next('welcome');
    expect(fresh.sessionId).not.toBe(w.sessionId);
    expect(fresh.state.payment.tabCents).toBe(0);
    await thief.close();
  });

  it('answers each kind of bad input with a coded error and stays usable', async () => {
    const c = await TestClient.open(wsUrl);
    c.send({ type: 'user_text', text: 'a beer' });
    expect((await c.next('error')).code).toBe('HELLO_REQUIRED');
    await c.hello();

    const cases: [string | Buffer, string][] = [
      ['{not json', 'BAD_JSON'],
      ['[1,2,3]', 'INVALID_MESSAGE'],
      [JSON.stringify({ type: 'order_everything' }), 'UNKNOWN_TYPE'],
      [JSON.stringify({ text: 'no type' }), 'UNKNOWN_TYPE'],
      [JSON.stringify({ type: 'user_text', text: 42 }), 'INVALID_MESSAGE'],
      [JSON.stringify({ type: 'user_text', text: '   ' }), 'INVALID_MESSAGE'],
      [JSON.stringify({ type: 'user_text', text: 'x'.repeat(501) }), 'INVALID_MESSAGE'],
      [JSON.stringify({ type: 'set_tip', percent: 12 }), 'INVALID_MESSAGE'],
      [JSON.stringify({ type: 'hello', protocol: 99 }), 'UNSUPPORTED_PROTOCOL'],
      [
        JSON.stringify({ type: 'user_text', text: 'y'.repeat(MAX_TEXT_MESSAGE_BYTES) }),
        'MESSAGE_TOO_LARGE',
      ],
      [Buffer.alloc(100_000), 'MESSAGE_TOO_LARGE'],
    ];
    for (const [raw, code] of cases) {
      c.sendRaw(raw);
      const err = await c.next('error');
      expect(err.code, String(raw).slice(0, 60)).toBe(code);
      expect(err.message.length).toBeGreaterThan(5);
    }
    // The connection and the session survived all of it.
    const { reply, state } = await c.say('a beer');
    expect(reply.text).toContain('Tap Beer');
    expect(state?.payment.tabCents).toBe(500);
    await c.close();
  });

  it('toggles the tip from the overlay buttons', async () => {
    const c = await TestClient.open(wsUrl);
    await c.hello();
    await c.say('a martini');
    c.send({ type: 'set_tip', percent: 20 });
    expect(
      (await c.next('state', (m) => m.state.payment.tipPercent === 20)).state.payment,
    ).toMatchObject({ tipCents: 260, totalCents: 1560 });
    c.send({ type: 'set_tip', percent: 20 });
    expect(
      (await c.next('state', (m) => m.state.payment.tipPercent === null)).state.payment.tipCents,
    ).toBe(0);
    await c.close();
  });

  it('serves /healthz and /readyz', async () => {
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${app.url}/readyz`)).json()).toEqual({ ok: true, store: 'memory' });
  });
});
