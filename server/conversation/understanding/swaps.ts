/**
 * Swaps and corrections as one intent: "make it a gin instead", "sorry, I meant the IPA", "change the
 * rum to a brandy", "an IPA instead of the tap beer", "scratch the vodka, I'll have a gin". Decides
 * which drink goes and which comes from where the drinks sit in the sentence; the brain then makes
 * the change in one atomic step (swap_in_order).
 */
import type { Intent, OrderSlot } from '../brain/intent.ts';

const SWAP_BEFORE_ONE =
  /\b(make|change|switch|swap|turn) (it|that|this|mine|them|those|the last one|my drink|my order)( out)?( to| for| into| with)?( an?| the| some)? ?$|\b(swap|switch|change|trade|exchange)( it| that| this)?( out)? (for|to|with)( an?| the| some)? ?$/;
const CORRECTION =
  /^((sorry|no|nope|oh|oops|wait|actually|um|uh|hmm|ah|my bad|my mistake|no no) )*(i meant|i mean|i said|meant)\b/;

/**
 * "make it a gin instead", "sorry, I meant the IPA", "change the rum to a brandy", "an IPA instead
 * of the tap beer": which drink goes, which comes. A count is kept only when said ("make it two gins").
 */
export function swapOf(
  t: string,
  found: readonly { start: number; end: number }[],
  drinks: readonly OrderSlot[],
  question: boolean,
): Intent | undefined {
  // A question may still ask for a swap ("could I get a rum instead?"), but not one that asks about drinks.
  if (
    (question && /^(what|how|which|why|is|are|do|does)\b/.test(t)) ||
    found.length === 0 ||
    found.length > 2 ||
    found.length !== drinks.length
  )
    return undefined;
  const to = (slot: OrderSlot) => ({
    item: slot.item,
    ...(slot.quantity !== 1 ? { quantity: slot.quantity } : {}),
    modifiers: slot.modifiers,
  });
  const [a, b] = drinks as [OrderSlot, OrderSlot | undefined];
  const lead = t
    .slice(0, found[0]!.start)
    .replace(
      /\b(double|doubles|dirty|dry|perfect|neat|large|small|cold|single|glass of|pint of|shot of) $/,
      '',
    );
  if (b && a.item !== b.item) {
    const between = t.slice(found[0]!.end, found[1]!.start);
    if (/\b(instead of|rather than|not)\b/.test(between))
      return { kind: 'swap', to: to(a), from: b.item };
    if (/\b(instead of|rather than)\b/.test(lead) || /\bnot (the |a |an |my )?$/.test(lead))
      return { kind: 'swap', to: to(b), from: a.item };
    if (
      /\b(swap|switch|change|replace|exchange|trade|make|turn)\b/.test(lead) &&
      /\b(to|for|with|into|an?)\b/.test(between)
    )
      return { kind: 'swap', to: to(b), from: a.item };
    // "scratch the vodka, I'll have a gin": one off, the other on, in one breath.
    if (
      /\b(scratch|scrap|forget|cancel|drop|lose|ditch|remove|no more|not) (the |that |my )?$/.test(
        lead,
      ) &&
      /\b(i ll have|i ll take|give me|get me|gimme|make it|i d like|can i (get|have)|instead|bring me)\b/.test(
        between,
      )
    )
      return { kind: 'swap', to: to(b), from: a.item };
    return undefined;
  }
  if (b) return undefined;
  if (
    SWAP_BEFORE_ONE.test(lead) ||
    CORRECTION.test(t) ||
    /\b(i d|i would) (rather|prefer)\b|\bon second thought\b/.test(lead) ||
    (/\binstead\b/.test(t) && !/\binstead of\b/.test(t))
  )
    return { kind: 'swap', to: to(a) };
  return undefined;
}
