import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { SpeechSession } from '../speech/session.ts';
import { TestClient } from '../testing/wsClient.ts';
import { GatedBrain } from '../testing/gatedBrain.ts';

/** The value of a gauge in /metrics text. */
async function gauge(url: string, name: string): Promise<number> {
  const body = await (await fetch(`${url}/metrics`)).text();
  const line = body.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} missing from /metrics`);
  return Number(line.split(' ')[1]);
}

const until = async (check: () => Promise<boolean>, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

afterEach(() => vi.restoreAllMocks());

describe('the guest disconnects mid-reply', () => {
  it('frees the socket and the speech session, keeps the tab, and the token resumes it', async () => {
    const logged: { level: number; msg: string }[] = [];
    const log = pino(
      { level: 'warn' },
      {
        write: (line: string) =>
          void logged.push(JSON.parse(line) as { level: number; msg: string }),
      },
    );
    const brain = new GatedBrain();
    const closeSpy = vi.spyOn(SpeechSession.prototype, 'close');
    const app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), {
      log,
      serveClient: false,
      llm: brain,
    });
    try {
      const wsUrl = `${app.url.replace('http', 'ws')}/ws`;
      const c = await TestClient.open(wsUrl);
      const w = await c.hello();
      // One frame of silence starts this socket's speech session (Maya will also speak her replies).
      c.sendRaw(Buffer.alloc(3200));
      expect(await gauge(app.url, 'maya_connected_sessions')).toBe(1);

      brain.hold();
      c.send({ type: 'user_text', text: 'a margarita please' });
      await brain.whenEntered();
      c.ws.terminate();
      await until(async () => (await gauge(app.url, 'maya_connected_sessions')) === 0);
      expect(await gauge(app.url, 'maya_open_websockets')).toBe(0);
      expect(closeSpy).toHaveBeenCalledTimes(1);

      // The turn still completes and commits; only its reply has nowhere to go.
      brain.release();
      await until(async () => (await app.manager.get(w.sessionId)).payment.tabCents === 1100);
      await new Promise((r) => setTimeout(r, 50));
      expect(logged.filter((l) => l.level >= 50)).toEqual([]);

      const back = await TestClient.open(wsUrl);
      const resumed = await back.hello({ sessionId: w.sessionId, resumeToken: w.resumeToken });
      expect(resumed.resumed).toBe(true);
      expect(resumed.state.payment.tabCents).toBe(1100);
      const { state } = await back.say('a negroni');
      expect(state?.payment.tabCents).toBe(2200);
      expect(await gauge(app.url, 'maya_connected_sessions')).toBe(1);
      await back.close();
    } finally {
      await app.close();
    }
  }, 30_000);
});
