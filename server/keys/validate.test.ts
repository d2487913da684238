import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGeminiStub } from '../testing/stubs/gemini.ts';
import type { GeminiStub } from '../testing/stubs/gemini.ts';
import { startCartesiaStub } from '../testing/stubs/cartesia.ts';
import type { CartesiaStub } from '../testing/stubs/cartesia.ts';
import { problemForStatus, validateCartesiaKey, validateGeminiKey } from './validate.ts';

let gemini: GeminiStub;
let cartesia: CartesiaStub;
let deadUrl: string;
beforeAll(async () => {
  [gemini, cartesia] = await Promise.all([
    startGeminiStub({ validKeys: ['good-gemini-key'] }),
    startCartesiaStub({ validKeys: ['good-cartesia-key'] }),
  ]);
  // A port that was just free: connection refused.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  deadUrl = `127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((r) => probe.close(r));
});
afterAll(() => Promise.all([gemini.close(), cartesia.close()]));

describe('Gemini key check (models.get through the SDK)', () => {
  const opts = () => ({ model: 'gemini-flash-latest', baseUrl: gemini.baseUrl });
  it('valid', async () => {
    expect(await validateGeminiKey('good-gemini-key', opts())).toEqual({ ok: true });
  });
  it('invalid (400 API_KEY_INVALID), without echoing the key', async () => {
    const r = await validateGeminiKey('AIza-not-a-real-key', opts());
    expect(r).toMatchObject({ ok: false, problem: 'invalid' });
    expect(JSON.stringify(r)).not.toContain('AIza-not-a-real-key');
  });
  it('quota (429 RESOURCE_EXHAUSTED)', async () => {
    gemini.failAll({ httpStatus: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded' });
    try {
      expect(await validateGeminiKey('good-gemini-key', opts())).toMatchObject({
        ok: false,
        problem: 'quota',
        message: expect.stringContaining('quota'),
      });
    } finally {
      gemini.failAll(null);
    }
  });
  it('network (nothing listening)', async () => {
    expect(
      await validateGeminiKey('good-gemini-key', {
        model: 'gemini-flash-latest',
        baseUrl: `http://${deadUrl}`,
      }),
    ).toMatchObject({ ok: false, problem: 'network' });
  });
  it('other (unknown model, server error)', async () => {
    expect(
      await validateGeminiKey('good-gemini-key', { ...opts(), model: 'gemini-nope' }),
    ).toMatchObject({
      ok: false,
      problem: 'other',
      message: expect.stringContaining('gemini-nope'),
    });
    gemini.failAll({ httpStatus: 500, status: 'INTERNAL', message: 'boom' });
    try {
      expect(await validateGeminiKey('good-gemini-key', opts())).toMatchObject({
        ok: false,
        problem: 'other',
      });
    } finally {
      gemini.failAll(null);
    }
  });
});

describe('Cartesia key check (GET /voices/:id over TLS)', () => {
  const opts = () => ({ baseUrl: cartesia.baseUrl, ca: cartesia.ca, voiceId: 'voice-1' });
  it('valid, invalid, quota, network, other', async () => {
    expect(await validateCartesiaKey('good-cartesia-key', opts())).toEqual({ ok: true });
    expect(await validateCartesiaKey('sk_car_wrong', opts())).toMatchObject({
      ok: false,
      problem: 'invalid',
    });
    cartesia.failRest(429);
    expect(await validateCartesiaKey('good-cartesia-key', opts())).toMatchObject({
      ok: false,
      problem: 'quota',
    });
    cartesia.failRest(503);
    expect(await validateCartesiaKey('good-cartesia-key', opts())).toMatchObject({
      ok: false,
      problem: 'other',
      message: expect.stringContaining('503'),
    });
    cartesia.failRest(null);
    expect(
      await validateCartesiaKey('good-cartesia-key', { ...opts(), baseUrl: `https://${deadUrl}` }),
    ).toMatchObject({ ok: false, problem: 'network' });
  });
  it('does not trust the self-signed stub without its CA (TLS is really checked)', async () => {
    expect(
      await validateCartesiaKey('good-cartesia-key', { ...opts(), ca: undefined }),
    ).toMatchObject({ ok: false, problem: 'network' });
  });
});

describe('problemForStatus', () => {
  it('maps statuses', () => {
    expect([401, 403, 429, 402, 500, 400].map((s) => problemForStatus(s))).toEqual([
      'invalid',
      'invalid',
      'quota',
      'quota',
      'other',
      'other',
    ]);
    expect(problemForStatus(400, 'API_KEY_INVALID')).toBe('invalid');
  });
});

describe('operator keys at start-up', () => {
  it('logs whether each server-wide key works, never the key', async () => {
    const { checkOperatorKeys } = await import('./compose.ts');
    const { loadConfig } = await import('../config.ts');
    const { createLogger } = await import('../observability/log.ts');
    const { Writable } = await import('node:stream');
    const lines: string[] = [];
    const log = createLogger(
      'info',
      new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }),
    );
    await checkOperatorKeys(
      loadConfig({ GEMINI_API_KEY: 'operator-wrong-key', GEMINI_BASE_URL: gemini.baseUrl }),
      log,
    );
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 40,
      provider: 'gemini',
      problem: 'invalid',
      msg: 'operator key refused',
    });
    lines.length = 0;
    await checkOperatorKeys(
      loadConfig({
        GEMINI_API_KEY: 'good-gemini-key',
        GEMINI_BASE_URL: gemini.baseUrl,
        CARTESIA_API_KEY: 'good-cartesia-key',
        CARTESIA_BASE_URL: cartesia.baseUrl,
      }),
      log,
    );
    // Cartesia without the stub's CA: the TLS check fails, which is reported as a network problem.
    expect(lines.map((l) => JSON.parse(l) as { provider: string; msg: string })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ provider: 'gemini', msg: 'operator key ok' }),
        expect.objectContaining({
          provider: 'cartesia',
          problem: 'network',
          msg: 'operator key refused',
        }),
      ]),
    );
    expect(lines.join('')).not.toMatch(/operator-wrong-key|good-gemini-key|good-cartesia-key/);
  });
});
