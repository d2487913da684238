/**
 * A small language for conversation tests:
 *   await conversation().guest('a margarita please').expectTab(1100).expectEmotion('mixing')
 *     .guest('fifteen percent').expectTip(15, 165).expectMentions('$12.65').run();
 * Each step is one guest turn through the real processor, embedded brain, tools and state manager.
 */
import { expect } from 'vitest';
import { pino } from 'pino';
import type { Emotion, Phase } from '../../shared/domain.ts';
import { MemorySessionStore } from '../store/memory.ts';
import { StateManager } from '../state/manager.ts';
import type { Llm } from '../conversation/ports.ts';
import { EmbeddedBrain } from '../conversation/brain/brain.ts';
import { Processor } from '../conversation/processor.ts';
import type { ProcessorDeps, TurnOptions, TurnResult } from '../conversation/processor.ts';
import type { MenuSource } from '../menu/catalog.ts';

type Check = (turn: TurnResult, where: string) => void;

interface Step {
  say: string;
  options: TurnOptions;
  checks: Check[];
}

export interface ScenarioOptions {
  llm?: Llm;
  runTool?: ProcessorDeps['runTool'];
  /** The bar's menu for this conversation (default: the bundled menu). */
  menu?: MenuSource;
}

const sharedBrain = new EmbeddedBrain();

export class Scenario {
  private readonly steps: Step[] = [];
  readonly turns: TurnResult[] = [];

  constructor(private readonly options: ScenarioOptions = {}) {}

  guest(say: string, options: TurnOptions = {}): this {
    this.steps.push({ say, options, checks: [] });
    return this;
  }

  private check(c: Check): this {
    const step = this.steps.at(-1);
    if (!step) throw new Error('say something with guest() before expecting');
    step.checks.push(c);
    return this;
  }

  expectTab(cents: number) {
    return this.check((t, w) => expect(t.state.payment.tabCents, `${w}: tab`).toBe(cents));
  }
  expectBalance(cents: number) {
    return this.check((t, w) => expect(t.state.payment.balanceCents, `${w}: balance`).toBe(cents));
  }
  expectTip(percent: number | null, cents?: number) {
    return this.check((t, w) => {
      expect(t.state.payment.tipPercent, `${w}: tip percent`).toBe(percent);
      if (cents !== undefined) expect(t.state.payment.tipCents, `${w}: tip cents`).toBe(cents);
    });
  }
  expectPhase(phase: Phase) {
    return this.check((t, w) => expect(t.state.conversation.phase, `${w}: phase`).toBe(phase));
  }
  expectEmotion(emotion: Emotion) {
    return this.check((t, w) =>
      expect(t.emotion, `${w}: emotion (reply "${t.text}")`).toBe(emotion),
    );
  }
  expectReply(text: string) {
    return this.check((t, w) => expect(t.text, `${w}: reply`).toBe(text));
  }
  /** The reply mentions each of these (case-insensitive for words, exact for amounts). */
  expectMentions(...parts: (string | RegExp)[]) {
    return this.check((t, w) => {
      for (const p of parts) {
        if (typeof p === 'string')
          expect(t.text.toLowerCase(), `${w}: reply mentions "${p}"`).toContain(p.toLowerCase());
        else expect(t.text, `${w}: reply matches ${p}`).toMatch(p);
      }
    });
  }
  expectNotMentions(...parts: string[]) {
    return this.check((t, w) => {
      for (const p of parts)
        expect(t.text.toLowerCase(), `${w}: reply must not mention "${p}"`).not.toContain(
          p.toLowerCase(),
        );
    });
  }
  expectTools(...names: string[]) {
    return this.check((t, w) =>
      expect(
        t.toolCalls.map((c) => c.name),
        `${w}: tools called`,
      ).toEqual(names),
    );
  }
  expectOrder(lines: { item: string; quantity: number; modifiers?: string[] }[]) {
    return this.check((t, w) =>
      expect(
        t.state.order.map((l) => ({ item: l.item, quantity: l.quantity, modifiers: l.modifiers })),
        `${w}: order`,
      ).toEqual(lines.map((l) => ({ ...l, modifiers: l.modifiers ?? [] }))),
    );
  }
  expectPending(kind: 'confirm_order' | 'offer' | 'which' | null) {
    return this.check((t, w) =>
      expect(t.state.conversation.pending?.kind ?? null, `${w}: pending`).toBe(kind),
    );
  }
  expect(fn: Check) {
    return this.check(fn);
  }

  async run(): Promise<{ turns: TurnResult[]; manager: StateManager; sessionId: string }> {
    const menu = this.options.menu;
    const manager = new StateManager(new MemorySessionStore(), {
      expirySeconds: 3600,
      ...(menu && { menu }),
    });
    const llm = this.options.llm ?? sharedBrain;
    const processor = new Processor({
      manager,
      llmFor: () => llm,
      log: pino({ level: 'silent' }),
      ...(this.options.runTool ? { runTool: this.options.runTool } : {}),
      ...(menu && { menu }),
    });
    const { id } = await manager.createSession();
    for (const [i, step] of this.steps.entries()) {
      const turn = await processor.handleTurn(id, step.say, step.options);
      this.turns.push(turn);
      for (const c of step.checks) c(turn, `turn ${i + 1} "${step.say}" → "${turn.text}"`);
    }
    return { turns: this.turns, manager, sessionId: id };
  }
}

export function conversation(options?: ScenarioOptions): Scenario {
  return new Scenario(options);
}
