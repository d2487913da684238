import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { MemorySessionStore } from '../store/memory.ts';
import { StateManager } from '../state/manager.ts';
import { Processor } from '../conversation/processor.ts';
import { EmbeddedBrain } from '../conversation/brain/brain.ts';
import { startGeminiStub } from '../testing/stubs/gemini.ts';
import type { GeminiStub } from '../testing/stubs/gemini.ts';
import { GeminiLlm } from './gemini.ts';
import { CLOUD_FAILED_NOTICE, FallbackLlm } from './fallback.ts';

let stub: GeminiStub;
beforeAll(async () => {
  stub = await startGeminiStub();
});
afterAll(() => stub.close());

function setup() {
  let clock = 1_000_000;
  const failures: unknown[] = [];
  const sentences: string[] = [];
  const manager = new StateManager(new MemorySessionStore(), { expirySeconds: 60 });
  const llm = new FallbackLlm(
    new GeminiLlm({ apiKey: 'good-gemini-key', baseUrl: stub.baseUrl }),
    new EmbeddedBrain(),
    {
      onFallback: (e) => failures.push(e),
      now: () => clock,
    },
  );
  const streaming = {
    name: 'test',
    turn: (i: Parameters<FallbackLlm['turn']>[0]) =>
      llm.turn({ ...i, onSentence: (s) => sentences.push(s) }),
  };
  const processor = new Processor({
    manager,
    llmFor: () => streaming,
    log: pino({ level: 'silent' }),
  });
  return { manager, processor, llm, failures, sentences, advance: (ms: number) => (clock += ms) };
}

describe('FallbackLlm (Gemini → embedded)', () => {
  it('a stream that dies before any tool ran: the embedded brain takes the order, once', async () => {
    const { manager, processor, llm, failures, sentences } = setup();
    const s = await manager.createSession();
    stub.script({ chunks: [[{ text: 'Lovely choice! ' }], [{ text: 'Let me' }]], dieAfter: true });
    const turn = await processor.handleTurn(s.id, 'two negronis please');
    expect(failures).toHaveLength(1);
    expect(turn.state.payment.tabCents).toBe(2200);
    expect(turn.text).toBe(
      `Lovely choice! ${CLOUD_FAILED_NOTICE} Two Negronis, that's $22.00 — coming right up.`,
    );
    expect(turn.emotion).toBe('mixing');
    expect(sentences).toEqual([
      'Lovely choice!',
      CLOUD_FAILED_NOTICE,
      "Two Negronis, that's $22.00 — coming right up.",
    ]);
    expect(turn.state.conversation.history.at(-1)).toEqual({ role: 'maya', text: turn.text });
    expect(llm.name).toBe('embedded');
  });

  it('an interrupted turn is not a cloud failure: no notice, no embedded answer, Gemini serves the next turn', async () => {
    const failures: unknown[] = [];
    let calls = 0;
    // A cloud brain whose request rejects once the guest interrupts (as an SDK's AbortError would).
    const cloud = {
      name: 'cloud',
      turn: (i: { signal?: AbortSignal; onSentence?: (s: string) => void }) => {
        calls++;
        i.onSentence?.('Well, tonight');
        return new Promise<never>((_, reject) =>
          i.signal?.addEventListener('abort', () =>
            reject(new Error('This operation was aborted')),
          ),
        );
      },
    };
    const llm = new FallbackLlm(cloud, new EmbeddedBrain(), {
      onFallback: (e) => failures.push(e),
    });
    const manager = new StateManager(new MemorySessionStore(), { expirySeconds: 60 });
    const state = await manager.createSession();
    const barge = new AbortController();
    const sentences: string[] = [];
    setTimeout(() => barge.abort(), 20);
    const out = await llm.turn({
      text: 'two negronis please',
      state,
      history: [],
      runTool: async () => ({ ok: true, result: null }),
      signal: barge.signal,
      onSentence: (x) => sentences.push(x),
    });
    expect(out.text).toBe('Well, tonight');
    expect(sentences).toEqual(['Well, tonight']);
    expect(failures).toEqual([]);
    expect(llm.name).toBe('cloud');
    expect(calls).toBe(1);
  });

  it('a stream that dies after the tab changed: never charged twice, the reply confirms it', async () => {
    const { manager, processor } = setup();
    const s = await manager.createSession();
    stub.script(
      {
        chunks: [
          [{ functionCall: { name: 'add_to_order', args: { item: 'negroni', quantity: 2 } } }],
        ],
      },
      { chunks: [[{ text: 'Two Neg' }]], dieAfter: true },
    );
    const turn = await processor.handleTurn(s.id, 'two negronis please');
    expect(turn.state.payment.tabCents).toBe(2200);
    expect(turn.state.order).toHaveLength(1);
    expect(turn.text).toBe(
      `${CLOUD_FAILED_NOTICE} I did get two Negronis on your tab. Your tab is $22.00.`,
    );
  });

  it('a stream that stalls is abandoned after the idle timeout and the embedded brain answers', async () => {
    const manager = new StateManager(new MemorySessionStore(), { expirySeconds: 60 });
    const llm = new FallbackLlm(
      new GeminiLlm({ apiKey: 'good-gemini-key', baseUrl: stub.baseUrl, idleTimeoutMs: 150 }),
      new EmbeddedBrain(),
    );
    const processor = new Processor({ manager, llmFor: () => llm, log: pino({ level: 'silent' }) });
    const s = await manager.createSession();
    stub.script({ delayMs: 600, chunks: [[{ text: 'Too late.' }]] });
    const t0 = Date.now();
    const turn = await processor.handleTurn(s.id, 'a mojito');
    expect(Date.now() - t0).toBeLessThan(550);
    expect(turn.text).toBe(`${CLOUD_FAILED_NOTICE} One Mojito, that's $11.00 — coming right up.`);
    expect(turn.state.payment.tabCents).toBe(1100);
  });

  it('stays on the embedded brain for a cool-down, then tries the cloud again', async () => {
    const { manager, processor, advance } = setup();
    const s = await manager.createSession();
    stub.failAll({ httpStatus: 503, status: 'UNAVAILABLE', message: 'overloaded' });
    const first = await processor.handleTurn(s.id, 'a mojito');
    expect(first.text).toContain(CLOUD_FAILED_NOTICE);
    stub.failAll(null);
    const before = stub.requests.length;
    const second = await processor.handleTurn(s.id, 'a margarita');
    expect(second.text).toMatch(/margarita.*\$11\.00.*\$22\.00/i);
    expect(stub.requests.length).toBe(before);
    advance(61_000);
    stub.script({ chunks: [[{ text: 'Back online and pouring!' }]] });
    expect((await processor.handleTurn(s.id, 'how are you')).text).toBe('Back online and pouring!');
  });
});
