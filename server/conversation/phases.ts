/** Conversation phases (DOMAIN.md "Conversation phases"): a pure step, applied on every turn. */
import type { Phase } from '../../shared/domain.ts';

export const SMALL_TALK_BEFORE_REORDER = 4;

export interface PhaseInput {
  phase: Phase;
  smallTalkCount: number;
  /** This turn added drinks to the tab. */
  ordered: boolean;
  /** This turn was casual talk with no domain act. */
  smallTalk: boolean;
}

export function nextPhase({ phase, smallTalkCount, ordered, smallTalk }: PhaseInput): {
  phase: Phase;
  smallTalkCount: number;
} {
  if (ordered) return { phase: 'small_talk', smallTalkCount: 0 };
  switch (phase) {
    case 'greeting':
      return { phase: 'order_taking', smallTalkCount };
    case 'order_taking':
      return { phase, smallTalkCount };
    case 'small_talk': {
      const count = smallTalk ? smallTalkCount + 1 : smallTalkCount;
      return {
        phase: count >= SMALL_TALK_BEFORE_REORDER ? 'reorder_prompt' : 'small_talk',
        smallTalkCount: count,
      };
    }
    case 'reorder_prompt':
      // Offered another round: more chat goes back to small talk, anything else to ordering.
      return smallTalk
        ? { phase: 'small_talk', smallTalkCount: 0 }
        : { phase: 'order_taking', smallTalkCount: 0 };
  }
}
