/**
 * The one contract every brain behind the `Llm` port must pass (the embedded bartender, Gemini
 * against its local stub, the scripted fake): a `describe.each` over implementations, each with a
 * hook that scripts its stub for the scene about to be played. What is checked is what the processor
 * relies on: a reply with a known emotion, sentences handed on that add up to the reply, orders made
 * through the tool runner (never by the brain itself), and — for brains that stream — a barge-in that
 * stops the turn at once and keeps only what was handed on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../../shared/domain.ts';
import type { Llm, LlmTurnInput, ToolResult } from '../../conversation/ports.ts';
import { runTool } from '../../conversation/tools.ts';
import { INTERRUPTED_REPLY } from '../../conversation/ports.ts';
import { StateManager } from '../../state/manager.ts';
import { MemorySessionStore } from '../../store/memory.ts';

/** The scenes of the contract; an implementation scripts its stub or fake for each. */
export type LlmScene =
  /** "Two negronis please": the brain adds two Negronis through `add_to_order` and says so. */
  | 'order'
  /** "How are you tonight?": a reply, no tool changes the tab. */
  | 'chat'
  /** "Tell me about the bar": a reply of three sentences, written slowly (≥ 600 ms), for barge-in. */
  | 'slow';

export const SCENE_TEXT: Readonly<Record<LlmScene, string>> = {
  order: 'two negronis please',
  chat: 'how are you tonight?',
  slow: 'tell me about the bar',
};

export interface LlmUnderContract {
  name: string;
  make(): Llm | Promise<Llm>;
  /** Script the stub or fake for the scene about to be played (the embedded brain needs nothing). */
  prepare?(scene: LlmScene): void;
  /** The brain writes its reply over time and can be cut off mid-reply. */
  streams: boolean;
  close?(): Promise<void>;
}

export function describeLlmContract(implementations: readonly LlmUnderContract[]): void {
  describe.each(implementations)('Llm contract: $name', (impl) => {
    let llm: Llm;
    const manager = new StateManager(new MemorySessionStore(), { expirySeconds: 60 });
    beforeAll(async () => {
      llm = await impl.make();
    });
    afterAll(() => impl.close?.());

    async function play(scene: LlmScene, extra: Partial<LlmTurnInput> = {}) {
      impl.prepare?.(scene);
      const state = await manager.createSession();
      const calls: { name: string; result: ToolResult }[] = [];
      const sentences: string[] = [];
      const out = await llm.turn({
        text: SCENE_TEXT[scene],
        state,
        history: [],
        runTool: async (name, args) => {
          const result = await runTool({ sessionId: state.id, manager }, name, args);
          calls.push({ name, result });
          return result;
        },
        onSentence: (s) => sentences.push(s),
        ...extra,
      });
      return { out, calls, sentences, after: await manager.get(state.id) };
    }

    it('orders through the tool runner, and the reply says what was added', async () => {
      const { out, calls, after } = await play('order');
      expect(calls.filter((c) => c.name === 'add_to_order' && c.result.ok)).toHaveLength(1);
      expect(after.order).toEqual([expect.objectContaining({ item: 'Negroni', quantity: 2 })]);
      expect(out.text).toMatch(/negroni/i);
      expect(EMOTIONS).toContain(out.emotion);
    });

    it('answers talk without touching the tab, sentence by sentence, the sentences adding up to the reply', async () => {
      const { out, calls, sentences, after } = await play('chat');
      expect(
        calls.filter((c) => c.name === 'add_to_order' || c.name === 'remove_from_order'),
      ).toEqual([]);
      expect(after.order).toEqual([]);
      expect(out.text.trim().length).toBeGreaterThan(0);
      expect(EMOTIONS).toContain(out.emotion);
      expect(sentences.length).toBeGreaterThan(0);
      expect(sentences.join(' ').replace(/\s+/g, ' ')).toBe(out.text.trim().replace(/\s+/g, ' '));
    });

    it.runIf(impl.streams)(
      'a barge-in stops the turn at once and keeps only the sentences handed on',
      async () => {
        const ac = new AbortController();
        const started = Date.now();
        const handed: string[] = [];
        const { out } = await play('slow', {
          signal: ac.signal,
          onSentence: (s) => {
            handed.push(s);
            ac.abort();
          },
        });
        expect(Date.now() - started).toBeLessThan(600);
        expect(handed).toHaveLength(1);
        expect(out.text).toBe(handed[0]);
      },
    );

    it.runIf(impl.streams)('a turn whose signal is already aborted writes nothing', async () => {
      const ac = new AbortController();
      ac.abort();
      const { out, calls, sentences } = await play('slow', { signal: ac.signal });
      expect(sentences).toEqual([]);
      expect(calls).toEqual([]);
      expect(out.text).toBe(INTERRUPTED_REPLY);
    });
  });
}
