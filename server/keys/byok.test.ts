/** BYOK end to end through the websocket: real SDKs against local stubs, keys never leave the server. */
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../app.ts';
import type { App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../observability/log.ts';
import { TestClient } from '../testing/wsClient.ts';
import { startGeminiStub } from '../testing/stubs/gemini.ts';
import type { GeminiStub } from '../testing/stubs/gemini.ts';
import { EXPRESS_TOOL } from '../llm/gemini.ts';

const GOOD_KEY = 'AIzaGoodKeyForTheStub_0123456789';
const MASTER = randomBytes(32).toString('hex');
let gemini: GeminiStub;
let app: App;
let wsUrl: string;
const logLines: string[] = [];

beforeAll(async () => {
  gemini = await startGeminiStub({ validKeys: [GOOD_KEY] });
  const sink = new Writable({
    write: (chunk: Buffer, _enc, cb) => (logLines.push(chunk.toString()), cb()),
  });
  app = await startApp(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      GEMINI_BASE_URL: gemini.baseUrl,
      MAYA_MASTER_KEY: MASTER,
    }),
    { log: createLogger('trace', sink), serveClient: false },
  );
  wsUrl = `${app.url.replace('http', 'ws')}/ws`;
});
afterAll(async () => {
  await app.close();
  await gemini.close();
});

const twoNegronisScript = () =>
  gemini.script(
    {
      chunks: [
        [
          { functionCall: { name: 'add_to_order', args: { item: 'negroni', quantity: 2 } } },
          { functionCall: { name: EXPRESS_TOOL, args: { emotion: 'mixing' } } },
        ],
      ],
    },
    { chunks: [[{ text: 'Two Negronis, ' }], [{ text: "that's $22.00. Cheers!" }]] },
  );

