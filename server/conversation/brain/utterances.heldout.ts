/**
 * Held-out phrasings (round five): written after the rules and never tuned against.
 * utterances.test.ts reports their accuracy separately and lists the misses, so the figure says how
 * the brain does on wording it has not seen.
 */
import type { Intent } from './intents.ts';

const o = (item: string, quantity = 1, modifiers: string[] = []) => ({ item, quantity, modifiers }) as { item: string; quantity: number; modifiers: never[] };
const order = (...items: ReturnType<typeof o>[]): Intent => ({ kind: 'order', items });

export const HELD_OUT: readonly (readonly [string, Intent])[] = [
  ['pour us four glasses of red', order(o('Red Wine', 4))],
  ['can my buddy get an IPA', order(o('IPA'))],
  ['just water please', order(o('Water'))],
  ["I'll start with a mojito and my wife will have a cosmo", order(o('Mojito'), o('Cosmopolitan'))],
  ['a tequila, make it a double', order(o('Tequila', 1, ['double']))],
  ['three beers and three shots of whiskey', order(o('Tap Beer', 3), o('Whiskey', 3))],
  ['get the lady a martini', order(o('Martini'))],
  ['an iced tea would be great', order(o('Iced Tea'))],
  ['whiskey sour, no ice', order(o('Whiskey Sour', 1, ['neat']))],
  ['we want a round of negronis for the four of us', order(o('Negroni', 4))],
  ['make it six', { kind: 'set_quantity', quantity: 6 }],
  ["oh wait, I'll just have one", { kind: 'set_quantity', quantity: 1 }],
  ["take one martini off", { kind: 'remove', item: 'Martini', quantity: 1 }],
  ['no more tequila for me, cancel it', { kind: 'remove', item: 'Tequila' }],
  ['forget the whole order', { kind: 'cancel_all' }],
  ['hit me again', { kind: 'repeat_round' }],
  ['get me another', { kind: 'repeat_last', quantity: 1 }],
  ['put twenty percent on top', { kind: 'tip', percent: 20 }],
  ['tip her 15%', { kind: 'tip', percent: 15 }],
  ['no tips today', { kind: 'tip', percent: null }],
  ['what does the bill come to', { kind: 'bill' }],
  ['how much do we owe you', { kind: 'bill' }],
  ["I'd like to settle up now", { kind: 'pay' }],
  ['can I pay with my phone', { kind: 'pay' }],
  ['cancel my payment please', { kind: 'cancel_payment' }],
  ['is the payment done', { kind: 'payment_status' }],
  ['how much can I still spend', { kind: 'balance' }],
  ["what's on our tab", { kind: 'show_order' }],
  ["what's your best cocktail", { kind: 'recommend', preference: 'any', surprise: false }],
  ['I need something strong tonight', { kind: 'recommend', preference: 'strong', surprise: false }],
  ['which wines do you have', { kind: 'menu', category: 'wine' }],
  ['do you serve lemonade', { kind: 'ask_drink', items: [o('Lemonade')] }],
  ['where does the daiquiri come from', { kind: 'drink_talk', item: 'Daiquiri' }],
  ["I'd like a glass of champagne", { kind: 'unknown_drink', name: 'champagne' }],
  ['yes please do', { kind: 'yes' }],
  ['nope, all good', { kind: 'no' }],
  ['good afternoon', { kind: 'greeting' }],
  ['your smile is lovely', { kind: 'compliment' }],
  ['see you tomorrow Maya', { kind: 'goodbye' }],
  ['what do you do for fun?', { kind: 'small_talk' }],
];
