/**
 * What guests say to a bartender, as weighted sentences, for the recogniser's language model.
 *
 * Why: a closed grammar rejects every natural phrasing it did not list ("yeah okay two beers",
 * "one mojito and one gin on the rocks"). A statistical model estimated from many template
 * sentences (orders, corrections, swaps, tips, paying, price questions, yes/no, chat, fillers)
 * accepts new combinations of familiar pieces and still prefers bar talk over anything else.
 *
 * The seam: `recogniserVocabulary(menu)` is the ONE function that turns a menu into the words the
 * recogniser must know (drink forms with plurals, modifiers, preferences); everything else here is
 * templates over that vocabulary. When the menu becomes a file, only its loader changes.
 */
import { MENU, MODIFIERS, PREFERENCES, normalizeName } from '../../../shared/menu.ts';
import type { MenuItem } from '../../../shared/menu.ts';
import { UTTERANCES } from '../../conversation/brain/utterances.table.ts';

/** What the recogniser needs of a menu item (structured-cloned to the speech workers). */
export type SpokenMenuItem = Pick<MenuItem, 'name' | 'category' | 'aliases'>;

export interface BarMenu {
  readonly items: readonly SpokenMenuItem[];
  readonly modifiers: readonly string[];
  readonly preferences: readonly string[];
}

/** The recogniser's menu for a list of items (the live menu's, in the speech workers). */
export function barMenu(items: readonly SpokenMenuItem[]): BarMenu {
  return { items, modifiers: MODIFIERS, preferences: PREFERENCES.filter((p) => p !== 'any') };
}

export const DEFAULT_BAR_MENU: BarMenu = barMenu(MENU);

/** The words of the bar: every spoken drink form (singular and plural), modifiers, preferences. */
export interface RecogniserVocabulary {
  /** Singular spoken forms, e.g. "old fashioned", "beer", "glass of red". */
  readonly drinks: readonly string[];
  /** Plural spoken forms, e.g. "old fashioneds", "beers". */
  readonly drinkPlurals: readonly string[];
  /** Names guests use for a kind of drink: "cocktail", "wine"... (not orders on their own). */
  readonly categories: readonly string[];
  readonly modifiers: readonly string[];
  readonly preferences: readonly string[];
}

function pluralOf(phrase: string): string {
  const words = phrase.split(' ');
  const last = words.at(-1) ?? phrase;
  const p = /(s|sh|ch|x)$/.test(last)
    ? `${last}es`
    : /[^aeiou]y$/.test(last)
      ? `${last.slice(0, -1)}ies`
      : `${last}s`;
  return [...words.slice(0, -1), p].join(' ');
}

/**
 * THE menu → recogniser vocabulary function (the menu-as-a-file issue replaces only its input).
 * `knows(word)` says whether the recogniser can pronounce a word; forms with an unknown word are
 * left out (the menu's misspelt aliases, e.g. "daquiri", exist for typed text, not for speech).
 */
export function recogniserVocabulary(
  menu: BarMenu = DEFAULT_BAR_MENU,
  knows: (word: string) => boolean = () => true,
): RecogniserVocabulary {
  const speakable = (phrase: string) => /^[a-z ]+$/.test(phrase) && phrase.split(' ').every(knows);
  const singular = new Set<string>();
  for (const item of menu.items)
    for (const form of [item.name, ...item.aliases].map(normalizeName))
      if (speakable(form)) singular.add(form);
  const drinks = [...singular].sort();
  // "glass of red" has no natural plural ("two glasses of red" comes from the container templates).
  const drinkPlurals = drinks
    .filter((d) => !d.includes(' of '))
    .map(pluralOf)
    .filter(speakable);
  const categories = [
    ...new Set(menu.items.map((i) => normalizeName(i.category).replace(/s$/, ''))),
  ].filter((c) => speakable(c) && speakable(pluralOf(c)));
  return {
    drinks,
    drinkPlurals,
    categories: [...new Set([...categories, 'cocktail', 'drink', 'beer', 'wine'])],
    modifiers: menu.modifiers.filter(speakable),
    preferences: menu.preferences.filter(speakable),
  };
}

