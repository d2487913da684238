/**
 * Protocol fuzzing: ≥ 10,000 random and mutated messages over real websockets. The server must stay
 * up, answer every bad message with the right coded error, never answer INTERNAL, and keep every
 * session's money invariant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pino } from 'pino';
import { startApp } from '../app.ts';
import type { App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { TestClient } from '../testing/wsClient.ts';
import { parseClientMessage } from '../../shared/protocol.ts';
import { moneyInvariantHolds } from '../state/rules.ts';
import { START_BALANCE_CENTS } from '../../shared/domain.ts';

let app: App;
let wsUrl: string;
beforeAll(async () => {
  app = await startApp(
    loadConfig({ PORT: '0', MAYA_RATE_SESSION_PER_SECOND: '0', MAYA_RATE_ADDRESS_PER_SECOND: '0' }),
    { log: pino({ level: 'silent' }), serveClient: false },
  );
  wsUrl = `${app.url.replace('http', 'ws')}/ws`;
});
afterAll(() => app.close());

const phrases = [
  'a margarita please',
  'two beers',
  'remove the beer',
  'add a 15% tip',
  'no tip',
  'twenty martinis',
  "what's my total",
  'cancel that',
  'hi',
  '20 old fashioneds',
  'a double whiskey',
];
const anyValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);
const validText = fc
  .constantFrom(...phrases)
  .map((text) => JSON.stringify({ type: 'user_text', text }));
const mutated = fc
  .record(
    {
      type: fc.oneof(
        fc.constantFrom('hello', 'user_text', 'set_tip', 'welcome', 'state', '', 'HELLO'),
        fc.string(),
        anyValue,
      ),
      text: fc.oneof(fc.constantFrom(...phrases), fc.string(), anyValue, fc.constant('')),
      percent: fc.oneof(fc.constantFrom(10, 15, 20, null, 12, -1, 1e308), anyValue),
    },
    { requiredKeys: [] },
  )
  .map((m) => JSON.stringify(m));
const garbage = fc.oneof(
  fc.string(),
  fc.json(),
  fc.constantFrom('{', '[]', 'null', '"hello"', '{"type":"hello",', 'x'.repeat(17_000)),
);
const binary = fc.uint8Array({ maxLength: 20_000 }).map((a) => Buffer.from(a));
const message = fc.oneof(
  { weight: 3, arbitrary: validText },
  { weight: 5, arbitrary: mutated },
  { weight: 3, arbitrary: garbage },
  { weight: 1, arbitrary: binary },
);

describe('protocol fuzzing', () => {
  it('survives ≥ 10,000 random and mutated messages with coded errors and intact money', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(message, { minLength: 60, maxLength: 100 }),
        async (helloFirst, msgs) => {
          const c = await TestClient.open(wsUrl);
          let helloed = false;
          if (helloFirst) {
            await c.hello();
            helloed = true;
          }
          for (const raw of msgs) {
            sent++;
            c.sendRaw(raw);
            if (Buffer.isBuffer(raw)) continue; // audio frames may be consumed silently
            const parsed = parseClientMessage(raw);
            if (!parsed.ok) {
              expect((await c.next('error', (e) => e.code === parsed.error.code)).code).toBe(
                parsed.error.code,
              );
            } else if (parsed.message.type === 'hello') {
              await c.next('welcome');
              helloed = true;
            } else if (!helloed) {
              await c.next('error', (e) => e.code === 'HELLO_REQUIRED');
            } else if (parsed.message.type === 'user_text') {
              await c.next('reply');
            } else {
              await c.next('state');
            }
          }
          expect(c.messages.filter((m) => m.type === 'error' && m.code === 'INTERNAL')).toEqual([]);
          const welcome = c.messages.filter((m) => m.type === 'welcome').at(-1);
          await c.close();
          if (welcome?.type === 'welcome') {
            const s = await app.manager.get(welcome.sessionId);
            expect(moneyInvariantHolds(s, START_BALANCE_CENTS)).toBe(true);
          }
        },
      ),
      { numRuns: 150, seed: 20261125 },
    );
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ ok: true });
  }, 120_000);
});
