/**
 * A guest thinking aloud ("um, let me think", "hmm, let me see") or asking for a moment ("give me a
 * minute", "hang on", "I'm not sure yet"). A turn that is nothing else is answered with "take your
 * time", not small talk. Thinking aloud also tells that more is coming: the end of a turn waits after
 * it (speech/endOfTurn.ts). A request for a moment is answered at once, as a bartender would ("sure").
 */
import { prepare } from '../understanding/text.ts';

/** Thinking aloud: the guest is choosing, and goes on in a moment. */
const THINKING = String.raw`let me (?:think|see)|lemme (?:think|see)|let s see|(?:i m|i am) (?:still )?(?:thinking|deciding)`;
/** Asking for a moment. */
const ASKING = String.raw`let me (?:check|look)|let me think about it|(?:hold|hang) on(?: a (?:sec|second|moment|minute))?|(?:give me|gimme|just|one|wait) (?:a )?(?:sec|second|moment|minute)|(?:i m|i am) (?:still )?not sure(?: yet)?|not sure yet`;
/** Each matched as whole words at the end of what was said. */
const ENDS_THINKING = new RegExp(`(?:^| )(?:${THINKING})$`);
const STALL = new RegExp(`(?:^| )(?:${THINKING}|${ASKING})$`);
/** Words a guest says around thinking that add nothing ("um, okay, so, let me see"). */
const FILLER =
  /(?:^| )(?:um|uh|er|erm|hmm|mm|okay|ok|so|well|yeah|oh|actually|right|and|but|i don t know|still)$/;

/** Does what was said so far end with the guest thinking aloud (more is coming)? */
export function endsThinkingAloud(text: string): boolean {
  return ENDS_THINKING.test(prepare(text).text);
}

/** Is all of it thinking aloud or asking for time (with fillers), nothing else? */
export function onlyStalls(text: string): boolean {
  let rest = prepare(text).text;
  let stalls = 0;
  for (;;) {
    const stall = STALL.exec(rest);
    const filler = stall ? null : FILLER.exec(rest);
    const found = stall ?? filler;
    if (!found) return rest === '' && stalls > 0;
    if (stall) stalls++;
    rest = rest.slice(0, found.index).trim();
  }
}
