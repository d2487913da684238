import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { MemorySessionStore } from '../store/memory.ts';
import { StateManager } from '../state/manager.ts';
import { Processor } from '../conversation/processor.ts';
import { EmbeddedBrain } from '../conversation/brain/brain.ts';
import { startGeminiStub } from '../testing/stubs/gemini.ts';
import type { GeminiStub } from '../testing/stubs/gemini.ts';
import { SessionSweeper } from '../state/sweeper.ts';
import { createBrainSelector } from './brains.ts';

let stub: GeminiStub;
beforeAll(async () => {
  stub = await startGeminiStub({ validKeys: ['k1', 'k2'] });
});
afterAll(() => stub.close());

describe('brain selection per session', () => {
  it('embedded without a key, Gemini with one (cached, rebuilt on a new key); sentences reach the caller either way', async () => {
    const keys = new Map<string, string>();
    const select = createBrainSelector({
      embedded: new EmbeddedBrain(),
      keyFor: async (id) => keys.get(id) ?? null,
      gemini: { model: 'gemini-flash-latest', baseUrl: stub.baseUrl },
      log: pino({ level: 'silent' }),
    });
    const manager = new StateManager(new MemorySessionStore(), { expirySeconds: 60 });
    const processor = new Processor({ manager, llmFor: select, log: pino({ level: 'silent' }) });
    const s = await manager.createSession();

    expect((await select(s.id)).name).toBe('embedded');
    const sentences: string[] = [];
    await processor.handleTurn(s.id, 'a mojito and a margarita', (x) => sentences.push(x));
    expect(sentences).toEqual(["One Mojito and one Margarita, that's $22.00 — coming right up."]);

    keys.set(s.id, 'k1');
    const g1 = await select(s.id);
    expect(g1.name).toBe('gemini');
    expect(await select(s.id)).toBe(g1);
    keys.set(s.id, 'k2');
    expect(await select(s.id)).not.toBe(g1);

    sentences.length = 0;
    stub.script({ chunks: [[{ text: 'Coming up! ' }], [{ text: 'Enjoy.' }]] });
    await processor.handleTurn(s.id, 'surprise me', (x) => sentences.push(x));
    expect(sentences).toEqual(['Coming up!', 'Enjoy.']);
    expect(stub.requests.at(-1)!.apiKey).toBe('k2');
  });

  it('frees a session’s Gemini client when the session ends (the sweeper’s hook), not before', async () => {
    const store = new MemorySessionStore();
    const manager = new StateManager(store, { expirySeconds: 60 });
    let now = Date.now();
    const sweeper = new SessionSweeper(store, { intervalSeconds: 3600, now: () => now });
    const select = createBrainSelector({
      embedded: new EmbeddedBrain(),
      keyFor: async () => 'k1',
      gemini: { model: 'gemini-flash-latest', baseUrl: stub.baseUrl },
      log: pino({ level: 'silent' }),
      onCloudBrain: (id) => sweeper.track(id),
    });
    sweeper.onSessionEnd((id) => select.release(id));
    const [a, b] = [await manager.createSession(), await manager.createSession()];
    const gemini = await select(a.id);
    await select(b.id);
    expect(select.cached).toBe(2);

    await sweeper.sweep(); // nothing expired yet
    expect(select.cached).toBe(2);
    expect(await select(a.id)).toBe(gemini);

    await store.delete(a.id); // a's session ended (expired and swept, here or on another process)
    expect((await sweeper.sweep()).ended).toEqual([a.id]);
    expect(select.cached).toBe(1);
    now += 61_000;
    await sweeper.sweep();
    expect(select.cached).toBe(0);
    await sweeper.stop();
  });
});