describe('BYOK over the websocket', () => {
  it('a valid Gemini key: key_status valid, and "two negronis please" runs through Gemini function calling', async () => {
    const c = await TestClient.open(wsUrl);
    await c.hello();
    // No keys of the bar's and none of the guest's yet: nothing to tell on connecting.
    await new Promise((r) => setTimeout(r, 50));
    expect(c.messages.some((m) => m.type === 'key_status')).toBe(false);
    c.send({ type: 'set_keys', gemini: GOOD_KEY, cartesia: '' });
    const status = await c.next('key_status');
    expect(status).toMatchObject({
      gemini: 'valid',
      cartesia: 'missing',
      serverKeys: { gemini: false, cartesia: false },
    });
    expect(status.messages.gemini).toContain('accepted');
    const before = gemini.requests.length;
    twoNegronisScript();
    const { reply, state } = await c.say('two negronis please');
    expect(reply).toEqual({
      type: 'reply',
      text: "Two Negronis, that's $22.00. Cheers!",
      emotion: 'mixing',
    });
    expect(state?.payment).toMatchObject({ tabCents: 2200, balanceCents: 97800 });
    expect(gemini.requests.length - before).toBe(2);
    expect(gemini.requests.at(-1)!.apiKey).toBe(GOOD_KEY);
    // Nothing the client received, nor anything logged, contains the key.
    expect(JSON.stringify(c.messages)).not.toContain(GOOD_KEY);
    expect(logLines.join('')).not.toContain(GOOD_KEY);
    await c.close();
  });

  it('a bad key: invalid:invalid with a clear message, and the embedded brain serves', async () => {
    const c = await TestClient.open(wsUrl);
    await c.hello();
    c.send({ type: 'set_keys', gemini: 'AIzaWrongKey' });
    const status = await c.next('key_status');
    expect(status.gemini).toBe('invalid:invalid');
    expect(status.messages.gemini).toMatch(/did not accept/);
    const before = gemini.requests.length;
    const { reply } = await c.say('two negronis please');
    expect(reply.text).toBe("Two Negronis, that's $22.00 — coming right up.");
    expect(gemini.requests.length).toBe(before);
    await c.close();
  });

  it('quota and network problems get their own categories', async () => {
    const c = await TestClient.open(wsUrl);
    await c.hello();
    gemini.failAll({ httpStatus: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded' });
    c.send({ type: 'set_keys', gemini: GOOD_KEY });
    expect((await c.next('key_status')).gemini).toBe('invalid:quota');
    gemini.failAll(null);
    await c.close();
  });

  it('keys stay in their session: stored encrypted, another session cannot use them, resume restores the status, "" removes', async () => {
    const a = await TestClient.open(wsUrl);
    const w = await a.hello();
    a.send({ type: 'set_keys', gemini: GOOD_KEY });
    expect((await a.next('key_status')).gemini).toBe('valid');
    const stored = await app.manager.get(w.sessionId);
    expect(JSON.stringify(stored)).not.toContain(GOOD_KEY);
    expect(stored.keys?.gemini?.blob).toMatch(/^v1\./);

    // Another guest: no key, embedded brain; even a copied blob does not decrypt for them.
    const b = await TestClient.open(wsUrl);
    const wb = await b.hello();
    const before = gemini.requests.length;
    expect((await b.say('a mojito')).reply.text).toBe(
      "One Mojito, that's $11.00 — coming right up.",
    );
    expect(gemini.requests.length).toBe(before);
    await app.manager.mutate(wb.sessionId, (s) => ({ ...s, keys: stored.keys }));
    expect(await app.keys.keyFor(wb.sessionId, 'gemini')).toBeNull();
    expect(await app.keys.keyFor(w.sessionId, 'gemini')).toBe(GOOD_KEY);
    await b.close();

    await a.close();
    const again = await TestClient.open(wsUrl);
    await again.hello({ sessionId: w.sessionId, resumeToken: w.resumeToken });
    expect((await again.next('key_status')).gemini).toBe('valid');
    again.send({ type: 'set_keys', gemini: '' });
    expect((await again.next('key_status')).gemini).toBe('missing');
    expect((await app.manager.get(w.sessionId)).keys?.gemini).toBeUndefined();
    await again.close();
  });

  it('rejects a malformed key message with a coded error', async () => {
    const c = await TestClient.open(wsUrl);
    await c.hello();
    c.send({ type: 'set_keys', gemini: 'has spaces in it' });
    expect((await c.next('error')).code).toBe('INVALID_MESSAGE');
    await c.close();
  });
});

describe('operator keys and failure mid-stream', () => {
  it('GEMINI_API_KEY serves every guest; a Gemini stream that dies mid-turn falls back to the embedded brain with nothing lost', async () => {
    const op = await startApp(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        GEMINI_BASE_URL: gemini.baseUrl,
        GEMINI_API_KEY: GOOD_KEY,
        MAYA_MASTER_KEY: MASTER,
      }),
      { log: pino({ level: 'silent' }), serveClient: false },
    );
    try {
      const c = await TestClient.open(`${op.url.replace('http', 'ws')}/ws`);
      await c.hello();
      // Told on connecting, unasked, which of the bar's keys are in use.
      expect(await c.next('key_status')).toMatchObject({
        gemini: 'missing',
        serverKeys: { gemini: true, cartesia: false },
        messages: { gemini: expect.stringContaining("bar's own") },
      });
      twoNegronisScript();
      expect((await c.say('two negronis please')).reply.text).toBe(
        "Two Negronis, that's $22.00. Cheers!",
      );
      gemini.script({ chunks: [[{ text: 'A Mojito, ' }]], dieAfter: true });
      const { reply, state } = await c.say('and a mojito');
      // "A Mojito, " never became a whole sentence, so it was never spoken and is not kept.
      expect(reply.text).toMatch(
        /^Sorry, my connection to the cloud just dropped.*mojito.*\$11\.00.*\$33\.00/i,
      );
      expect(state?.payment.tabCents).toBe(3300);
      await c.close();
    } finally {
      await op.close();
    }
  });
});

describe('pino redaction', () => {
  it('never writes a key, whatever field it sits in', () => {
    const lines: string[] = [];
    const log = createLogger(
      'info',
      new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }),
    );
    const key = 'sk_car_SUPERSECRET_42';
    log.info({ apiKey: key }, 'a');
    log.info({ msg: { type: 'set_keys', gemini: key, cartesia: key } }, 'b');
    log.info({ gemini: key, cartesia: key }, 'c');
    log.info({ req: { headers: { authorization: `Bearer ${key}`, 'x-goog-api-key': key } } }, 'd');
    log.info({ session: { keys: { gemini: { blob: key } } } }, 'e');
    log.info({ entry: { blob: key } }, 'f');
    expect(lines).toHaveLength(6);
    expect(lines.join('')).not.toContain('SUPERSECRET');
    expect(lines.join('')).toContain('[redacted]');
  });
});
