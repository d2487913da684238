import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { MemorySessionStore } from '../store/memory.ts';
import { StateManager } from '../state/manager.ts';
import { Processor } from '../conversation/processor.ts';
import { TOOLS } from '../conversation/tools.ts';
import { startGeminiStub } from '../testing/stubs/gemini.ts';
import type { GeminiStub } from '../testing/stubs/gemini.ts';
import { EXPRESS_TOOL, GeminiLlm } from './gemini.ts';
import { INTERRUPTED_REPLY } from '../conversation/ports.ts';

let stub: GeminiStub;
beforeAll(async () => {
  stub = await startGeminiStub({ validKeys: ['good-gemini-key'] });
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
});

function setup(sentences: string[] = []) {
  const manager = new StateManager(new MemorySessionStore(), { expirySeconds: 60 });
  const gemini = new GeminiLlm({ apiKey: 'good-gemini-key', baseUrl: stub.baseUrl });
  const llm = {
    name: gemini.name,
    turn: (i: Parameters<GeminiLlm['turn']>[0]) =>
      gemini.turn({ ...i, onSentence: (s) => sentences.push(s) }),
  };
  const processor = new Processor({ manager, llmFor: () => llm, log: pino({ level: 'silent' }) });
  return { manager, processor };
}

describe('GeminiLlm through the real SDK and the stub', () => {
  it('"two negronis please": function call → tool → result → streamed reply, tab updated', async () => {
    const sentences: string[] = [];
    const { manager, processor } = setup(sentences);
    const s = await manager.createSession();
    stub.script(
      {
        chunks: [
          [
            {
              functionCall: {
                id: 'call-1',
                name: 'add_to_order',
                args: { item: 'negroni', quantity: 2 },
              },
              thoughtSignature: 'c2lnLTE=',
            },
            { functionCall: { name: EXPRESS_TOOL, args: { emotion: 'mixing' } } },
          ],
        ],
      },
      {
        chunks: [
          [{ text: 'Two Negronis, ' }],
          [{ text: "that's $22.00. Anything " }],
          [{ text: 'else?' }],
        ],
      },
    );
    const turn = await processor.handleTurn(s.id, 'two negronis please');
    expect(turn.text).toBe("Two Negronis, that's $22.00. Anything else?");
    expect(turn.emotion).toBe('mixing');
    expect(turn.state.payment).toMatchObject({ tabCents: 2200, balanceCents: 97800 });
    expect(turn.state.order).toEqual([expect.objectContaining({ item: 'Negroni', quantity: 2 })]);
    expect(turn.state.conversation.phase).toBe('small_talk');
    expect(sentences).toEqual(["Two Negronis, that's $22.00.", 'Anything else?']);

    const [first, second] = stub.requests;
    expect(first!.stream).toBe(true);
    const names = first!.body.tools![0]!.functionDeclarations.map((d) => d.name);
    expect(names).toEqual([...TOOLS.map((t) => t.name), EXPRESS_TOOL]);
    const add = first!.body.tools![0]!.functionDeclarations.find((d) => d.name === 'add_to_order')!;
    expect(add.parametersJsonSchema).toMatchObject({
      type: 'object',
      properties: { item: { type: 'string' }, quantity: { type: 'integer', maximum: 20 } },
      required: ['item'],
    });
    const system = first!.body.systemInstruction!.parts[0]!.text;
    expect(system).toContain('Negroni (cocktails) $11.00');
    expect(system).toContain('Current tab #1: nothing yet');
    expect(system).toContain('greet them');
    // The model's turn goes back verbatim (thought signature kept), then our function responses.
    expect(second!.body.contents.at(-2)).toEqual({
      role: 'model',
      parts: [
        {
          functionCall: {
            id: 'call-1',
            name: 'add_to_order',
            args: { item: 'negroni', quantity: 2 },
          },
          thoughtSignature: 'c2lnLTE=',
        },
        { functionCall: { name: EXPRESS_TOOL, args: { emotion: 'mixing' } } },
      ],
    });
    const responses = second!.body.contents.at(-1)!;
    expect(responses.role).toBe('user');
    expect(responses.parts[0]).toMatchObject({
      functionResponse: {
        id: 'call-1',
        name: 'add_to_order',
        response: { output: { tabCents: 2200, balanceCents: 97800 } },
      },
    });
    expect(responses.parts[1]).toMatchObject({
      functionResponse: { name: EXPRESS_TOOL, response: { output: { ok: true } } },
    });
  });

  it('sends the session history, the current tab, and tool errors back as errors', async () => {
    const { manager, processor } = setup();
    const s = await manager.createSession();
    stub.script({
      chunks: [
        [
          { text: 'Evening! What can I **get** you?' },
          { functionCall: { name: EXPRESS_TOOL, args: { emotion: 'happy', small_talk: true } } },
        ],
      ],
    });
    const hi = await processor.handleTurn(s.id, 'hi Maya');
    expect(hi).toMatchObject({ text: 'Evening! What can I get you?', emotion: 'happy' });
    expect(stub.requests).toHaveLength(1); // text plus express: no extra round trip

    stub.script(
      { chunks: [[{ functionCall: { name: 'add_to_order', args: { item: 'unicorn tears' } } }]] },
      { chunks: [[{ text: "We don't pour unicorn tears, but a Mojito is close." }]] },
    );
    const miss = await processor.handleTurn(s.id, 'unicorn tears');
    expect(miss.text).toBe("We don't pour unicorn tears, but a Mojito is close.");
    expect(miss.emotion).toBe('neutral'); // no express call: inferred from what it did
    expect(miss.state.payment.tabCents).toBe(0);
    const second = stub.requests[1]!.body.contents;
    expect(second.slice(0, 3)).toEqual([
      { role: 'user', parts: [{ text: 'hi Maya' }] },
      { role: 'model', parts: [{ text: 'Evening! What can I get you?' }] },
      { role: 'user', parts: [{ text: 'unicorn tears' }] },
    ]);
    expect(stub.requests[2]!.body.contents.at(-1)!.parts[0]).toMatchObject({
      functionResponse: { name: 'add_to_order', response: { error: { code: 'ITEM_NOT_FOUND' } } },
    });
  });

  it('hands the first sentence to speech before the model has finished', async () => {
    const { manager } = setup();
    const s = await manager.createSession();
    const gemini = new GeminiLlm({ apiKey: 'good-gemini-key', baseUrl: stub.baseUrl });
    stub.script({
      delayMs: 120,
      chunks: [
        [{ text: 'Hello there! ' }],
        [{ text: 'A Martini is ' }],
        [{ text: 'lovely tonight.' }],
      ],
    });
    const t0 = Date.now();
    let firstSentenceMs = -1;
    const out = await gemini.turn({
      text: 'hi',
      state: await manager.get(s.id),
      history: [],
      runTool: async () => ({ ok: true, result: null }),
      onSentence: () => {
        if (firstSentenceMs < 0) firstSentenceMs = Date.now() - t0;
      },
    });
    const totalMs = Date.now() - t0;
    expect(out.text).toBe('Hello there! A Martini is lovely tonight.');
    expect(out.smallTalk).toBe(true);
    expect(totalMs - firstSentenceMs).toBeGreaterThanOrEqual(150); // two more 120 ms chunks came after it
  });

  it('stops writing when the guest interrupts: the sentences already handed on stand, nothing after them runs', async () => {
    const { manager } = setup();
    const s = await manager.createSession();
    const gemini = new GeminiLlm({ apiKey: 'good-gemini-key', baseUrl: stub.baseUrl });
    stub.script({
      delayMs: 300,
      chunks: [
        [{ text: 'Two Negronis coming up. ' }],
        [{ text: 'They are ' }],
        [{ text: 'lovely.' }, { functionCall: { name: 'add_to_order', args: { item: 'mojito' } } }],
      ],
    });
    const barge = new AbortController();
    const tools: string[] = [];
    const t0 = Date.now();
    const out = await gemini.turn({
      text: 'two negronis',
      state: await manager.get(s.id),
      history: [],
      signal: barge.signal,
      runTool: async (name) => (tools.push(name), { ok: true, result: null }),
      onSentence: () => setTimeout(() => barge.abort(), 50), // the guest speaks over the first sentence
    });
    expect(out.text).toBe('Two Negronis coming up.'); // not the half sentence "They are"
    expect(tools).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(300 + 300 + 250); // it did not wait for the rest of the stream
    expect(stub.requests.at(-1)!.stream).toBe(true);

    // Interrupted before a word: an ellipsis, and no error (so no fallback to the embedded brain).
    stub.script({ delayMs: 300, chunks: [[{ text: 'Hmm.' }]] });
    const early = new AbortController();
    setTimeout(() => early.abort(), 50);
    expect(
      (
        await gemini.turn({
          text: 'hi',
          state: await manager.get(s.id),
          history: [],
          signal: early.signal,
          runTool: async () => ({ ok: true, result: null }),
        })
      ).text,
    ).toBe(INTERRUPTED_REPLY);
  });

  it('surfaces a bad key as an error the caller can classify', async () => {
    const gemini = new GeminiLlm({ apiKey: 'wrong', baseUrl: stub.baseUrl });
    const manager = new StateManager(new MemorySessionStore(), { expirySeconds: 60 });
    const s = await manager.createSession();
    await expect(
      gemini.turn({
        text: 'hi',
        state: s,
        history: [],
        runTool: async () => ({ ok: true, result: null }),
      }),
    ).rejects.toMatchObject({ status: 400 });
  });
});
