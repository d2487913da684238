import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { EmbeddedBrain } from '../conversation/brain/brain.ts';
import type { Llm } from '../conversation/ports.ts';
import { moneyInvariantHolds } from '../state/rules.ts';
import { TestClient } from '../testing/wsClient.ts';
import { SlowStore } from '../testing/slowStore.ts';

/** The embedded brain, recording how many turns of each session run at once. */
class WatchedBrain implements Llm {
  readonly name = 'watched';
  private readonly inner = new EmbeddedBrain();
  private readonly running = new Map<string, number>();
  maxConcurrentPerSession = 0;
  turn: Llm['turn'] = async (input) => {
    const id = input.state.id;
    const now = (this.running.get(id) ?? 0) + 1;
    this.running.set(id, now);
    this.maxConcurrentPerSession = Math.max(this.maxConcurrentPerSession, now);
    try {
      // Yield so an interleaving turn, if the lock let one through, would overlap here.
      await new Promise((r) => setTimeout(r, 5));
      return await this.inner.turn(input);
    } finally {
      this.running.set(id, now - 1);
    }
  };
}

describe('a slow store (20–50 ms per operation)', () => {
  it('keeps 20 concurrent turns on one session serialised: exact tab, turn count, versions strictly increasing', async () => {
    const store = new SlowStore({ min: 20, max: 50 });
    const brain = new WatchedBrain();
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MAYA_RATE_SESSION_BURST: '100',
      MAYA_RATE_ADDRESS_BURST: '100',
    });
    const app = await startApp(config, {
      log: pino({ level: 'silent' }),
      serveClient: false,
      speech: false,
      store,
      llm: brain,
    });
    try {
      const wsUrl = `${app.url.replace('http', 'ws')}/ws`;
      const a = await TestClient.open(wsUrl);
      const w = await a.hello();
      const b = await TestClient.open(wsUrl);
      await b.hello({ sessionId: w.sessionId, resumeToken: w.resumeToken });
      const before = (await store.get(w.sessionId))!;

      const turnsPerSocket = 10;
      for (let i = 0; i < turnsPerSocket; i++) {
        a.send({ type: 'user_text', text: 'a margarita please' });
        b.send({ type: 'user_text', text: 'a negroni please' });
      }
      const replies = async (c: TestClient) => {
        for (let i = 0; i < turnsPerSocket; i++) await c.next('reply', () => true, 20_000);
      };
      await Promise.all([replies(a), replies(b)]);

      const after = (await store.get(w.sessionId))!;
      const margarita = 1100;
      const negroni = 1100;
      expect(after.payment.tabCents).toBe(turnsPerSocket * (margarita + negroni));
      expect(after.conversation.turnCount - before.conversation.turnCount).toBe(2 * turnsPerSocket);
      expect(moneyInvariantHolds(after, before.payment.balanceCents)).toBe(true);
      expect(brain.maxConcurrentPerSession).toBe(1);
      expect([...a.messages, ...b.messages].filter((m) => m.type === 'error')).toEqual([]);

      // Every committed write of this session moved the version up by exactly one.
      const versions = store.committed.filter((s) => s.id === w.sessionId).map((s) => s.version);
      for (let i = 1; i < versions.length; i++) expect(versions[i]).toBe(versions[i - 1]! + 1);
      // No interleaving: each guest line is answered by Maya before the next guest line.
      const roles = after.conversation.history.map((h) => h.role);
      for (let i = 1; i < roles.length; i++) expect(roles[i]).not.toBe(roles[i - 1]);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await app.close();
    }
  }, 60_000);
});
