/**
 * Understanding a guest's words: text → one intent with its slots. Deterministic and fast; the menu
 * module supplies every drink name and alias.
 */
import { MENU_FORMS, MODIFIERS, PREFERENCES, normalizeName } from '../../../shared/menu.ts';
import type { Modifier, Preference } from '../../../shared/menu.ts';

export interface OrderSlot {
  item: string;
  quantity: number;
  modifiers: Modifier[];
}

export type Intent =
  | { kind: 'order'; items: OrderSlot[] }
  | { kind: 'remove'; item: string; quantity?: number }
  | { kind: 'cancel_last' }
  | { kind: 'tip'; percent: number | null }
  | { kind: 'bill' }
  | { kind: 'show_order' }
  | { kind: 'balance' }
  | { kind: 'recommend'; preference: Preference }
  | { kind: 'menu' }
  | { kind: 'greeting' }
  | { kind: 'thanks' }
  | { kind: 'goodbye' }
  | { kind: 'unknown_drink'; name: string }
  | { kind: 'small_talk' }
  | { kind: 'pay' }
  | { kind: 'cancel_payment' }
  | { kind: 'payment_status' };

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, another: 1, two: 2, couple: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20,
};

function quantityWord(w: string | undefined): number | undefined {
  if (w === undefined) return undefined;
  if (/^\d+$/.test(w)) return Number(w);
  return NUMBER_WORDS[w];
}

const has = (t: string, re: RegExp) => re.test(t);

/** Drinks named in the text, longest match first, each with the quantity said just before it. */
export function findDrinks(text: string): OrderSlot[] {
  let rest = ` ${text} `;
  const found: { at: number; slot: OrderSlot }[] = [];
  for (const [form, item] of MENU_FORMS) {
    const re = new RegExp(`(?<= )${form.replace(/ /g, ' ')}(?= )`, 'g');
    let m: RegExpExecArray | null;
    while ((m = re.exec(rest))) {
      const before = rest.slice(0, m.index).trim().split(' ');
      const q = quantityWord(before.at(-1)) ?? quantityWord(before.at(-2));
      const after = rest.slice(m.index + form.length, m.index + form.length + 30);
      const near = `${before.slice(-3).join(' ')} ${after}`;
      const modifiers = MODIFIERS.filter((mod) => near.includes(mod) && !(mod === 'stirred' && near.includes('not stirred')));
      found.push({ at: m.index, slot: { item: item.name, quantity: q ?? 1, modifiers } });
      rest = rest.slice(0, m.index) + '#'.repeat(form.length) + rest.slice(m.index + form.length);
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.slot);
}

export function parseIntent(raw: string): Intent {
  const t = normalizeName(raw.replace(/%/g, ' percent'));
  const drinks = findDrinks(t);

  // Tips first: "add a 20% tip" must not be read as an order of twenty somethings.
  if (has(t, /\b(no|remove( the)?|without( a)?|skip the) tip\b/)) return { kind: 'tip', percent: null };
  const tip = t.match(/\b(\d+|ten|fifteen|twenty) percent\b/);
  if (tip && has(t, /\btip\b|\bgratuity\b/)) return { kind: 'tip', percent: quantityWord(tip[1]) ?? Number.NaN };

  // Paying before removing and the bill: "cancel the payment" is not "cancel that", "pay my bill" is not "bill".
  if (has(t, /\b(cancel|stop|abort) (the |my )?(payment|checkout)\b/)) return { kind: 'cancel_payment' };
  if (has(t, /\b(did|has) (my|the) payment\b|\bpayment (go|gone|went) through\b|\bpayment status\b/)) return { kind: 'payment_status' };
  if (has(t, /\b(i d like to|i want to|i ll|let me|ready to|can i|i wanna) pay\b|\bpay (my |the )?(bill|tab|now|up)\b|\bsettle up\b|^pay( please)?$/)) return { kind: 'pay' };

  if (has(t, /\b(remove|take off|drop|cancel|scratch|delete)\b/)) {
    const first = drinks[0];
    if (first) {
      const q = t.match(new RegExp(`\\b(\\d+|${Object.keys(NUMBER_WORDS).join('|')})\\b`));
      const quantity = q && q[1] !== 'a' && q[1] !== 'an' ? quantityWord(q[1]) : undefined;
      return quantity === undefined ? { kind: 'remove', item: first.item } : { kind: 'remove', item: first.item, quantity };
    }
    return { kind: 'cancel_last' };
  }

  if (has(t, /\b(total|owe|bill|check|how much)\b/)) return { kind: 'bill' };
  if (has(t, /\b(balance|money left|how much (do i|have i) (have|got) left)\b/)) return { kind: 'balance' };
  if (has(t, /\b(my order|my tab|what did i (order|get)|what have i (ordered|got))\b/)) return { kind: 'show_order' };
  if (has(t, /\b(recommend|suggest|surprise me|what should i|what do you like|what s good)\b/)) {
    const preference = PREFERENCES.find((p) => t.includes(p)) ?? (has(t, /\b(alcohol free|non alcoholic|no alcohol|driving)\b/) ? 'sober' : 'any');
    return { kind: 'recommend', preference };
  }
  if (drinks.length > 0) return { kind: 'order', items: drinks };
  if (has(t, /\b(menu|what do you (have|serve|got)|what drinks)\b/)) return { kind: 'menu' };
  const wanted = t.match(/\b(?:i ll have|i d like|can i get|can i have|give me|i want)(?: an?| some)? ([a-z ]{3,30})$/);
  if (wanted?.[1] && !has(wanted[1], /\b(recommendation|minute|moment|word)\b/)) return { kind: 'unknown_drink', name: wanted[1].replace(/ please$/, '') };
  if (has(t, /^(hi|hello|hey|good (morning|afternoon|evening)|howdy)\b/)) return { kind: 'greeting' };
  if (has(t, /\b(thanks|thank you|cheers)\b/)) return { kind: 'thanks' };
  if (has(t, /\b(bye|goodbye|good night|see you)\b/)) return { kind: 'goodbye' };
  return { kind: 'small_talk' };
}
