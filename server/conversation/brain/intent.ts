/**
 * What the guest wants, as the understanding reads it: one intent with its slots. Types only, in a
 * module of their own so the parser's helpers (understanding/) can name them without importing the
 * parser (intents.ts) that imports them.
 */
import type { MenuCategory, Modifier, Preference } from '../../../shared/menu.ts';

export interface OrderSlot {
  item: string;
  quantity: number;
  modifiers: Modifier[];
  /** Who it is for, as said ("my little brother", "her"); absent for the guest themself. */
  for?: string;
}

export type Intent =
  /**
   * `unknown`: other things asked for in the same breath that are not on the menu. `tentative`: the
   * words ask for a drink but in no phrasing the understanding knows ("i get a pint", as a recogniser
   * may hear "yeah I'll get a pint"): read back before anything is charged. `retracted`: a drink was
   * taken back in the same words ("no beer, just a water"; "a beer, no, a whiskey"), which a
   * recogniser can also make of a filler it heard as "no": read back when spoken.
   */
  | { kind: 'order'; items: OrderSlot[]; unknown?: string[]; tentative?: true; retracted?: true }
  /** "do you have mojitos?", "how much is a martini": information, never a charge. */
  | { kind: 'ask_drink'; items: OrderSlot[] }
  /** "what's in a negroni", "I love margaritas": drink talk, answered from the small-talk corpus. */
  | { kind: 'drink_talk'; item: string }
  | { kind: 'clarify'; about: 'wine' | 'cocktail' | 'shot' | 'beer' | 'tip_amount' }
  | { kind: 'unknown_drink'; name: string }
  /**
   * "a mojito without mint": a drink asked for made otherwise than its recipe, which Maya cannot do.
   * Nothing is charged; the drinks as they come are offered.
   */
  | { kind: 'cannot_make'; item: string; asked: string; items: OrderSlot[] }
  /** A name a little off with two drinks equally near ("Did you mean X or Y?"). */
  | { kind: 'did_you_mean'; options: string[] }
  /**
   * "make it a gin instead", "change the rum to a brandy", "sorry, I meant the IPA": one drink for
   * another, in one step. `from` absent: the drink just ordered. `to.quantity` absent: as many as before.
   */
  | {
      kind: 'swap';
      to: { item: string; quantity?: number; modifiers: Modifier[] };
      from?: string;
      /** The swap was said as a refusal beside a drink wanted (see `order`'s `retracted`). */
      retracted?: true;
    }
  /** "how much are two mojitos?": the price, never a charge. */
  | { kind: 'ask_price'; items: OrderSlot[] }
  /** "what's the difference between a manhattan and an old fashioned?" */
  | { kind: 'compare'; items: string[] }
  /** "what's in that?": the drink just ordered. */
  | { kind: 'whats_in_last' }
  /** "drinks are on the house tonight, right?" — a friendly no. */
  | { kind: 'on_the_house' }
  /** "I had way too many margaritas last night": empathy and water, never a recipe. */
  | { kind: 'overdid' }
  | { kind: 'remove'; item?: string; quantity?: number }
  | { kind: 'cancel_last' }
  | { kind: 'cancel_all' }
  | { kind: 'set_quantity'; quantity: number; item?: string }
  /** How the drink just ordered (or the named one, `item`) is served: "make it a double". */
  | { kind: 'modify_last'; modifiers: Modifier[]; item?: string }
  | { kind: 'repeat_last'; quantity: number }
  | { kind: 'repeat_round' }
  /** `quote`: "how much would a 20% tip be?" — the amount, nothing set. */
  | { kind: 'tip'; percent: number | null; quote?: true }
  | { kind: 'bill' }
  | { kind: 'show_order' }
  | { kind: 'balance' }
  | { kind: 'pay' }
  | { kind: 'cancel_payment' }
  | { kind: 'payment_status' }
  | { kind: 'recommend'; preference: Preference; surprise: boolean }
  | { kind: 'menu'; category?: MenuCategory }
  | { kind: 'yes' }
  | { kind: 'no' }
  | { kind: 'greeting' }
  | { kind: 'thanks' }
  | { kind: 'goodbye' }
  | { kind: 'compliment' }
  | { kind: 'praise' }
  /** "um, let me think", "give me a minute": the guest wants time; nothing is asked or changed. */
  | { kind: 'wait' }
  /** "sorry?", "say that again": repeat what Maya just said. */
  | { kind: 'say_again' }
  | { kind: 'small_talk' };

export type IntentKind = Intent['kind'];
