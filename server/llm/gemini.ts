/**
 * Gemini as Maya's brain (`@google/genai` 2.32, the last line supporting Node 20): streaming text
 * and function calling over the same tool registry as the embedded brain. Our own loop —
 * call → run tools → send results → reply — with each model turn appended to the request history
 * exactly as received (Gemini 3 thought signatures must be replayed verbatim). The emotion is a
 * structured choice: the model calls the `express` function; nothing is parsed out of the text.
 */
import { GoogleGenAI } from '@google/genai';
import type { Content, FunctionDeclaration, GenerateContentConfig, Part } from '@google/genai';
import { z } from 'zod';
import { EMOTIONS } from '../../shared/domain.ts';
import type { Emotion } from '../../shared/domain.ts';
import { TOOLS } from '../conversation/tools.ts';
import { INTERRUPTED_REPLY } from '../conversation/ports.ts';
import type { Llm, LlmTurnInput, LlmTurnOutput } from '../conversation/ports.ts';
import { buildSystemInstruction } from './prompt.ts';
import { BUNDLED_MENU } from '../../shared/menu.ts';
import type { Menu } from '../../shared/menu.ts';
import { SentenceSplitter } from '../text/sentences.ts';
import { withoutMarks } from '../text/speakable.ts';

export const DEFAULT_GEMINI_MODEL = 'gemini-flash-latest';
/** Model ↔ tool round trips allowed in one guest turn. */
export const MAX_TOOL_ROUNDS = 5;
export const GEMINI_DEFAULT_TIMEOUT_MS = 15_000;
/** No streamed chunk for this long: give up on the round (a guest is standing there waiting). */
export const GEMINI_IDLE_TIMEOUT_MS = 6_000;
const TEMPERATURE = 0.6;

export const EXPRESS_TOOL = 'express';
const ExpressArgs = z.object({
  emotion: z.enum(EMOTIONS).describe('Your facial expression for this reply.'),
  small_talk: z
    .boolean()
    .default(false)
    .describe('True when the guest is just chatting (no order, bill or payment).'),
});

/** A zod schema as the JSON schema Gemini accepts (input shape: defaulted fields are optional). */
export function toParametersJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<
    string,
    unknown
  >;
  return json;
}

/** Tools whose `item` arguments name a drink: their schema lists the menu's drinks. */
const ITEM_ARGUMENTS = ['item', 'remove_item'] as const;

/** A tool's JSON schema with the live menu's drink names in the description of its drink arguments. */
function withMenuNames(schema: Record<string, unknown>, menu: Menu): Record<string, unknown> {
  const properties = schema.properties as Record<string, { description?: string }> | undefined;
  if (!properties) return schema;
  const names = menu.items.map((i) => i.name).join(', ');
  const next = { ...properties };
  for (const key of ITEM_ARGUMENTS) {
    const p = next[key];
    if (p)
      next[key] = { ...p, description: `${p.description ?? ''} On the menu: ${names}.`.trim() };
  }
  return { ...schema, properties: next };
}

const declarationsByMenu = new WeakMap<Menu, FunctionDeclaration[]>();

/** Function declarations for every registry tool plus `express`, generated from the zod definitions and the menu. */
export function functionDeclarations(menu: Menu = BUNDLED_MENU): FunctionDeclaration[] {
  const hit = declarationsByMenu.get(menu);
  if (hit) return hit;
  const out = [
    ...TOOLS.map((t) => ({
      name: t.name,
      description: t.description,
      parametersJsonSchema: withMenuNames(toParametersJsonSchema(t.parameters), menu),
    })),
    {
      name: EXPRESS_TOOL,
      description: 'Choose your facial expression for this reply (call once per reply).',
      parametersJsonSchema: toParametersJsonSchema(ExpressArgs),
    },
  ];
  declarationsByMenu.set(menu, out);
  return out;
}

export interface GeminiOptions {
  apiKey: string;
  model?: string;
  /** Override the API origin (tests point it at a local stub). */
  baseUrl?: string | undefined;
  timeoutMs?: number;
  idleTimeoutMs?: number;
}

/** Emotion when the model did not call `express`: follow what it did (successful tools only). */
function inferEmotion(tools: string[]): Emotion {
  if (tools.includes('add_to_order')) return 'mixing';
  if (tools.includes('get_recommendation')) return 'thinking';
  return 'neutral';
}

export class GeminiLlm implements Llm {
  readonly name = 'gemini';
  private readonly ai: GoogleGenAI;
  private readonly model: string;
  private readonly idleTimeoutMs: number;

  constructor(opts: GeminiOptions) {
    this.model = opts.model ?? DEFAULT_GEMINI_MODEL;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? GEMINI_IDLE_TIMEOUT_MS;
    this.ai = new GoogleGenAI({
      apiKey: opts.apiKey,
      httpOptions: {
        timeout: opts.timeoutMs ?? GEMINI_DEFAULT_TIMEOUT_MS,
        ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
      },
    });
  }

