import { describe, expect, it } from 'vitest';
import { SMALL_TALK_BEFORE_REORDER, nextPhase } from './phases.ts';

describe('conversation phases (DOMAIN.md)', () => {
  it('greeting → order_taking after the first turn; an order → small_talk with the count reset', () => {
    expect(
      nextPhase({ phase: 'greeting', smallTalkCount: 0, ordered: false, smallTalk: true }),
    ).toEqual({ phase: 'order_taking', smallTalkCount: 0 });
    expect(
      nextPhase({ phase: 'greeting', smallTalkCount: 0, ordered: true, smallTalk: false }),
    ).toEqual({ phase: 'small_talk', smallTalkCount: 0 });
    expect(
      nextPhase({ phase: 'small_talk', smallTalkCount: 3, ordered: true, smallTalk: false }),
    ).toEqual({ phase: 'small_talk', smallTalkCount: 0 });
  });

  it(`small_talk → reorder_prompt on the ${SMALL_TALK_BEFORE_REORDER}th small-talk turn, not before`, () => {
    let step = { phase: 'small_talk' as const, smallTalkCount: 0 } as ReturnType<typeof nextPhase>;
    for (let i = 1; i < SMALL_TALK_BEFORE_REORDER; i++) {
      step = nextPhase({ ...step, ordered: false, smallTalk: true });
      expect(step).toEqual({ phase: 'small_talk', smallTalkCount: i });
    }
    // A domain turn (the bill, a tip) does not count as small talk.
    expect(nextPhase({ ...step, ordered: false, smallTalk: false })).toEqual(step);
    expect(nextPhase({ ...step, ordered: false, smallTalk: true })).toEqual({
      phase: 'reorder_prompt',
      smallTalkCount: SMALL_TALK_BEFORE_REORDER,
    });
  });

  it('reorder_prompt → small_talk on more chat, order_taking otherwise', () => {
    expect(
      nextPhase({ phase: 'reorder_prompt', smallTalkCount: 4, ordered: false, smallTalk: true }),
    ).toEqual({ phase: 'small_talk', smallTalkCount: 0 });
    expect(
      nextPhase({ phase: 'reorder_prompt', smallTalkCount: 4, ordered: false, smallTalk: false }),
    ).toEqual({ phase: 'order_taking', smallTalkCount: 0 });
    expect(
      nextPhase({ phase: 'reorder_prompt', smallTalkCount: 4, ordered: true, smallTalk: false }),
    ).toEqual({ phase: 'small_talk', smallTalkCount: 0 });
  });
});
