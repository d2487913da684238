/**
 * Questions a guest asks about drinks that are answered, never charged: prices ("what would three
 * whiskey sours run me?"), differences between two drinks, what is in the drink just ordered, "on the
 * house?", and a guest who overdid it last night. Patterns over the normalised text (understanding/text.ts).
 */
export const ON_THE_HOUSE =
  /\b(free refills?|(is|s) (this|that|it|the) (round |one |drink |first round |next round )?on you|your treat|on the house|for free|free (drinks?|round|one|shots?|beers?|cocktails?)|free of charge|complimentary|comp (me|us|this|that|it|the)|no charge|(drinks|they|it|this|these) (are|is|s) free|drinks free)\b/;
export const OVERDID =
  /\b((drank|had|drink) (so|way too|too|far too) (many|much)|so many .* (last night|yesterday)|never again|too many|too much to drink|drank too much|had too much|one too many|few too many|hungover|hangover|overdid it|overdo it|over did it|so drunk|still drunk|wasted last night|head is (killing|pounding)|never drinking again)\b/;
export const PRICE =
  /\b(how much (is|are|for|does|do|would|will|s|re)|what (would|will|d|does|do) .*\b(run|set) (me|us) back|what s an? .*\bcost|what (s|is|are|re|does|do) (an? |the )?.*\b(go|goes|going|sell|sells) for$|what (would|will|d|does|do) .*\brun (me|us)|what (does|do|would|will|d) .*\bcost|price of|prices? (for|of)|what s the price|cost of|how much .* (cost|be))\b/;
export const COMPARE =
  /\b(difference|different|differ|compare|compared|versus|vs|better|stronger|sweeter|lighter|which (one|is)|or (the|a|an))\b/;
export const WHATS_IN_LAST =
  /\b(what s|what is|whats) (actually|exactly|even|really|all) (in|inside) (that|it|this|there|my drink|mine)\b|\bwhat did you (put|use) in (this|that|it|my drink|mine)\b|\bhow (is|was) (that|this|it) made\b|\bhow do you make (that|this|it)\b|\b(what s|what is|whats|what goes) (in|inside|into) (that|it|this|there|my drink|mine|the last one|that one|this one|the drink)\b|\bwhat s (that|it|this) made (of|with)\b|\bwhat (is|s) (that|this) (one|drink) made of\b/;