  async turn(input: LlmTurnInput): Promise<LlmTurnOutput> {
    const contents: Content[] = [
      ...input.history.map(
        (m): Content => ({
          role: m.role === 'guest' ? 'user' : 'model',
          parts: [{ text: m.text }],
        }),
      ),
      { role: 'user', parts: [{ text: input.text }] },
    ];
    const config = {
      systemInstruction: buildSystemInstruction(
        input.state,
        input.lore,
        input.menu ?? BUNDLED_MENU,
      ),
      tools: [{ functionDeclarations: functionDeclarations(input.menu ?? BUNDLED_MENU) }],
      temperature: TEMPERATURE,
    };
    const splitter = new SentenceSplitter();
    let text = '';
    let expressed: z.infer<typeof ExpressArgs> | null = null;
    const toolsRun: string[] = [];
    let calledAny = false;

    const interrupted = () => input.signal?.aborted === true;
    // Whole sentences handed on so far: what an interrupted reply leaves behind (not half a sentence).
    const handedOn: string[] = [];
    for (let round = 0; round < MAX_TOOL_ROUNDS && !interrupted(); round++) {
      const parts = await this.streamRound(contents, config, input.signal, (fragment) => {
        text += fragment;
        for (const s of splitter.push(fragment)) {
          handedOn.push(s);
          input.onSentence?.(s);
        }
      });
      // Cut off mid-stream: a half-received function call is not run, the text so far stands.
      if (interrupted()) break;
      contents.push({ role: 'model', parts });

      const calls = parts.flatMap((p) =>
        p.functionCall?.name
          ? [p.functionCall as { id?: string; name: string; args?: Record<string, unknown> }]
          : [],
      );
      if (calls.length === 0) break;
      const responses: Part[] = [];
      for (const call of calls) {
        const id = call.id ? { id: call.id } : {};
        if (call.name === EXPRESS_TOOL) {
          const parsed = ExpressArgs.safeParse(call.args ?? {});
          if (parsed.success) expressed = parsed.data;
          responses.push({
            functionResponse: {
              ...id,
              name: call.name,
              response: parsed.success
                ? { output: { ok: true } }
                : { error: parsed.error.issues[0]?.message ?? 'bad arguments' },
            },
          });
          continue;
        }
        calledAny = true;
        const r = await input.runTool(call.name, call.args ?? {});
        if (r.ok) toolsRun.push(call.name);
        responses.push({
          functionResponse: {
            ...id,
            name: call.name,
            response: r.ok
              ? { output: r.result }
              : { error: { code: r.error, message: r.message } },
          },
        });
      }
      // Only an expression alongside finished text: the reply is complete, no need for another round.
      if (text.trim() && calls.every((c) => c.name === EXPRESS_TOOL)) break;
      contents.push({ role: 'user', parts: responses });
    }

    const reply = text.trim().replace(/\s+/g, ' ');
    if (interrupted())
      return {
        text: handedOn.join(' ') || INTERRUPTED_REPLY,
        emotion: expressed?.emotion ?? inferEmotion(toolsRun),
        smallTalk: false,
      };
    for (const s of splitter.flush()) input.onSentence?.(s);
    if (!reply) throw new Error('Gemini finished the turn without a reply');
    return {
      text: reply,
      emotion: expressed?.emotion ?? inferEmotion(toolsRun),
      smallTalk: expressed ? expressed.small_talk : toolsRun.length === 0 && calledAny === false,
    };
  }

  /** One model round, streamed: spoken text fragments go to `onText` as they arrive; returns the parts as received. */
  private async streamRound(
    contents: Content[],
    config: GenerateContentConfig,
    interrupt: AbortSignal | undefined,
    onText: (fragment: string) => void,
  ): Promise<Part[]> {
    const idle = new AbortController();
    let timer = setTimeout(() => idle.abort(), this.idleTimeoutMs);
    const parts: Part[] = [];
    const abortSignal = interrupt ? AbortSignal.any([idle.signal, interrupt]) : idle.signal;
    try {
      const stream = await this.ai.models.generateContentStream({
        model: this.model,
        contents,
        config: { ...config, abortSignal },
      });
      for await (const chunk of stream) {
        if (interrupt?.aborted) break;
        clearTimeout(timer);
        timer = setTimeout(() => idle.abort(), this.idleTimeoutMs);
        for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
          parts.push(part);
          if (part.text && !part.thought) onText(withoutMarks(part.text));
        }
      }
    } catch (e) {
      if (interrupt?.aborted) return parts;
      throw idle.signal.aborted
        ? new Error(`Gemini sent nothing for ${this.idleTimeoutMs} ms`, { cause: e })
        : e;
    } finally {
      clearTimeout(timer);
    }
    return parts;
  }
}
