/**
 * The Llm contract (server/testing/contracts/llm.ts) over every brain: the embedded bartender (as the
 * brain selector hands it on, sentence by sentence), Gemini's adapter against the local stub that
 * speaks its wire protocol, and the scripted fake the layers above use in their tests.
 */
import { afterAll, beforeAll } from 'vitest';
import { EmbeddedBrain } from '../conversation/brain/brain.ts';
import { describeLlmContract } from '../testing/contracts/llm.ts';
import type { LlmScene } from '../testing/contracts/llm.ts';
import { ScriptedLlm } from '../testing/scriptedLlm.ts';
import { startGeminiStub } from '../testing/stubs/gemini.ts';
import type { GeminiStub, StubStep } from '../testing/stubs/gemini.ts';
import { withSentences } from './brains.ts';
import { EXPRESS_TOOL, GeminiLlm } from './gemini.ts';

let stub: GeminiStub;
beforeAll(async () => {
  stub = await startGeminiStub({ validKeys: ['contract-key'] });
});
afterAll(() => stub?.close());

const SLOW_REPLY = ['We opened in 1920.', 'The bar top is old oak.', 'Ask me anything.'];

const geminiScenes: Record<LlmScene, StubStep[]> = {
  order: [
    {
      chunks: [
        [
          {
            functionCall: {
              id: 'call-1',
              name: 'add_to_order',
              args: { item: 'negroni', quantity: 2 },
            },
          },
          { functionCall: { name: EXPRESS_TOOL, args: { emotion: 'mixing' } } },
        ],
      ],
    },
    { chunks: [[{ text: "Two Negronis, that's $22.00 — " }], [{ text: 'coming right up.' }]] },
  ],
  chat: [{ chunks: [[{ text: 'Doing great, thanks! ' }], [{ text: 'What can I get you?' }]] }],
  slow: [{ delayMs: 250, chunks: SLOW_REPLY.map((s) => [{ text: `${s} ` }]) }],
};

describeLlmContract([
  { name: 'embedded brain', make: () => withSentences(new EmbeddedBrain()), streams: false },
  {
    name: 'Gemini (stub)',
    make: () =>
      new GeminiLlm({
        apiKey: 'contract-key',
        model: 'gemini-flash-latest',
        baseUrl: stub.baseUrl,
      }),
    prepare: (scene) => stub.script(...geminiScenes[scene]),
    streams: true,
  },
  {
    name: 'scripted fake (timed)',
    make: () =>
      new ScriptedLlm([
        {
          input: 'two negronis please',
          text: "Two Negronis, that's $22.00 — coming right up.",
          emotion: 'mixing',
          ttftMs: 20,
          durationMs: 60,
          toolCalls: [{ name: 'add_to_order', args: { item: 'Negroni', quantity: 2 } }],
        },
        {
          input: 'how are you tonight?',
          text: 'Doing great, thanks! What can I get you?',
          emotion: 'happy',
          ttftMs: 10,
          durationMs: 40,
        },
        { input: 'tell me about the bar', text: SLOW_REPLY.join(' '), ttftMs: 50, durationMs: 900 },
      ]),
    streams: true,
  },
]);
