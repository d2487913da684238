/**
 * Speech acts (DOMAIN.md "Understanding the guest"): what the guest is doing with the words, before
 * what the words are about. "I'll have a margarita" (commissive) and "a margarita please"
 * (directive) order; "I love margaritas" (assertive) does not.
 */
export type SpeechAct = 'directive' | 'commissive' | 'assertive' | 'expressive';

const COMMISSIVE =
  /\b(i ll|i will|we ll|we will|i m going to|im gonna|i m gonna|i shall|let me|i promise)\b/;
const DIRECTIVE_START =
  /^(please |ok |okay |so |and |also |then |yes |yeah |actually |um |uh |hey |hi |maya )*(give|get|make|bring|pour|add|remove|take|cancel|show|tell|recommend|suggest|surprise|pay|charge|set|put|start|drop|scratch|delete|serve|fix|mix|grab|gimme|lemme|leave|skip|change|switch|close|read|repeat|undo|clear|keep|hold|stop)\b/;
const DIRECTIVE_MARKERS =
  /\b(please|can i|could i|may i|can we|could we|can you|could you|would you|will you|i d like|i would like|we d like|i want|we want|i need|we need|i ll take|could go for|go for|go with|i fancy|i feel like|let s|lets|how about|what about|wants|would like|will have|ll have|d like|needs|for me|for my|for us|for the table|what s|what is|what are|what do|what does|what should|how much|how many|do you|is there|are there|any chance|got any|have you got)\b/;
const EXPRESSIVE =
  /^(hi|hello|hey|howdy|good (morning|afternoon|evening|night)|thanks|thank you|cheers|sorry|wow|bye|goodbye|see you|congrats|nice|great|awesome|lovely|amazing|you re (so |really )?(pretty|beautiful|cute|great|amazing|the best))\b/;
const ASSERTIVE_VERBS =
  /\b(i|we|my \w+|he|she|they)( really| just| usually| always| never| once| also)? (love|loved|like|liked|hate|hated|had|tried|drank|drink|prefer|enjoy|enjoyed|used to|remember|think|thought|was|am|m|feel|know)\b/;

/** Openers that carry no act: "hey Maya, two beers" is a directive, "wow, you make..." an assertive. */
const OPENERS =
  /^((hi|hello|hey|yo|ok|okay|so|um|umm|uh|er|erm|hm|hmm|ah|well|oh|wow|right|alright|and|also|then)( maya| there)? )+/;
const YOU_STATEMENT = /^(you|you re|it s|that s|this is|that was|this was|they re|it was) /;

export function classifySpeechAct(raw: string): SpeechAct {
  const t = raw.replace(OPENERS, '') || raw;
  if (YOU_STATEMENT.test(t) && !DIRECTIVE_MARKERS.test(t)) return 'assertive';
  if (COMMISSIVE.test(t)) return 'commissive';
  if (DIRECTIVE_START.test(t) || DIRECTIVE_MARKERS.test(t) || t.endsWith('?')) return 'directive';
  // A request with a hedge after it ("a negroni, I think", "two beers I guess") is still a request.
  if (
    /^(a|an|one|two|three|four|five|\d+) .* (i think|i guess|i suppose|maybe|perhaps|please)$/.test(
      t,
    )
  )
    return 'directive';
  // A noun phrase that starts with a count ("a dirty martini and a whiskey on the rocks") asks for it.
  if (
    /^(a|an|one|two|three|four|five|six|seven|eight|nine|ten|another|some|\d+) /.test(t) &&
    !ASSERTIVE_VERBS.test(t)
  )
    return 'directive';
  if (EXPRESSIVE.test(t)) return 'expressive';
  if (ASSERTIVE_VERBS.test(t)) return 'assertive';
  // A bare noun phrase ("two beers", "margarita") is a request at a bar.
  return t.split(' ').length <= 8 ? 'directive' : 'assertive';
}

/**
 * An explicit request: a commissive, an imperative, or a request marker ("please", "can I", "I'd
 * like", "for me"). Questions that only ask ("what's the best beer?") are not requests for a drink.
 */
const REQUEST_MARKERS =
  /\b((i|we) (could|can|might) (get|have|grab|try|do)|(s|is|are|will be|ll be) having|i d prefer|i d rather|please|can i|could i|may i|can we|could we|can you|could you|would you|will you|can (my|our|the) \w+ (get|have)|i d like|i would like|we d like|we would like|i d love|i want|we want|i need|we need|i ll take|let s|lets|how about|what about|wants|would like|will have|ll have|d like|needs|for me|for us|for the table|could go for|go for|go with|i fancy|i feel like|any chance|would be (great|nice|lovely|perfect|good)|on my tab|i ll go|i think|i guess|(?:i m|i am|we re|we are) (?:after|looking for|in the mood for)|i could do with|we could do with)\b/;

export function isExplicitRequest(raw: string): boolean {
  const t = afterCourtesy(raw.replace(OPENERS, '') || raw);
  return COMMISSIVE.test(t) || DIRECTIVE_START.test(t) || REQUEST_MARKERS.test(t);
}

/** A courtesy, a greeting or a farewell said before more words, with the openers around it. */
const COURTESY =
  /^(sorry|excuse me|pardon me|pardon|thanks|thank you|cheers|bye|goodbye|hello|good (morning|afternoon|evening))( maya)? (?=\S)/;

/**
 * The words after a courtesy said first ("sorry, get me a beer"; "bye i get two whiskeys", where
 * the recogniser misheard an opener): what the guest does with the rest is the request, not the
 * courtesy. The text as it is when nothing follows the courtesy ("thanks maya", "bye").
 */
export function afterCourtesy(t: string): string {
  const rest = t.replace(COURTESY, '').replace(OPENERS, '');
  return rest === t || rest === '' ? t : rest;
}
