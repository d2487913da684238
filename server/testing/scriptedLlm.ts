/**
 * A scripted fake brain with timings (after LiveKit agents' FakeLLM): each guest text maps to a reply
 * with its time to first token, its total duration and the tool calls it makes. It streams the reply
 * a few characters at a time through the one sentence splitter, runs its tools through the turn's
 * tool runner and stops at once when the turn's signal aborts — so turn-taking, streaming and
 * barge-in above the `Llm` port can be tested deterministically. It is for testing the layers above
 * it; the real brains pass the same contract (server/testing/contracts/llm.ts).
 */
import type { Emotion } from '../../shared/domain.ts';
import { INTERRUPTED_REPLY } from '../conversation/ports.ts';
import type { Llm, LlmTurnInput, LlmTurnOutput } from '../conversation/ports.ts';
import { SentenceSplitter } from '../text/sentences.ts';

export interface ScriptedReply {
  /** The guest's text this answers (exact match). */
  input: string;
  text: string;
  emotion?: Emotion;
  /** Time to first token. */
  ttftMs?: number;
  /** From the start of the turn to the last token (tokens are spread evenly after the first). */
  durationMs?: number;
  /** Registry tools called before the text streams, in order. */
  toolCalls?: readonly { name: string; args: Record<string, unknown> }[];
}

/** Characters per streamed token. */
const TOKEN_CHARS = 3;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export class ScriptedLlm implements Llm {
  readonly name = 'scripted';
  /** Every turn's input text, in order. */
  readonly inputs: string[] = [];
  private readonly replies = new Map<string, ScriptedReply>();

  constructor(
    replies: readonly ScriptedReply[],
    private readonly fallback: ScriptedReply = { input: '', text: 'Sorry, say that again?' },
  ) {
    for (const r of replies) this.replies.set(r.input, r);
  }

  async turn(input: LlmTurnInput): Promise<LlmTurnOutput> {
    this.inputs.push(input.text);
    const reply = this.replies.get(input.text) ?? this.fallback;
    const started = Date.now();
    const { signal } = input;
    const handedOn: string[] = [];
    const interrupted = (): LlmTurnOutput => ({
      text: handedOn.join(' ') || INTERRUPTED_REPLY,
      emotion: 'neutral',
      smallTalk: false,
    });

    await sleep(reply.ttftMs ?? 0, signal);
    if (signal?.aborted) return interrupted();
    for (const call of reply.toolCalls ?? []) {
      await input.runTool(call.name, call.args);
      if (signal?.aborted) return interrupted();
    }
    const splitter = new SentenceSplitter();
    const tokens = Math.max(1, Math.ceil(reply.text.length / TOKEN_CHARS));
    const gapMs = Math.max(0, (reply.durationMs ?? 0) - (reply.ttftMs ?? 0)) / tokens;
    for (let i = 0; i < reply.text.length; i += TOKEN_CHARS) {
      if (i > 0) await sleep(gapMs, signal);
      if (signal?.aborted) return interrupted();
      for (const sentence of splitter.push(reply.text.slice(i, i + TOKEN_CHARS))) {
        handedOn.push(sentence);
        input.onSentence?.(sentence);
      }
    }
    for (const sentence of splitter.flush()) {
      handedOn.push(sentence);
      input.onSentence?.(sentence);
    }
    await sleep((reply.durationMs ?? 0) - (Date.now() - started), signal);
    return {
      text: reply.text,
      emotion: reply.emotion ?? 'neutral',
      smallTalk: (reply.toolCalls ?? []).length === 0,
    };
  }
}
