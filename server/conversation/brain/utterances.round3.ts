/**
 * Round three of held-out phrasings: written after the rules and scored before tuning: 34/40 on first
 * run (one of the six only listed two modifiers in another order); the misses were then fixed.
 * They now count in the tuned table; utterances.heldout.ts holds the current held-out round.
 */
import type { Intent } from './intents.ts';

const o = (item: string, quantity = 1, modifiers: string[] = []) => ({ item, quantity, modifiers }) as { item: string; quantity: number; modifiers: never[] };
const order = (...items: ReturnType<typeof o>[]): Intent => ({ kind: 'order', items });

export const ROUND_THREE: readonly (readonly [string, Intent])[] = [
  ['can you pour me a glass of white', order(o('White Wine'))],
  ['start me off with an IPA', order(o('IPA'))],
  ["I'd love a daiquiri", order(o('Daiquiri'))],
  ['one vodka soda', order(o('Vodka'), o('Soda'))],
  ['eight beers, we are celebrating', order(o('Tap Beer', 8))],
  ['a manhattan, stirred', order(o('Manhattan', 1, ['stirred']))],
  ['whiskey, double, no ice', order(o('Whiskey', 1, ['double', 'neat']))],
  ["we'll have two of the house red", order(o('Red Wine', 2))],
  ['and a lemonade for the little one', order(o('Lemonade'))],
  ['bring us three more tequilas', order(o('Tequila', 3))],
  ['oh make it four actually', { kind: 'set_quantity', quantity: 4 }],
  ['sorry, I meant one', { kind: 'set_quantity', quantity: 1 }],
  ['please remove the two martinis', { kind: 'remove', item: 'Martini' }],
  ['cancel one of the beers', { kind: 'remove', item: 'Tap Beer', quantity: 1 }],
  ['clear the tab', { kind: 'cancel_all' }],
  ['same for my friend', { kind: 'repeat_last', quantity: 1 }],
  ['again!', { kind: 'repeat_round' }],
  ['tip fifteen', { kind: 'tip', percent: 15 }],
  ['10% is good', { kind: 'tip', percent: 10 }],
  ['no gratuity please', { kind: 'tip', percent: null }],
  ['what is the total so far', { kind: 'bill' }],
  ['bill please', { kind: 'bill' }],
  ['I want to pay now', { kind: 'pay' }],
  ["let's close out", { kind: 'pay' }],
  ['stop the payment', { kind: 'cancel_payment' }],
  ['is it paid yet?', { kind: 'payment_status' }],
  ['do I still have money left', { kind: 'balance' }],
  ["what's on my order", { kind: 'show_order' }],
  ['what do you suggest for someone who likes sweet drinks', { kind: 'recommend', preference: 'fruity', surprise: false }],
  ["I'm the designated driver tonight", { kind: 'recommend', preference: 'sober', surprise: false }],
  ['show me the drinks', { kind: 'menu' }],
  ['do you have any rum?', { kind: 'ask_drink', items: [o('Rum')] }],
  ["what's a negroni?", { kind: 'drink_talk', item: 'Negroni' }],
  ['I used to drink martinis with my dad', { kind: 'drink_talk', item: 'Martini' }],
  ['can I have a mai tai', { kind: 'unknown_drink', name: 'mai tai' }],
  ['a wine please', { kind: 'clarify', about: 'wine' }],
  ['ok sure', { kind: 'yes' }],
  ['no, thank you', { kind: 'no' }],
  ['wow, you make a mean mojito', { kind: 'praise' }],
  ['is it always this busy?', { kind: 'small_talk' }],
];
