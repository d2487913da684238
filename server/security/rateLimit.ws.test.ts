import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../app.ts';
import type { App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { TestClient } from '../testing/wsClient.ts';

let app: App;
let wsUrl: string;
beforeAll(async () => {
  app = await startApp(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MAYA_RATE_SESSION_BURST: '3',
      MAYA_RATE_SESSION_PER_SECOND: '10',
      MAYA_RATE_ADDRESS_BURST: '12',
      MAYA_RATE_ADDRESS_PER_SECOND: '10',
    }),
    { log: pino({ level: 'silent' }), serveClient: false },
  );
  wsUrl = `${app.url.replace('http', 'ws')}/ws`;
});
afterAll(() => app.close());

describe('rate limits on the websocket', () => {
  it('a session over its burst gets RATE_LIMITED, keeps its connection and tab, and is served again after a pause', async () => {
    const c = await TestClient.open(wsUrl);
    await c.hello();
    for (let i = 0; i < 4; i++) c.send({ type: 'user_text', text: 'a mojito' });
    const err = await c.next('error');
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.message).toMatch(/try again/);
    for (let i = 0; i < 3; i++) expect((await c.next('reply')).text).toContain('Mojito');
    await new Promise((r) => setTimeout(r, 250));
    const { reply, state } = await c.say('a margarita');
    expect(reply.text).toContain('Margarita');
    // Three mojitos made it, the fourth was refused; then the margarita.
    expect(state?.order).toEqual([
      expect.objectContaining({ item: 'Mojito', quantity: 3 }),
      expect.objectContaining({ item: 'Margarita', quantity: 1 }),
    ]);
    expect(c.ws.readyState).toBe(c.ws.OPEN);
    await c.close();
  });

  it('many sessions from one address share the address bucket', async () => {
    await new Promise((r) => setTimeout(r, 1300)); // let the address bucket refill
    const clients = await Promise.all([1, 2, 3, 4, 5].map(() => TestClient.open(wsUrl)));
    for (const c of clients) await c.hello(); // 5 tokens
    for (const c of clients) for (let i = 0; i < 2; i++) c.send({ type: 'set_tip', percent: 10 }); // 10 more: over 12
    const limited = await Promise.race(
      clients.map((c) => c.next('error', (e) => e.code === 'RATE_LIMITED')),
    );
    expect(limited.message).toMatch(/your network/);
    await Promise.all(clients.map((c) => c.close()));
  });
});
