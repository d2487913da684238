import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { buildSystemInstruction } from './prompt.ts';
import type { Llm, LlmTurnInput } from '../conversation/ports.ts';
import { newSession } from '../domain/session.ts';
import { StateManager } from '../state/manager.ts';
import { MemorySessionStore } from '../store/memory.ts';
import { Processor } from '../conversation/processor.ts';

describe('the cloud brain prompt', () => {
  it('carries the bar lore relevant to the turn, when there is some', () => {
    const s = newSession('prompt-test', 0, 3600);
    expect(buildSystemInstruction(s)).not.toContain('Bar lore');
    expect(buildSystemInstruction(s, ['Vodka means little water.'])).toContain(
      '- Vodka means little water.',
    );
  });

  it('gets the small-talk retrieval and the understanding from the processor', async () => {
    const inputs: LlmTurnInput[] = [];
    const cloud: Llm = {
      name: 'fake-cloud',
      turn: async (input) => (
        inputs.push(input), { text: 'Ha, good one.', emotion: 'happy', smallTalk: true }
      ),
    };
    const manager = new StateManager(new MemorySessionStore(), { expirySeconds: 3600 });
    const processor = new Processor({
      manager,
      llmFor: () => cloud,
      log: pino({ level: 'silent' }),
    });
    const { id } = await manager.createSession();
    await processor.handleTurn(id, 'where does the word vodka come from?');
    expect(inputs[0]!.lore?.some((l) => /vodka/i.test(l))).toBe(true);
    expect(inputs[0]!.understood?.intent.kind).toBeDefined();
    expect(buildSystemInstruction(inputs[0]!.state, inputs[0]!.lore)).toMatch(
      /Bar lore[\s\S]*vodka/i,
    );
  });
});