/** The language model's word classes: any drink form, singular or plural (see languageModel.ts). */
export function drinkClasses(vocab: RecogniserVocabulary): ReadonlyMap<string, readonly string[]> {
  return new Map([
    ['<drink>', vocab.drinks],
    ['<drinks>', vocab.drinkPlurals],
  ]);
}

/** One sentence of the corpus and how many times it counts. */
/** Stands for any word the recogniser does not know (compiled to a phone loop). */
export const UNKNOWN_WORD = '<unk>';

export type CorpusSentence = readonly [text: string, count: number];

export const defaultCorpusOptions = {
  /** Sampled sentences per template family (orders get several families). */
  samplesPerFamily: 1500,
  /** PRNG seed: the corpus (and so the model) is the same on every start. */
  seed: 14,
  /** Count of each guest phrasing from the brain's understanding table. */
  brainTableCount: 3,
  /** Weight of the answers to a read-back ("yes", "no thanks") among the template families. */
  answers: 0.7,
};
export type CorpusOptions = typeof defaultCorpusOptions;

/** Contractions guests say either way, and their full forms. */
const CONTRACTIONS: readonly (readonly [short: string, long: string])[] = [
  ["i'll", 'i will'],
  ["i'd", 'i would'],
  ["we'll", 'we will'],
  ["we'd", 'we would'],
  ["i'm", 'i am'],
  ["what's", 'what is'],
  ["that's", 'that is'],
  ["it's", 'it is'],
];
const onWords = (text: string, from: string, to: string) =>
  ` ${text} `.replaceAll(` ${from} `, ` ${to} `).trim();
const expanded = (text: string) =>
  CONTRACTIONS.reduce((t, [short, long]) => onWords(t, short, long), text);
const contracted = (text: string) =>
  CONTRACTIONS.reduce((t, [short, long]) => onWords(t, long, short), text);

/** Modifiers said before the drink as well as after it ("a dirty martini", "a double whiskey"). */
const PRENOMINAL_MODIFIERS: ReadonlySet<string> = new Set(['double', 'dirty', 'dry', 'perfect']);

const QUANTITY_WORDS = ['two', 'three', 'four', 'five', 'six'] as const;
const TIP_PERCENTS = ['ten', 'fifteen', 'twenty', 'five', 'eighteen', 'twenty five'] as const;
const FILLERS = [
  'yeah',
  'okay',
  'ok',
  'um',
  'uh',
  'so',
  'yes',
  'hi',
  'hey',
  'hello',
  'well',
  'alright',
  'right',
  'oh',
  'hmm',
  'yeah so',
  'okay so',
  'um so',
  'yeah um',
  'okay um',
  'hi there',
  'hey maya',
  'hi maya',
  'excuse me',
  'actually',
  'and',
  'yeah and',
  'oh and',
] as const;
const WANTS = [
  "i'd like",
  'i would like',
  "i'll have",
  'i will have',
  "i'll take",
  'can i get',
  'can i have',
  'could i get',
  'could i have',
  'can we get',
  'could we get',
  'can we have',
  'give me',
  'get me',
  'i want',
  'let me get',
  'let me have',
  "let's get",
  "let's have",
  "we'll have",
  "we'd like",
  'may i have',
  "i'll go with",
  "i'll grab",
  'can i grab',
  "i'm going to have",
  "i think i'll have",
  "i'll try",
  'i need',
  'just',
  'how about',
  'bring me',
  'we will have',
  "i'd love",
] as const;
const CLOSERS = [
  'please',
  'thanks',
  'thank you',
  'for me',
  'for me please',
  'please thanks',
  'thanks maya',
  'please maya',
  'for my friend',
  'for the table',
  'for us',
  'if you can',
  'when you get a chance',
  'thank you very much',
  'cheers',
] as const;
const CONTAINERS = ['glass', 'pint', 'bottle', 'shot', 'round'] as const;

