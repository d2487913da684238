import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { MemorySessionStore } from '../store/memory.ts';
import { StateManager } from '../state/manager.ts';
import { EmbeddedBrain } from './brain/brain.ts';
import { Processor } from './processor.ts';

function setup() {
  const manager = new StateManager(new MemorySessionStore(), { expirySeconds: 3600 });
  const brain = new EmbeddedBrain();
  const processor = new Processor({ manager, llmFor: () => brain, log: pino({ level: 'silent' }) });
  return { manager, processor };
}

describe('processor with the embedded brain', () => {
  it('runs the five skeleton turns through the tool registry', async () => {
    const { manager, processor } = setup();
    const { id } = await manager.createSession();
    const say = (t: string) => processor.handleTurn(id, t);

    const order = await say('a margarita please');
    expect(order.text).toBe("One Margarita, that's $11.00 — coming right up.");
    expect(order.emotion).toBe('mixing');
    expect(order.state.payment).toMatchObject({ tabCents: 1100, balanceCents: 98900 });
    expect(order.toolCalls.map((c) => c.name)).toEqual(['add_to_order']);

    const tip = await say('Add a 20% tip');
    expect(tip.state.payment).toMatchObject({ tipPercent: 20, tipCents: 220 });
    expect(tip.text).toContain('$13.20');

    const total = await say("what's my total");
    expect(total.text).toContain('$11.00');
    expect(total.text).toContain('$13.20');
    expect(total.state.payment.status).toBe('pending');

    const removed = await say('remove the margarita');
    expect(removed.state.payment).toMatchObject({ tabCents: 0, balanceCents: 100000, tipCents: 0 });
    expect(removed.text).toContain('refunded $11.00');

    const rec = await say('what do you recommend');
    expect(rec.emotion).toBe('thinking');
    expect(rec.text).toMatch(/Martini|Daiquiri|Old Fashioned|IPA/);
    expect(rec.state.conversation.turnCount).toBe(5);
  });

  it('names the closest drinks for an unknown one and charges nothing', async () => {
    const { manager, processor } = setup();
    const { id } = await manager.createSession();
    const r = await processor.handleTurn(id, "I'd like a margaritaz");
    expect(r.text).toContain('Margarita');
    expect(r.state.payment.tabCents).toBe(0);
  });

  it('serialises turns of one session: concurrent turns never lose an order', async () => {
    const { manager, processor } = setup();
    const { id } = await manager.createSession();
    await Promise.all(Array.from({ length: 20 }, () => processor.handleTurn(id, 'a beer')));
    const s = await manager.get(id);
    expect(s.payment.tabCents).toBe(20 * 500);
    expect(s.conversation.turnCount).toBe(20);
  });
});
