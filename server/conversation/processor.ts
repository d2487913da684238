/**
 * The conversation processor: one path for typed and spoken turns. Turns of one session are
 * serialised; every turn — whatever happens inside it — counts, updates the phase and the history.
 */
import type { Emotion } from '../../shared/domain.ts';
import type { Logger } from 'pino';
import { DomainError } from '../state/errors.ts';
import type { StateManager } from '../state/manager.ts';
import { MAX_HISTORY_MESSAGES } from '../state/session.ts';
import type { SessionState } from '../state/session.ts';
import type { Llm } from '../llm/types.ts';
import { nextPhase } from './phases.ts';
import { runTool } from './tools.ts';
import type { ToolResult } from './tools.ts';
import type { PaymentService } from '../payments/service.ts';

export interface TurnResult {
  text: string;
  emotion: Emotion;
  state: SessionState;
  toolCalls: { name: string; result: ToolResult }[];
}

export interface ProcessorDeps {
  manager: StateManager;
  /** The brain for a session (embedded by default; a cloud LLM when the session has a key). */
  llmFor: (sessionId: string) => Llm | Promise<Llm>;
  log: Logger;
  /** Paying the tab (create_payment, check_payment_status, cancel_payment). */
  payments?: PaymentService;
}

export class Processor {
  constructor(private readonly deps: ProcessorDeps) {}

  /** Run one guest turn. Turns of the same session run one at a time, in arrival order. */
  handleTurn(sessionId: string, text: string, onSentence?: (sentence: string) => void): Promise<TurnResult> {
    return this.serialised(sessionId, () => this.turn(sessionId, text, onSentence));
  }

  /** Run any session mutation in the same per-session queue as turns. */
  serialised<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    // The state manager's turn queue: in-process order plus the session's cross-process lock.
    return this.deps.manager.serialised(sessionId, work);
  }

  private async turn(sessionId: string, text: string, onSentence?: (sentence: string) => void): Promise<TurnResult> {
    const { manager, log } = this.deps;
    const before = await manager.get(sessionId);
    const toolCalls: TurnResult['toolCalls'] = [];
    const ctx = { sessionId, manager, ...(this.deps.payments && { payments: this.deps.payments }) };
    let out: { text: string; emotion: Emotion; smallTalk: boolean };
    try {
      out = await (await this.deps.llmFor(sessionId)).turn({
        text,
        state: before,
        history: before.conversation.history,
        ...(onSentence ? { onSentence } : {}),
        runTool: async (name, args) => {
          const result = await runTool(ctx, name, args);
          toolCalls.push({ name, result });
          return result;
        },
      });
    } catch (e) {
      if (e instanceof DomainError && e.code === 'INVALID_SESSION') throw e;
      log.error({ err: e, sessionId }, 'turn failed');
      out = { text: "Sorry, I lost my train of thought there. Could you say that again?", emotion: 'flustered', smallTalk: false };
    }
    const ordered = toolCalls.some((c) => c.name === 'add_to_order' && c.result.ok);
    const { state } = await manager.mutate(sessionId, (s) => {
      const conv = s.conversation;
      const step = nextPhase({ phase: conv.phase, smallTalkCount: conv.smallTalkCount, ordered, smallTalk: out.smallTalk });
      const history = [...conv.history, { role: 'guest' as const, text }, { role: 'maya' as const, text: out.text }];
      return {
        ...s,
        emotion: out.emotion,
        conversation: {
          ...conv,
          phase: step.phase,
          smallTalkCount: step.smallTalkCount,
          turnCount: conv.turnCount + 1,
          lastOrderTurn: ordered ? conv.turnCount + 1 : conv.lastOrderTurn,
          history: history.slice(-MAX_HISTORY_MESSAGES),
        },
      };
    });
    return { text: out.text, emotion: out.emotion, state, toolCalls };
  }
}