/** Deterministic PRNG (mulberry32), so the corpus never changes between starts. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ways to say yes to a read-back ("Just to check — two IPAs?"), as the corpus has them. */
export const YES_ANSWERS: readonly string[] = [
  'yes',
  'yeah',
  'yep',
  'yup',
  'sure',
  'correct',
  "that's right",
  'right',
  'exactly',
  'yes please',
  'yeah please',
  "yes that's right",
  "yeah that's it",
  'sounds good',
  'perfect',
  'great',
  'uh huh',
  'mhm',
  'absolutely',
  'of course',
  'go ahead',
  'please do',
];
/**
 * Sounds of agreement in YES_ANSWERS the brain does not take as a yes on their own ("mhm" may be
 * thinking aloud): the answer listen never returns them.
 */
export const VAGUE_YESES: readonly string[] = ['great', 'uh huh', 'mhm'];
/** Ways to say no to a read-back. */
export const NO_ANSWERS: readonly string[] = [
  'no',
  'nope',
  'no thanks',
  "no that's wrong",
  'not quite',
  "that's not right",
  'no way',
  'nah',
  'wrong',
  'not that',
  "no that's not it",
  'no thank you',
];
/** Ways to say the round is complete ("anything else?"). */
const DONE_ANSWERS: readonly string[] = [
  "that's all",
  "that's it",
  'nothing else',
  "i'm good",
  "i'm done",
  "that's everything",
];

/** The guest corpus: sentences with counts. Words are lower case, apostrophes kept ("i'd"). */
export function guestCorpus(
  vocab: RecogniserVocabulary = recogniserVocabulary(),
  options: Partial<CorpusOptions> = {},
): CorpusSentence[] {
  const { charges, talk } = guestCorpusByKind(vocab, options);
  const out = new Map(charges);
  for (const [text, count] of talk) out.set(text, (out.get(text) ?? 0) + count);
  return [...out.entries()];
}

/** What a sentence of the corpus does: asks for drinks to be charged (or changed), or anything else. */
export type CorpusKind = 'charges' | 'talk';

/**
 * The guest corpus split by what each sentence does: orders, repeats, corrections and swaps
 * ('charges') apart from questions, tips, the bill, answers and chat ('talk'). Two models estimated
 * from the halves tell how much a heard sentence sounds like an order (see orderOdds).
 */
