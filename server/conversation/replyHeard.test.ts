/** The history keeps what the guest heard of an interrupted reply, and nothing of a later turn changes. */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { MemorySessionStore } from '../store/memory.ts';
import { StateManager } from '../state/manager.ts';
import { EmbeddedBrain } from './brain/brain.ts';
import { Processor } from './processor.ts';

describe('Processor.replyHeard', () => {
  it('cuts the last reply to what played, and only if it is still the last one', async () => {
    const manager = new StateManager(new MemorySessionStore(), { expirySeconds: 3600 });
    const processor = new Processor({
      manager,
      llmFor: () => new EmbeddedBrain(),
      log: pino({ level: 'silent' }),
    });
    const { id } = await manager.createSession();
    const first = await processor.handleTurn(id, 'a margarita please');
    await processor.replyHeard(id, first.text, 'One Margarita,…');
    let history = (await manager.get(id)).conversation.history;
    expect(history.at(-1)).toEqual({ role: 'maya', text: 'One Margarita,…' });
    expect(history.at(-2)).toEqual({ role: 'guest', text: 'a margarita please' });

    const second = await processor.handleTurn(id, 'what do you recommend');
    await processor.replyHeard(id, first.text, 'nothing'); // a stale report: the last reply is another one
    history = (await manager.get(id)).conversation.history;
    expect(history.at(-1)).toEqual({ role: 'maya', text: second.text });
  });
});
