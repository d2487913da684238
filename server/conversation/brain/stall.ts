/**
 * A guest thinking aloud ("um, let me think", "hmm, let me see") or asking for a moment ("give me a
 * minute", "hang on", "I'm not sure yet"). A turn that is nothing else is answered with "take your
 * time", not small talk. Thinking aloud also tells that more is coming: the end of a turn waits after
 * it (speech/endOfTurn.ts). A request for a moment is answered at once, as a bartender would ("sure").
 */

/** Thinking aloud: the guest is choosing, and goes on in a moment. */
const THINKING =
  /(?:let me (?:think|see)|lemme (?:think|see)|let s see|(?:i m|i am) (?:still )?(?:thinking|deciding))$/;
/** Phrases that ask for time, each matched as whole words at the end of what was said. */
const STALL = new RegExp(
  `(?:^| )(?:${THINKING.source.slice(0, -1)}|let me (?:check|look)|let me think about it|(?:hold|hang) on(?: a (?:sec|second|moment|minute))?|(?:give me|gimme|just|one|wait) (?:a )?(?:sec|second|moment|minute)|(?:i m|i am) (?:still )?not sure(?: yet)?|not sure yet)$`,
);
/** Words a guest says around thinking that add nothing ("um, okay, so, let me see"). */
const FILLER =
  /(?:^| )(?:um|uh|er|erm|hmm|mm|okay|ok|so|well|yeah|oh|actually|right|and|but|i don t know|still)$/;

/** Lowercase words, apostrophes and punctuation as spaces ("I'm" → "i m"), as the brain reads text. */
const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Does what was said so far end with the guest thinking aloud (more is coming)? */
export function endsThinkingAloud(text: string): boolean {
  return new RegExp(`(?:^| )${THINKING.source}`).test(words(text));
}

/** Is all of it thinking aloud or asking for time (with fillers), nothing else? */
export function onlyStalls(text: string): boolean {
  let rest = words(text);
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