export function guestCorpusByKind(
  vocab: RecogniserVocabulary = recogniserVocabulary(),
  options: Partial<CorpusOptions> = {},
): Record<CorpusKind, CorpusSentence[]> {
  const o = { ...defaultCorpusOptions, ...options };
  const rand = rng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const maybe = <T>(p: number, xs: readonly T[]): T | '' => (rand() < p ? pick(xs) : '');
  const join = (...parts: string[]) => parts.filter(Boolean).join(' ');
  /** The end of a request: now and then two closers ("for me, thanks", "please, cheers"). */
  const closing = (p: number): string =>
    rand() < p ? join(pick(CLOSERS), maybe(0.2, CLOSERS)) : '';
  const article = (word: string) => (/^[aeiou]/.test(word) && !word.startsWith('one') ? 'an' : 'a');

  const drink = () => pick(vocab.drinks);
  const plural = () => pick(vocab.drinkPlurals);
  /** One drink with its own article ("an old fashioned", "a margarita"). */
  const aDrink = () => {
    const d = drink();
    return `${article(d)} ${d}`;
  };
  const modifier = () => pick(vocab.modifiers);
  const pref = () => pick(vocab.preferences);

  // Modifiers that also stand before the drink, as adjectives do: "a dirty martini", "two dry gins".
  const prenominal = vocab.modifiers.filter((m) => PRENOMINAL_MODIFIERS.has(m));
  /** One item: "a mojito", "two old fashioneds on the rocks", "a glass of red wine", "another beer". */
  const item = (): string => {
    const r = rand();
    const mod = maybe(0.15, vocab.modifiers);
    const before = prenominal.length ? maybe(0.1, prenominal) : undefined;
    if (before && r < 0.75) {
      if (r < 0.5) return join(article(before), before, drink());
      return join(pick(QUANTITY_WORDS), before, plural());
    }
    if (r < 0.4) {
      const d = drink();
      return join(article(d), d, mod);
    }
    if (r < 0.5) return join('one', drink(), mod);
    if (r < 0.75) return join(pick(QUANTITY_WORDS), plural(), mod);
    if (r < 0.8) return join(pick(['another', 'one more']), drink(), mod);
    if (r < 0.85) return join('a', pick(CONTAINERS), 'of', drink());
    if (r < 0.88)
      return join(
        pick(QUANTITY_WORDS),
        pick(['glasses', 'pints', 'shots', 'bottles']),
        'of',
        drink(),
      );
    if (r < 0.91) return join('a', 'couple', 'of', plural());
    if (r < 0.94) return join(pick(QUANTITY_WORDS), 'more', plural());
    if (r < 0.97) return join('a', 'double', drink());
    return drink();
  };
  const items = (): string => {
    const r = rand();
    if (r < 0.65) return item();
    if (r < 0.92) return join(item(), pick(['and', 'and', 'and', 'plus', 'with']), item());
    return join(item(), item(), 'and', item());
  };

  const out: Record<CorpusKind, Map<string, number>> = { charges: new Map(), talk: new Map() };
  const add = (kind: CorpusKind, text: string, count = 1) => {
    const t = text.replace(/\s+/g, ' ').trim();
    if (!t) return;
    // Guests say "i will take" as often as "i'll take": a sentence is had in both forms.
    for (const form of new Set([t, contracted(t), expanded(t)]))
      out[kind].set(form, (out[kind].get(form) ?? 0) + count);
  };
  const family = (kind: CorpusKind, weight: number, make: () => string) => {
    const n = Math.round(o.samplesPerFamily * weight);
    for (let i = 0; i < n; i++) add(kind, make());
  };

  // ---- orders (most of what a bartender hears)
  family('charges', 3, () => join(maybe(0.3, FILLERS), maybe(0.8, WANTS), items(), closing(0.35)));
  family('charges', 1, () => join(maybe(0.2, FILLERS), items(), closing(0.5)));
  family('charges', 0.4, () =>
    join(
      maybe(0.3, FILLERS),
      pick(["i'll have", 'can i get', 'make it', "i'd like", 'give me']),
      pick(['another', 'one more', 'another round', 'the same again', 'same again', 'another one']),
      closing(0.4),
    ),
  );
  family('talk', 0.3, () =>
    join(
      maybe(0.3, FILLERS),
      pick([
        'what do you recommend',
        'what would you recommend',
        "what's good",
        "what's good here",
        'surprise me',
        'any recommendations',
        "what's on the menu",
        'what do you have',
        'can i see the menu',
        'something ' + pref(),
        'i want something ' + pref(),
        'recommend something ' + pref(),
        "i'd like something " + pref(),
        'give me something ' + pref(),
        'what is good tonight',
      ]),
    ),
  );

  // ---- corrections and swaps
  family('charges', 0.6, () =>
    join(
      maybe(0.5, ['no', 'actually', 'sorry', 'oh wait', 'wait', 'no no', 'oops']),
      pick([
        `make that ${pick([...QUANTITY_WORDS, 'one'])}`,
        `make it ${pick([...QUANTITY_WORDS, 'one'])}`,
        'make it a double',
        'make that a double',
        `make it ${modifier()}`,
        `make that ${aDrink()}`,
        `change the ${drink()} to ${aDrink()}`,
        `swap the ${drink()} for ${aDrink()}`,
        `instead of the ${drink()} can i get ${aDrink()}`,
        `i said ${pick(QUANTITY_WORDS)} ${plural()}`,
        `not ${aDrink()} ${aDrink()}`,
        `cancel the ${drink()}`,
        `remove the ${drink()}`,
        `take off the ${drink()}`,
        `take the ${drink()} off my tab`,
        `forget the ${drink()}`,
        `drop the ${drink()}`,
        `remove one ${drink()}`,
        `cancel one of the ${plural()}`,
        'cancel that',
        'scratch that',
        'never mind',
        'cancel that last one',
        'remove the last one',
        'cancel my order',
        'i changed my mind',
        `i don't want the ${drink()}`,
        `${modifier()} please`,
        // After a pause: only how to serve the drink just ordered ("…stirred", "…and dirty please").
        modifier(),
        `and ${modifier()}`,
        `${modifier()} thanks`,
        `can you make it ${modifier()}`,
        `the ${drink()} ${modifier()}`,
      ]),
    ),
  );

  // ---- tips
  family('talk', 0.5, () =>
    join(
      maybe(0.3, FILLERS),
      pick([
        `add a ${pick(TIP_PERCENTS)} percent tip`,
        `${pick(TIP_PERCENTS)} percent tip`,
        `leave a ${pick(TIP_PERCENTS)} percent tip`,
        `tip ${pick(TIP_PERCENTS)} percent`,
        `make the tip ${pick(TIP_PERCENTS)} percent`,
        `let's do ${pick(TIP_PERCENTS)} percent`,
        `${pick(TIP_PERCENTS)} percent please`,
        `i'll tip ${pick(TIP_PERCENTS)} percent`,
        `put a ${pick(TIP_PERCENTS)} percent tip on it`,
        `give a ${pick(TIP_PERCENTS)} percent tip`,
        `${pick(TIP_PERCENTS)} percent`,
        'no tip',
        'no tip thanks',
        'remove the tip',
        'no tip please',
        'take off the tip',
      ]),
      closing(0.3),
    ),
  );

  // ---- the bill and paying
  family('talk', 0.5, () =>
    join(
      maybe(0.3, FILLERS),
      pick([
        'can i get the bill',
        'can i have the check',
        'could i get the bill',
        'check please',
        'bill please',
        "i'd like to pay",
        'i want to pay',
        'can i pay now',
        'pay my bill',
        'let me pay',
        'how do i pay',
        "what's my total",
        'what do i owe',
        'how much do i owe',
        "what's my tab",
        "what's my balance",
        'close my tab',
        "i'm ready to pay",
        'can we pay',
        'the check please',
        'what did i order',
        'show me my order',
        "what's on my tab",
        'how much is my tab',
        'pay now',
        "let's settle up",
        'can i settle up',
        'bring me the bill',
      ]),
      closing(0.3),
    ),
  );

  // ---- questions about drinks (never orders)
  family('talk', 0.6, () =>
    join(
      maybe(0.3, FILLERS),
      pick([
        `how much is ${aDrink()}`,
        `how much is the ${drink()}`,
        `how much are the ${plural()}`,
        `how much are ${plural()}`,
        `how much does ${aDrink()} cost`,
        `what does ${aDrink()} cost`,
        `what's the price of ${aDrink()}`,
        `is the ${drink()} expensive`,
        `do you have ${drink()}`,
        `do you have any ${plural()}`,
        `what's in ${aDrink()}`,
        `what's in the ${drink()}`,
        `is the ${drink()} strong`,
        `is ${aDrink()} sweet`,
        `what kind of ${pick(vocab.categories)} do you have`,
        `what ${pluralOf(pick(vocab.categories))} do you have`,
        `do you serve ${plural()}`,
        `do you do ${plural()}`,
        `can you make ${aDrink()}`,
        `what goes in ${aDrink()}`,
        `how strong is the ${drink()}`,
        `how do you make ${aDrink()}`,
        `is there alcohol in the ${drink()}`,
      ]),
    ),
  );

  // ---- yes / no (answers to a read-back)
  family('talk', o.answers, () =>
    join(
      pick([...YES_ANSWERS, ...NO_ANSWERS, ...DONE_ANSWERS]),
      maybe(0.2, ['thanks', 'thank you', 'please', 'maya']),
    ),
  );

  // ---- chat and remarks (heard, answered, never charged)
  family('talk', 0.8, () =>
    join(
      maybe(0.2, FILLERS),
      pick([
        'how are you',
        "how's it going",
        'good evening',
        'good morning',
        'good afternoon',
        'nice to meet you',
        "what's your name",
        'what time do you close',
        'when do you close',
        'what time is it',
        'tell me a joke',
        'tell me about yourself',
        'i had a long day',
        'this place is nice',
        'i like this bar',
        'where is the bathroom',
        'where are the restrooms',
        'is it busy tonight',
        "it's my birthday",
        'thanks',
        'thank you',
        'cheers',
        'goodbye',
        'bye',
        'see you later',
        'good night',
        'have a good night',
        'you are great',
        "you're funny",
        'what music is this',
        'can you turn it up',
        'i am waiting for a friend',
        'my friend is coming',
        "what's the wifi password",
        'do you take cards',
        'can i pay by card',
        'are you a robot',
        'who made you',
        'how long have you been here',
        "i'm just looking",
        'give me a minute',
        'let me think',
        'hold on',
        'one second',
        'i need a minute',
        'not yet',
        'maybe later',
        "i don't know",
        "i'm not sure",
        'what',
        'sorry',
        'pardon',
        'say that again',
        'can you repeat that',
        'how does this work',
        'i love it',
        'that was good',
        'the drink was great',
        "it's too strong",
        'it is too sweet',
        'can i get some ice',
        'where are you from',
      ]),
      maybe(0.2, ['maya', 'thanks', 'please']),
    ),
  );

  // ---- an off-menu drink (the phone loop stands in for it): heard, never charged as something else
  family('charges', 0.3, () =>
    join(
      maybe(0.3, FILLERS),
      maybe(0.8, WANTS),
      pick(['a', 'an', 'two', 'some', 'one']),
      UNKNOWN_WORD,
      closing(0.3),
    ),
  );

  // ---- the brain's understanding table: real phrasings it was written against
  for (const [utterance, intent] of UTTERANCES)
    add(
      CHARGING_INTENTS.has(intent.kind) ? 'charges' : 'talk',
      spokenForm(utterance),
      o.brainTableCount,
    );
  return { charges: [...out.charges.entries()], talk: [...out.talk.entries()] };
}

/** Intents of the brain's table that put drinks on the tab or change them. */
const CHARGING_INTENTS: ReadonlySet<string> = new Set([
  'order',
  'swap',
  'set_quantity',
  'modify_last',
  'repeat_last',
  'repeat_round',
  'remove',
  'cancel_last',
  'cancel_all',
]);

const DIGITS: Readonly<Record<string, string>> = {
  0: 'zero',
  1: 'one',
  2: 'two',
  3: 'three',
  4: 'four',
  5: 'five',
  6: 'six',
  7: 'seven',
  8: 'eight',
  9: 'nine',
  10: 'ten',
  12: 'twelve',
  15: 'fifteen',
  18: 'eighteen',
  20: 'twenty',
  25: 'twenty five',
  30: 'thirty',
};

/** Typed text as a guest would say it: lower case, digits as words, no punctuation except apostrophes. */
export function spokenForm(text: string): string {
  return text
    .toLowerCase()
    .replace(/%/g, ' percent')
    .replace(/\$(\d+)/g, '$1 dollars')
    .replace(/\b\d+\b/g, (d) => DIGITS[d] ?? d)
    .replace(/[’]/g, "'")
    .replace(/[^a-z' ]+/g, ' ')
    .replace(/(^| )'+|'+( |$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
