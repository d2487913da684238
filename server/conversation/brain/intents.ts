/**
 * Understanding a guest's words: text → a speech act and one intent with its slots. Deterministic and
 * fast (regexes over normalised text); the menu module supplies every drink name and alias. The order
 * of checks matters and is the point: paying before the bill ("pay my bill"), cancelling a payment
 * before cancelling a drink, praise of a drink before an order of it.
 */
import { BUNDLED_MENU } from '../../../shared/menu.ts';
import type { Menu, MenuCategory, Modifier, Preference } from '../../../shared/menu.ts';
import { NUMBER_PATTERN, QUANTITY_FILLERS, numberBefore, parseNumber } from './numbers.ts';
import { afterCourtesy, classifySpeechAct, isExplicitRequest } from './speechActs.ts';
import { offMenuFor } from './cousins.ts';
import type { OffMenu } from './cousins.ts';
import type { SpeechAct } from './speechActs.ts';
import { onlyStalls } from './stall.ts';
import { NOT_WHOLE_COUNT, prepare } from '../understanding/text.ts';
import { drinkNameReaderFor } from '../understanding/drinkNames.ts';
import type { DrinkNameReader, DrinkNameReading } from '../understanding/drinkNames.ts';
import {
  COMPARE,
  ON_THE_HOUSE,
  OVERDID,
  PRICE,
  WHATS_IN_LAST,
} from '../understanding/questions.ts';
import { swapOf } from '../understanding/swaps.ts';

export type { Intent, IntentKind, OrderSlot } from './intent.ts';
import type { Intent, OrderSlot } from './intent.ts';

/** "for my sister", "for her", "for the kid" right after a drink (not "for the four of us", a round). */
const SLOT_RECIPIENT =
  /^\s*(?:please )?for (her|him|them|everyone|everybody|the table|(?:my|our|the) (?!\w+ of us)(?:\w+ ){0,2}\w+)\b/;

export interface Understanding {
  act: SpeechAct;
  intent: Intent;
  /** Folded word → as the guest wrote it ("pina" → "piña"), to say names back the way they were typed. */
  written?: ReadonlyMap<string, string>;
  /** Drink names read as a near menu name ("negronni" → "negroni"). */
  corrections?: { said: string; form: string }[];
  /**
   * A question about drinks asked in the same typed turn as an order, before or after it ("a mojito
   * please, and what's in a negroni?"): `intent` is the order, this the question, answered after it.
   */
  also?: Intent;
  /** The words of that question alone, which its answer is chosen from. */
  alsoSaid?: string;
}

const has = (t: string, re: RegExp) => re.test(t);
const N = NUMBER_PATTERN;

// ---- modifiers ------------------------------------------------------------------------------------

const MODIFIER_PHRASES: readonly [RegExp, Modifier][] = [
  [/\b(on the rocks|over ice|with ice|rocks)\b/, 'on the rocks'],
  [/\b(neat|straight up|straight|no ice)\b/, 'neat'],
  [/\bshaken\b/, 'shaken'],
  [/\bstirred\b(?! not shaken)/, 'stirred'],
  [/\b(extra )?dry\b/, 'dry'],
  [/\bdirty\b/, 'dirty'],
  [/\bperfect\b/, 'perfect'],
  [/\b(with a chaser|chaser)\b/, 'with a chaser'],
  [/\b(double|doubles|make it a double)\b/, 'double'],
];

/** Words that may stand around modifiers in a fragment that is only a modifier ("and stirred please"). */
const FRAGMENT_WORDS =
  /\b(and|also|too|please|thanks|thank you|make|made|it|that|them|those|mine|both|all|a|an|the|but|oh|um|uh|er|yeah|yes|actually|just|one|ones|with|of course|i|like|would|d|want|prefer)\b/g;

/**
 * A fragment that says only how to serve ("on the rocks", "and stirred please", "dirty, thanks"):
 * said after a pause or a turn, it is about the drink just ordered.
 */
export function onlyModifiers(text: string): boolean {
  let t = text;
  for (const [re] of MODIFIER_PHRASES) t = t.replace(new RegExp(re.source, 'g'), ' ');
  return t.replace(FRAGMENT_WORDS, ' ').trim() === '' && findModifiers(text).length > 0;
}

export function findModifiers(text: string): Modifier[] {
  const t = text
    .replace(/\bnot stirred\b/g, '')
    .replace(/\bnot shaken\b/g, '')
    .replace(/\bstirred not shaken\b/g, 'stirred');
  return [...new Set(MODIFIER_PHRASES.filter(([re]) => re.test(t)).map(([, m]) => m))].sort();
}

// ---- drinks ---------------------------------------------------------------------------------------

interface Found {
  start: number;
  end: number;
  form: string;
  item: string;
}

/** What understanding reads a menu by: its forms, its drink-name reader, the drinks it does not serve. */
export interface Lexicon {
  readonly menu: Menu;
  readonly readDrinkNames: DrinkNameReader;
  readonly offMenu: OffMenu;
  /** The last texts located: a turn asks about the same few strings several times. */
  readonly located: Map<string, Found[]>;
}
const lexicons = new WeakMap<Menu, Lexicon>();

/** The lexicon of a menu (made once per menu). */
export function lexiconOf(menu: Menu): Lexicon {
  let lex = lexicons.get(menu);
  if (!lex) {
    lex = {
      menu,
      readDrinkNames: drinkNameReaderFor(menu),
      offMenu: offMenuFor(menu),
      located: new Map(),
    };
    lexicons.set(menu, lex);
  }
  return lex;
}
const LOCATED_CACHE_SIZE = 64;

/** Menu forms in the text, longest first, without overlaps, in the order said. */
function locateDrinks(lex: Lexicon, t: string): readonly Found[] {
  const located = lex.located;
  const hit = located.get(t);
  if (hit) return hit;
  const found = locateDrinksUncached(lex, t);
  if (located.size >= LOCATED_CACHE_SIZE) located.delete(located.keys().next().value!);
  located.set(t, found);
  return found;
}

function locateDrinksUncached(lex: Lexicon, t: string): Found[] {
  let rest = ` ${t} `;
  const found: Found[] = [];
  for (const [form, item] of lex.menu.forms) {
    if (!rest.includes(form)) continue;
    const re = new RegExp(`(?<= )${form}(?= )`, 'g');
    let m: RegExpExecArray | null;
    while ((m = re.exec(rest))) {
      found.push({ start: m.index - 1, end: m.index - 1 + form.length, form, item: item.name });
      rest = rest.slice(0, m.index) + '#'.repeat(form.length) + rest.slice(m.index + form.length);
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

const SEPARATOR = /\b(and|plus|also|with a side of|then)\b|,/g;

/**
 * The parts after a drink's own clause that say only how to serve it ("a gin and a rocks", "a
 * whiskey and neat please", "a vodka and make it a double"): separated from the drink by "and" or a
 * comma, they belong to no other drink. The last part before the next drink is that drink's own
 * ("a whiskey and a double gin"); after the last drink, every part up to the end is this one's.
 */
function servingsAfter(afterAll: string, lastDrink: boolean): string {
  // Split keeps what SEPARATOR's group caught at the odd places: the parts are at the even ones.
  const parts = afterAll.split(SEPARATOR).filter((_, k) => k % 2 === 0);
  const theirs = parts.slice(1, lastDrink ? parts.length : -1);
  const served: string[] = [];
  for (const part of theirs) {
    if (part.trim() === '') continue;
    if (!onlyModifiers(part)) break;
    served.push(part);
  }
  return served.join(' ');
}

/**
 * Words right before a drink that refuse it: "no beer", "not a gin", "I don't want a whiskey", "not
 * in the mood for beer", "a water instead of a beer". Refusing a drink on the tab ("I don't want the
 * soda") beside one wanted is a swap; alone, the removal rules read it. A bare "no a whiskey" is a
 * repair, below.
 */
const REFUSAL_BEFORE = new RegExp(
  `(?:^| )(?<!(?:^| )(?:an?|the) )(?:no(?: more)?|(?<!why )not(?: an?| any| the| my)?|(?:(?:i|we) )?(?:don t|do not|won t|will not|doesn t|does not) (?:want|need|feel like|fancy)(?: an?| any| more| the| my| that| ${N})?|(?:i m |we re )?(?:not in the mood for|not feeling|done with|sick of|tired of)(?: an?| any| more| the)?|(?:instead of|rather than)(?: an?| the| ${N})?|(?:skip|pass on|hold|forget(?: about)?)(?: the| my| an?)?) $`,
);

/**
 * The drink just ordered, asked not to be made after all: a verb of making it, negated, with a
 * pronoun for it, and nothing after but "after all", "then", "please" ("wait, don't make that",
 * "don't bother pouring it", "no need to make those"). "don't make it too strong" asks for more.
 */
const UNMAKE_LAST =
  /(?:^| )(?:don t|do not|no need to|you don t need to|you can skip)(?: bother(?: with)?)?(?: (?:make|making|pour|pouring|mix|mixing|serve|serving|bring|bringing|ring|ringing))? (?:that|it|this|those|them)(?: one| up| in| through)?(?: (?:after all|then|actually|anymore|any more|please|thanks|sorry))*$/;

/** The first words of a question after a kind of drink: "what's non alcoholic", "got any wines". */
const KIND_ASKED =
  /^(?:(?:so|and|um|uh|ok|okay|hey) )*(?:what s|what is|what are|which|anything|got any(?:thing)?|any|is there anything|do you (?:have|do|serve|make) any(?:thing)?|have you got any(?:thing)?)\b/;

/** Asking what there is left to spend, in other words than the balance's own. */
const MONEY_QUESTION =
  /\b(?:can|could) (?:i|we) (?:still |really )?afford\b|\bhow (?:am i|are we|m i) doing (?:on|for|with) (?:money|cash|funds|budget)\b/;
/** How many drinks the guest has had or ordered. */
const HOW_MANY_HAD =
  /^(?:(?:so|and|um|uh|wait|hey) )*how many (?:\w+ )?(?:have|did|do) (?:i|we) (?:had|have|ordered|order|got|get)\b/;

/** A request for more of the last drink, put on the tab. */
const MORE_ON_THE_TAB = new RegExp(
  `\\b(?:put|add|stick|get|give|pour|bring)(?: me| us)? (?:another(?: one)?|one more|${N} more)\\b`,
);

/**
 * "what's the cheapest beer", "your priciest cocktail": a kind of drink asked after by its price,
 * which the kind's list with prices answers. (The strongest or the best is a recommendation.)
 * Group 1: the kind.
 */
const SUPERLATIVE_KIND =
  /\b(?:cheapest|priciest|most expensive|least expensive)(?: \w+)? (beers?|cocktails?|wines?|spirits?|shots?)\b/;

/** A count said against the one it replaces: "not two, three" (group 2), "three, not two" (group 3). */
const NOT_THAT_COUNT = new RegExp(
  `^(?:(?:no|oh|sorry|wait|actually) )*(?:not ${N} (?:but |it s |make it )?${N}|${N} not ${N})(?: please| thanks| of them)?$`,
);
/** "one less", "make it two fewer": a count taken off, said alone. */
const FEWER_ALONE = new RegExp(
  `^(?:(?:oh|ok|okay|actually|sorry|wait|make it|make that|just) )*${N} (?:less|fewer)(?: (?:please|thanks|then|of them|of those))*$`,
);

/** "… and one for my wife" after a drink: a count of it for someone else. Group 1: the count. */
const MORE_FOR_SOMEONE = new RegExp(
  `\\band (another|${N})(?: more)? for (?:me|him|her|them|us|(?:my|the|our|his|her) \\w+)\\b`,
  'g',
);

/** A count said after its drink and pointing back at it: "…, two of them". */
const COUNT_OF_THEM = new RegExp(
  `^ (?:(?:please|yeah|so|um|uh|make it|make that|let s say|say) )*${N} of (?:them|those|these|em)\\b`,
);

/** Kinds of drink a guest may refuse by name: "no cocktails for me", "skip the wine". */
const REFUSED_KIND = /\b(?:cocktails?|beers?|wines?|spirits|shots?|liquor|booze|alcohol)\b/g;

/** A count, an article or a size said before a drink. */
const COUNT_OR_SIZE = `an?|double|large|small|${N}`;

/**
 * What a guest says between a drink and the one that replaces it, in the same breath: "a beer, no,
 * a whiskey", "two gins sorry three gins", "a vodka i mean a rum". Only these words and a count
 * stand between the two drinks, so "a beer and no wait a whiskey too" is not a repair.
 */
const REPAIR_BETWEEN = new RegExp(
  `^( (?:(?:no|nope|sorry|wait|hang on|oh|i mean|i meant|or rather|rather|actually|make that|make it|scratch that|uh|um|er|erm) )+)(?:(?:${COUNT_OR_SIZE}) ){0,2}$`,
);
/** Hesitations may stand in a repair ("a red wine, uh, I mean a white wine"), but do not make one. */
const HESITATIONS_ONLY = /^(?: (?:uh|um|er|erm|oh))+ $/;

/** Counts and servings said before a drink, which go with it when it is taken back. */
const COUNT_OR_SERVING = new RegExp(`^(?:${COUNT_OR_SIZE})$`);

/**
 * The text without the drinks a guest took back, when it also names one they want: refused ones
 * ("no beer for me tonight, just a water" → "for me tonight just a water"; "i don t want a whiskey
 * give me a brandy" → "give me a brandy") and repaired ones ("a beer, no, a whiskey" → "a
 * whiskey"). Undefined when nothing was taken back or nothing else is named: a refusal alone is left
 * to the removal rules, and a count said again for the same drink ("i don t want two beers, just
 * one beer") to the count rules.
 */
function withoutRetractedDrinks(
  lex: Lexicon,
  t: string,
): { text: string; refused: string[] } | undefined {
  const found = locateDrinks(lex, t);
  const taken: { start: number; end: number; item: string; refused: boolean }[] = [];
  for (const [i, f] of found.entries()) {
    const refusal = t.slice(0, f.start).match(REFUSAL_BEFORE);
    if (refusal?.index !== undefined) {
      taken.push({ start: refusal.index, end: f.end, item: f.item, refused: true });
      continue;
    }
    const next = found[i + 1];
    const repair = next && t.slice(f.end, next.start).replace(/,/g, ' ').match(REPAIR_BETWEEN);
    if (repair?.[1] && !HESITATIONS_ONLY.test(repair[1])) {
      // The reparandum goes with its count and serving; the repair keeps its own: "two gins sorry
      // three gins" → "three gins".
      let start = f.start;
      const words = t.slice(0, f.start).trimEnd().split(' ');
      for (let k = 0; k < 2 && words.length && COUNT_OR_SERVING.test(words.at(-1)!); k++)
        start -= words.pop()!.length + 1;
      const end = f.end + repair[1].length;
      taken.push({ start: Math.max(0, start), end, item: f.item, refused: false });
    }
  }
  // A kind of drink refused ("no cocktails for me", "skip the wine") goes the same way, where it is
  // not part of a drink's own name ("no red wine").
  for (const m of t.matchAll(REFUSED_KIND)) {
    const at = m.index ?? 0;
    const end = at + m[0].length;
    if (found.some((f) => f.start < end && at < f.end)) continue;
    const refusal = t.slice(0, at).match(REFUSAL_BEFORE);
    if (refusal?.index !== undefined)
      taken.push({ start: refusal.index, end, item: '', refused: false });
  }
  const kept = found.filter((f) => !taken.some((r) => r.start <= f.start && f.end <= r.end));
  if (taken.length === 0 || kept.length === 0) return undefined;
  const keptItems = new Set(kept.map((f) => f.item));
  if (taken.some((r) => r.refused && keptItems.has(r.item))) return undefined;
  let rest = t;
  for (const r of taken.toReversed()) rest = `${rest.slice(0, r.start)} ${rest.slice(r.end)}`;
  const refused = taken.filter((r) => r.refused).map((r) => r.item);
  return { text: rest.replace(/\s+/g, ' ').trim(), refused };
}

/** Words of a serving said before a drink ("on the rocks", "make it a double", "extra dry"). */
const SERVING_WORDS = new Set(
  'on the rocks over ice with no neat straight up shaken stirred not extra dry dirty perfect a chaser double doubles make it'.split(
    ' ',
  ),
);
/** Words that may stand between such a serving and its drink ("a double large whiskey", "dry, a martini"). */
const NOUN_PHRASE_WORDS = new Set(
  'a an the of glass glasses shot shots pint pints large small big nice cold good my your house uh um er'.split(
    ' ',
  ),
);

/**
 * The end of the words before a drink that can still belong to it: servings, counts and articles
 * run up to the drink, and anything else ends its phrase. "a dry please for the brandy" (heard for
 * "could i please have a brandy") leaves "dry" out; "a double large whiskey" keeps it.
 */
function drinkPhraseBefore(before: string): string {
  const words = before.trim().split(' ').filter(Boolean);
  let k = words.length;
  while (
    k > 0 &&
    (SERVING_WORDS.has(words[k - 1]!) ||
      NOUN_PHRASE_WORDS.has(words[k - 1]!) ||
      parseNumber(words[k - 1]!) !== undefined)
  )
    k--;
  return words.slice(k).join(' ');
}

/** Drinks named in the text, each with its quantity and the modifiers said around it. */
export function findDrinks(t: string, lex: Lexicon = lexiconOf(BUNDLED_MENU)): OrderSlot[] {
  const found = locateDrinks(lex, t);
  return found.map((f, i) => {
    const prevEnd = i > 0 ? found[i - 1]!.end : 0;
    const nextStart = i + 1 < found.length ? found[i + 1]!.start : t.length;
    // Before the drink: from the last separator after the previous drink. After: up to the next separator.
    const beforeAll = t.slice(prevEnd, f.start);
    const cut = [...beforeAll.matchAll(SEPARATOR)].at(-1);
    const before = cut ? beforeAll.slice((cut.index ?? 0) + cut[0].length) : beforeAll;
    const afterAll = t.slice(f.end, nextStart);
    const stop = afterAll.search(SEPARATOR);
    const after = stop >= 0 ? afterAll.slice(0, stop) : afterAll;
    const servedAs = servingsAfter(afterAll, i + 1 === found.length);
    const tokens = before.trim().split(' ').filter(Boolean);
    while (tokens.length && QUANTITY_FILLERS.has(tokens.at(-1)!) && !numberBefore(tokens))
      tokens.pop();
    const group = t.match(
      new RegExp(
        `\\b(?:for (?:the|all|all the|each of the)|there s|there are|we re|we are|there will be|it s) ${NUMBER_PATTERN} of us\\b`,
      ),
    );
    const groupSize = group?.[1] && /\bround\b/.test(t) ? parseNumber(group[1]) : undefined;
    const before_ = numberBefore(tokens);
    // "negative 3 beers" (typed "-3 beers") keeps its sign, so it is refused rather than charged.
    const negative =
      (before_ !== undefined && tokens[tokens.length - before_.used - 1] === 'negative') ||
      /\b(negative|minus) (number|amount|count) of\b/.test(before);
    // "negroni x 2" (typed "negroni x2"): the count after the drink.
    const times = after.match(new RegExp(`(?:^| )x ${NUMBER_PATTERN}\\b`));
    // "1.5 beers", "0.5 of a beer" (typed): no whole count, so it is refused rather than charged.
    const fraction = tokens.lastIndexOf(NOT_WHOLE_COUNT);
    const fractional =
      fraction >= 0 && tokens.slice(fraction + 1).every((w) => /^(of|a|an|the)$/.test(w));
    // "tequila, two of them", "a round of IPAs, three of those": the count after the drink, where
    // none (or only an article) was said before it.
    const ofThem =
      before_ === undefined || before_.value === 1 ? after.match(COUNT_OF_THEM)?.[1] : undefined;
    const ofThemCount = ofThem ? parseNumber(ofThem) : undefined;
    const said = times?.[1]
      ? parseNumber(times[1])
      : ofThemCount !== undefined && ofThemCount >= 2
        ? ofThemCount
        : fractional
          ? Number.NaN
          : negative
            ? -(before_?.value ?? 1)
            : before_?.value;
    // "one beer for me and one for my wife": each count for someone else, said without the drink, is
    // more of it.
    const forOthers = [...afterAll.matchAll(MORE_FOR_SOMEONE)].reduce(
      (n, m) => n + (m[1] === 'another' ? 1 : (parseNumber(m[1]!) ?? 0)),
      0,
    );
    // "a round of tequila for the five of us": the round is one each.
    const quantity =
      (groupSize !== undefined && (said === undefined || said === 1) ? groupSize : (said ?? 1)) +
      forOthers;
    const recipient = after
      .match(SLOT_RECIPIENT)?.[1]
      ?.replace(/ (please|thanks|too|as well)$/, '');
    return {
      item: f.item,
      quantity,
      modifiers: findModifiers(`${drinkPhraseBefore(before)} ${f.form} ${after} ${servedAs}`),
      ...(recipient ? { for: recipient } : {}),
    };
  });
}

// ---- the rules ------------------------------------------------------------------------------------

const PREFERENCE_WORDS: readonly [RegExp, Preference][] = [
  [
    /\b(sober|don t drink( alcohol)?|do not drink|no booze|non alcoholic|alcohol free|no alcohol|without alcohol|driving|virgin|mocktail|soft drink|designated driver|not drinking|pregnant)\b/,
    'sober',
  ],
  [/\b(fruity|sweet|tropical|refreshing|summery|light)\b/, 'fruity'],
  [/\b(strong|strongest|stiff|boozy|hard|knock me out|kick)\b/, 'strong'],
  [/\b(classy|classic|elegant|sophisticated|fancy|posh|timeless)\b/, 'classy'],
];

function preferenceOf(t: string): Preference {
  return PREFERENCE_WORDS.find(([re]) => re.test(t))?.[1] ?? 'any';
}

const CATEGORY_WORDS: readonly [RegExp, MenuCategory][] = [
  [/\bcocktails?\b/, 'cocktails'],
  [/\bbeers?\b/, 'beer'],
  [/\b(spirits?|liquors?|shots?)\b/, 'spirits'],
  [/\bwines?\b/, 'wine'],
  [/\b(non alcoholic|soft drinks?|alcohol free|mocktails?|without alcohol)\b/, 'non-alcoholic'],
];

const YES_WORDS =
  '(yes|yeah|yep|yup|ya|sure|ok|okay|alright|all right|correct|right|exactly|absolutely|definitely|of course|please do|go ahead|go for it|do it|sounds good|sounds great|perfect|why not|sure thing|you bet|affirmative|confirm|confirmed|that s right|that is right|that s correct|that is correct|that s it|yes please|you got it|spot on)';
/** Hesitations before an answer: "um, yes", "oh yeah", "well no". */
const ANSWER_LEAD = '(?:(?:um|umm|uh|uhh|er|erm|hmm|mm|oh|ah|well|so) )*';
const YES = new RegExp(
  `^${ANSWER_LEAD}${YES_WORDS}( ${YES_WORDS}| please| thanks| thank you| maya)*$`,
);
const NO_WORDS =
  '(no|nope|nah|no thanks|no thank you|not now|not yet|not really|not tonight|not for me|negative|wrong|that s wrong|that s not right|that is not right|i m good|i m fine|i m ok|i m okay|all good|i m all good|we re good|we re fine|we re all good|no way|don t|do not|never mind that|i ll pass|pass)';
const NO = new RegExp(`^${ANSWER_LEAD}${NO_WORDS}( ${NO_WORDS}| thanks| thank you| maya)*$`);

/**
 * A yes or a no said with more words than the lists above know: the first word says which, and the
 * rest only points back at what was asked ("yes that is it", "yep that's the one", "nope not
 * that", "no it isn't"). The rest may hold function words and words about being right or wrong,
 * nothing that orders, asks or names: "yes and a beer", "no, two beers" are not answers alone.
 * A tail that turns the first word round ("yes not that") is no answer either way.
 */
const ANSWER_FIRST_WORD = new RegExp(
  `^${ANSWER_LEAD}(yes|yeah|yep|yup|ya|sure|correct|right|exactly|absolutely|no|nope|nah|not)( |$)`,
);
const NEGATIVE_FIRST = new Set(['no', 'nope', 'nah', 'not']);
const ANSWER_TAIL_WORDS = new Set(
  (
    'a an the that this it is was s i you me we my what at all of for so just quite really ' +
    'indeed very did do does isn didn wasn t not said meant wanted asked ordered got right ' +
    'correct exactly wrong true please thanks thank maya yes yeah yep yup no nope nah'
  ).split(' '),
);
const TAIL_NEGATION = new Set(['not', 'isn', 'didn', 'wasn', 'wrong', 'no', 'nope', 'nah']);
const TAIL_AGREEMENT = new Set([
  'right',
  'correct',
  'exactly',
  'true',
  'yes',
  'yeah',
  'yep',
  'yup',
]);

function answerWithTail(t: string): 'yes' | 'no' | undefined {
  const m = ANSWER_FIRST_WORD.exec(t);
  if (!m) return undefined;
  // "the one" points back; a bare "one" is a count ("no, one" corrects the read-back).
  const tail = t
    .slice(m[0].length)
    .replace(/\bthe one\b/g, ' ')
    .split(' ')
    .filter(Boolean);
  if (!tail.every((w) => ANSWER_TAIL_WORDS.has(w))) return undefined;
  const negated = tail.some((w) => TAIL_NEGATION.has(w));
  if (!NEGATIVE_FIRST.has(m[1]!)) return negated ? undefined : 'yes';
  return negated || !tail.some((w) => TAIL_AGREEMENT.has(w)) ? 'no' : undefined;
}

const PAY_CANCEL =
  /\b((cancel|stop|abort|void|undo) (the |my |this )?(payment|checkout|charge|paying)|never ?mind (the )?pay(ing|ment)?|don t (charge|pay)( me)?( yet)?|hold off (on )?pay(ing)?|not (paying|ready to pay) (yet|now)|i don t want to pay( yet)?|changed my mind about paying)\b/;
const PAY_STATUS =
  /\b(did (my |the )?(payment|it|that|card|charge) (go through|work|clear|succeed)|has (my |the )?(payment|it) (gone through|cleared|worked)|is (my |the )?(payment|tab|bill|it) (done|complete|completed|paid|through|settled)|payment status|status of (my |the )?payment|did you get (my |the )?(payment|money)|am i paid up|have i paid)\b/;
const PAY =
  /\b(ring (me|us|it) up|(i d like to|i would like to|i want to|i wanna|i ll|i will|let me|let s|lets|ready to|can i|could i|may i|time to|we d like to|we want to|how do i|how can i) (pay|settle)|pay (my |the |our |for )?(bill|tab|check|drinks|now|up|it all)|pay(ing)? (by|with) (card|cash|phone|my)|^pay( now| please)?$|settle (up|the (bill|tab))|close (out )?(my |the |our )?tab|close out|cash out|card please|take my card|here s my card|charge (it|me|my card)|take my money|checkout please)\b/;
const BILL =
  /\b(total|owe|bill|check please|the check|how much( is it| so far| do i| have i| altogether| in total)?|what s the damage|the damage|tab come to|comes? to|what (did|does|do|will|would) (that|it|this|those|these|they) cost)\b/;
const BALANCE =
  /\b(balance|(money|funds|credit) (is |do i have |have i got )?left|how much (money )?(do i have|have i got|can i (still )?spend|is left)|what (do i|have i) (have|got) left|funds|budget left)\b/;
const SHOW_ORDER =
  /\b(my order|our order|on our tab|what i (ve )?(ordered|had)|what i ve got( so far| on (my|the) tab)?$|on my tab|my tab|what did i (order|get|have)|what have i (ordered|got|had)|read (back|out) (my|the) order|repeat my order|what s my order|order so far|what am i having)\b/;
const RECOMMEND =
  /\b((the )?(strongest|cheapest|most popular|best|house special|specialty|signature) (thing|drink|one|cocktail|you have|you ve got|on the menu)|recommend|recommendations?|suggest|suggestions?|any ideas|surprise me|what should i|what would you (have|get|drink|recommend)|what do you like|what s good|whats good|what is good|your favou?rite|dealer s choice|bartender s choice|you choose|you pick|up to you|something (fruity|sweet|strong|classy|refreshing|light|non alcoholic|special|different|new)|i m driving|not drinking tonight|designated driver|i don t drink|i do not drink)\b/;
const MENU_ASK =
  /\b(menu|show me (the |your )?(drinks|list|options)|drinks list|what do you (have|serve|got|make|pour)|what (drinks|cocktails|beers|wines|spirits)|what kinds? of|which (drinks|cocktails|beers|wines)|what s on tap|what have you got|list of drinks|drinks list|what can i (get|order))\b/;
const ASK_DRINK =
  /\b(do you (have|serve|do|make|sell|carry|got)|have you got|got any|is there|are there|how much (is|are|for|does|do)|what does an? .* cost|price of|what s the price|how much would)\b/;
const DRINK_TALK =
  /\b(what s in|what is in|whats in|how do you make|how is .* made|tell me about|what is an?|what s an?|history of|where does .* come from|is the .* (good|nice|strong|sweet)|are the .* (good|nice|strong))\b/;
const PRAISE =
  /\b(you (make|pour|mix|shake) (a |an |the )?(mean|great|good|killer|fantastic|perfect|lovely|excellent|wicked)|(this|that|the|these|those|your|my) ([a-z]+ ){0,3}(is|was|are|were|s|tastes?|looks?) (so |really |very |absolutely |just )?(great|amazing|delicious|perfect|fantastic|excellent|lovely|good|tasty|awesome|incredible|wonderful|the best|spot on|superb|brilliant)|(great|amazing|delicious|fantastic|excellent|lovely|awesome|perfect|nice|tasty) (drink|cocktail|job|work|pour|service)|good job|well done|nice work|you( re| are) (so |really |very )?(the best|awesome|great|amazing|a star|a legend|brilliant|good at this|funny|hilarious|fun|kind|nice|sweet to me)|best bartender|you rock|you nailed it|so good|delicious|yummy|tastes great)\b/;
const COMPLIMENT =
  /\b(your (smile|eyes|hair|voice|laugh) (is|are) (so |really |very )?(lovely|beautiful|nice|pretty|gorgeous|amazing|stunning|cute)|you are (so |really |very )?(pretty|beautiful|cute|gorgeous|lovely|charming|hot|stunning|adorable|sweet)|you have (a |such a |the )?(lovely|beautiful|nice|great|pretty|amazing|gorgeous|sexy) (voice|smile|eyes|hair|laugh)|you re (so |really |very )?(pretty|beautiful|cute|gorgeous|lovely|charming|hot|stunning|adorable|sweet)|you look (great|nice|lovely|beautiful|amazing|pretty|stunning)|i like your (smile|eyes|hair|voice|style|outfit)|nice (smile|eyes|hair|voice)|beautiful (smile|eyes)|are you single|your (phone )?number|go out with me|date with me|marry me|love you|have a crush|you re my type|can i buy you a drink)\b/;
const GREETING =
  /^(hi|hello|hey|hiya|howdy|yo|evening|good (morning|afternoon|evening)|what s up|sup|greetings|hey there|hi there|hello there)( maya| there| everyone| you| again)*$/;
const THANKS = /\b(thanks|thank you|thx|cheers|much appreciated|appreciate it|ta)\b/;
const GOODBYE =
  /\b(bye|goodbye|good night|goodnight|see you|see ya|i m off|gotta go|got to go|have a good (night|one|evening)|later|i m leaving|take care|i m heading out)\b(?! to the (restroom|bathroom|toilet|loo|bar|ladies|gents))/;

const UNKNOWN_REQUEST =
  /^(?:(?:please|so|ok|okay|hi|hey|um|uh|and|also|then|actually) )*(?:(?:i ll have|i ll take|i could go for|i ll go for|i ll go with|i fancy|i feel like|i d like|i would like|can i get|can i have|could i get|could i have|may i have|give me|get me|gimme|i want|i need|make me|pour me|bring me|let me get|let me have|we ll have|we d like)(?: an?| some| the| another| one| two| three| glass of| pint of| shot of| bottle of)*|(?:an?|one|two|three)(?: glass of| pint of| shot of| bottle of)?) ([a-z][a-z ]{2,40})$/;
const NOT_DRINKS =
  /^(the usual|usual|strongest|cheapest|best|thing|stuff|to |minute|moment|word|second|sec|break|recommendation|suggestion|hand|hug|kiss|chance|favou?r|bill|check|tab|menu|receipt|table|seat|chair|number|look|hint|clue|discount|refund|lift|ride|job|life|something|anything|nothing|drink|drinks|glass|round)\b/;

/** Bar slang folded into menu words before matching. */
const SLANG: readonly [RegExp, string][] = [
  [/\bcold ones?\b/g, 'beer'],
  [/\bbrewskis?\b/g, 'beer'],
  [/\blemme\b/g, 'let me'],
  [/\bgimme\b/g, 'give me'],
  [/\bwanna\b/g, 'want to'],
  [/\bya\b(?= )/g, 'you'],
];

/** Words a bare order may carry besides drinks, counts and modifiers: "hmm, two beers for my friends, thanks". */
const ORDER_GLUE = new Set([
  'and',
  'also',
  'plus',
  'then',
  'with',
  'just',
  'only',
  'oh',
  'ok',
  'okay',
  'so',
  'um',
  'umm',
  'uh',
  'er',
  'erm',
  'hmm',
  'hm',
  'ah',
  'hey',
  'hi',
  'maya',
  'thanks',
  'thank',
  'you',
  'cheers',
  'too',
  'as',
  'well',
  'please',
  'yes',
  'yeah',
  'right',
  'actually',
  'now',
  'again',
  'here',
  'round',
  'not',
  'for',
  'each',
  'all',
  'us',
  'me',
  'x',
  'negative',
]);
const RECIPIENT =
  /\bfor (me|us|you|her|him|them|everyone|everybody|the table|the (\w+ )?(\w+ )?of us|all of us|(my|the|our) (\w+ ){0,2}\w+)\b/g;

/**
 * A bare order: nothing is left once the drinks, counts, modifiers, recipients and filler words are
 * taken out ("two beers for my friends"). "Beer is my favourite" or "my wife loves margaritas" are not.
 * A clause after a comma may follow the order ("eight beers, we are celebrating").
 */
function isBareOrder(lex: Lexicon, t: string, clauses: readonly string[]): boolean {
  return [t, ...clauses].some((part) => {
    let rest = ` ${part} `;
    for (const f of [...locateDrinks(lex, part)].reverse())
      rest = `${rest.slice(0, f.start + 1)} ${rest.slice(f.end + 1)}`;
    rest = rest.replace(RECIPIENT, ' ');
    // Off-menu drinks we know by name ("a pina colada and a mojito") are answered, not a reason to doubt.
    for (const re of lex.offMenu.namePatterns) rest = rest.replace(re, ' ');
    // Off-menu drinks asked for in the same breath ("and a pina colada") are answered, not a reason to doubt.
    rest = rest.replace(/\b(and|plus) (a|an|one|two|three|\d+) (\w+ ){0,2}\w+/g, ' ');
    for (const [re] of MODIFIER_PHRASES) rest = rest.replace(new RegExp(re.source, 'g'), ' ');
    const left = rest
      .split(' ')
      .filter(
        (w) =>
          w &&
          !ORDER_GLUE.has(w) &&
          !QUANTITY_FILLERS.has(w) &&
          parseNumber(w) === undefined &&
          w !== 'a' &&
          w !== 'an',
      );
    return locateDrinks(lex, part).length > 0 && left.length <= 1;
  });
}

/** Words that ask for a drink made otherwise: "without mint", "no sugar", "extra lime", "hold the bitters". */
const CHANGE_WORDS =
  '(?:without|no|hold the|skip the|leave out the|extra|less|light on|easy on|heavy on)(?: the| any)?';

/**
 * An ingredient of an ordered drink that the guest asks to change ("a mojito without mint", "can you
 * make a negroni with no campari"): the drink's recipe (the menu file) names it and does not call it
 * optional ("salt on the rim if you like" may be left off, so "a margarita, no salt" is just a
 * margarita). Maya cannot make a drink otherwise, so she says so instead of charging one as it comes.
 */
function unmakeableChange(
  lex: Lexicon,
  t: string,
  items: readonly OrderSlot[],
): { item: string; asked: string } | undefined {
  for (const slot of items) {
    for (const change of changesOf(lex, slot.item)) {
      const m = t.match(change);
      if (m) return { item: slot.item, asked: m[0] };
    }
  }
  return undefined;
}

const recipeChanges = new WeakMap<Lexicon, Map<string, readonly RegExp[]>>();

/** Asking to change each ingredient a drink's recipe does not call optional, in recipe order (made once per menu). */
function changesOf(lex: Lexicon, item: string): readonly RegExp[] {
  let byItem = recipeChanges.get(lex);
  if (!byItem) recipeChanges.set(lex, (byItem = new Map()));
  let changes = byItem.get(item);
  if (!changes) {
    const recipe = lex.menu.find(item)?.recipe?.toLowerCase() ?? '';
    changes = recipe
      .split(/,| and | with /)
      .filter((part) => !/\b(if you like|optional|on request)\b/.test(part))
      .flatMap((part) => part.match(/[a-z]{3,}/g) ?? [])
      .filter((word) => !STOPWORDS_IN_RECIPES.has(word) && !lex.menu.forms.has(word))
      .map((word) => new RegExp(`\\b${CHANGE_WORDS} (${word}|${word}s)\\b`));
    byItem.set(item, changes);
  }
  return changes;
}
const STOPWORDS_IN_RECIPES = new Set(
  'the and with our your from for its into a of in on or pour pours straight clean poured fresh tap house brewed plenty parts equal splash twist little hint shaken stirred hard rocks neat ice dry dirty perfect double chaser glass still sparkling pale dark golden sweet'.split(
    ' ',
  ),
);

const LEADING_COUNT =
  /^(?:(?:and|also|plus|then|with) )*(a|an|one|two|three|four|five|six|\d+)(?: (?:glass|pint|shot|bottle|cup)s? of)? /;

/**
 * "a margarita and a pina colada": the parts of an order that name no menu drink but are asked for
 * like one ("a …", "two …") are reported, so Maya says she doesn't have them instead of staying quiet.
 */
function orderWithUnknowns(
  lex: Lexicon,
  t: string,
  drinks: OrderSlot[],
  offMenu: readonly string[],
): Extract<Intent, { kind: 'order' }> {
  // The words between the drinks that were understood.
  const gaps: string[] = [];
  let cursor = 0;
  for (const f of locateDrinks(lex, t)) {
    gaps.push(t.slice(cursor, Math.max(cursor, f.start)));
    cursor = Math.max(cursor, f.end);
  }
  gaps.push(t.slice(cursor));
  // Mixers we don't stock, said right with a drink: "a vodka tonic", "whiskey and ginger ale".
  const mixers = [
    ...t.matchAll(
      /\b(tonic( water)?|ginger (ale|beer)|cranberry( juice)?|orange juice|red bull|bitter lemon|grapefruit( juice)?)\b/g,
    ),
  ].map((m) => m[0]);
  const unknown = [
    ...offMenu,
    ...mixers,
    ...gaps
      .flatMap((gap) => gap.split(/\band\b|,|\bplus\b/))
      .map((seg) =>
        seg
          .trim()
          .replace(/ (please|thanks|for (me|my \w+|her|him|them|us|the \w+)|too|as well)$/g, '')
          .trim(),
      )
      .map((seg) =>
        LEADING_COUNT.test(`${seg} `) ? `${seg} `.replace(LEADING_COUNT, '').trim() : '',
      )
      .filter((name) => {
        if (mixers.some((m) => name.includes(m))) return false;
        if (
          !name ||
          name.split(' ').length > 3 ||
          NOT_DRINKS.test(name) ||
          findModifiers(name).length
        )
          return false;
        if (/^(of|for|on|with|in|at|to)\b/.test(name)) return false;
        return !name
          .split(' ')
          .every((w) => QUANTITY_FILLERS.has(w) || parseNumber(w) !== undefined);
      }),
  ];
  return unknown.length
    ? { kind: 'order', items: drinks, unknown }
    : { kind: 'order', items: drinks };
}

/** Bar slang folded into menu words, on text the drink-name reader has already read. */
function withSlang(t: string): string {
  return SLANG.reduce((out, [re, to]) => out.replace(re, to), t);
}

/** Raw text → normalised words with drink names read (exact, alias, plural, near, compound). */
function read(
  lex: Lexicon,
  raw: string,
): { text: string; reading: DrinkNameReading; written: ReadonlyMap<string, string> } {
  const prepared = prepare(raw);
  // "a pint of the IPA" is an IPA: a container word before a drink is not a Tap Beer.
  const words = prepared.words.map((w, i) =>
    (w === 'pint' || w === 'pints') && prepared.words[i + 1] === 'of'
      ? w === 'pint'
        ? 'glass'
        : 'glasses'
      : w,
  );
  const reading = lex.readDrinkNames(words);
  return { text: withSlang(reading.words.join(' ')), reading, written: prepared.written };
}

function tipPercent(t: string): number | null | undefined {
  if (
    has(
      t,
      /\b(no|remove|without|skip|cancel|drop|take off|never ?mind|forget( about)?|scratch|scrap|lose|ditch|undo|hold off on|zero|0 percent)( the| my| a| that)? (tips?|gratuity)\b|\btake (the |my )?tip off\b|\b(don t|do not|won t) (want to )?((leave|give|add|do)( you| her)?( a| any)? )?tip\b|\bno gratuity\b/,
    )
  )
    return null;
  const pct = t.match(new RegExp(`\\b${N} percent\\b`));
  if (pct?.[1]) return parseNumber(pct[1]) ?? Number.NaN;
  const tipN =
    t.match(new RegExp(`\\b(tip|gratuity)( of| at| to| it)? ${N}\\b`)) ??
    t.match(new RegExp(`\\bmake the tip ${N}\\b`)) ??
    // "throw a 15 on top for you", "leave 20 extra": one of the tips, given on top of the tab.
    t.match(
      /\b(?:throw|put|add|leave|give|chuck|stick)(?: in| on)? (?:an? )?(10|15|20|ten|fifteen|twenty) (?:on top|extra|for you|for yourself|for your trouble)\b/,
    );
  const n = tipN?.at(-1);
  if (n) return parseNumber(n) ?? Number.NaN;
  return undefined;
}

/** Intents that answer a question about drinks, charge nothing and change nothing. */
const INFORMATION = new Set<Intent['kind']>([
  'drink_talk',
  'ask_price',
  'ask_drink',
  'compare',
  'menu',
  'recommend',
]);

/**
 * Where a question may start beside an order: a new sentence, ", and" before a question word, or
 * (in a typed turn that ends asking) "and" before one: "a gin please and is there a happy hour?".
 */
const QUESTION_AFTER =
  /[.!?;]\s+|,\s*(?:and\s+|also\s+|oh\s+)?(?=(?:what|what's|whats|how|which|do you|is|are|can you|could you|would you)\b)|\s+and\s+(?=(?:what|what's|whats|how|which|when|where|do you|is there|are there|is it|can you|could you|would you)\b[^,.;!]*\?\s*$)/gi;

/** An order and a question about drinks in the same turn: both, the order first. */
function orderThenQuestion(raw: string, menu: Menu): Understanding | undefined {
  for (const m of raw.matchAll(QUESTION_AFTER)) {
    // A sentence keeps its own mark: "what's in a negroni?" stays a question.
    const head = raw.slice(0, (m.index ?? 0) + (m[0].startsWith(',') ? 0 : 1));
    const tail = raw.slice((m.index ?? 0) + m[0].length);
    if (!tail.trim() || !head.trim()) continue;
    const [first, second] = [understandOne(head, menu), understandOne(tail, menu)];
    // The order first, whichever was said first ("what's in a negroni? a mojito please").
    for (const [order, question] of [
      [first, second],
      [second, first],
    ] as const)
      if (
        order.intent.kind === 'order' &&
        !order.intent.tentative &&
        (INFORMATION.has(question.intent.kind) ||
          // A question about anything else asked after the order: answered as talk. (Asked first,
          // "my drink? beer" answers it, and orders nothing.)
          (question === second && question.intent.kind === 'small_talk' && /\?\s*$/.test(tail)))
      )
        return { ...order, also: question.intent, alsoSaid: question === second ? tail : head };
  }
  return undefined;
}

/** Understand a guest's words against a menu (the live one when serving; the bundled one by default). */
export function understand(raw: string, menu: Menu = BUNDLED_MENU): Understanding {
  return orderThenQuestion(raw, menu) ?? understandOne(raw, menu);
}

/** One thing the guest says. */
function understandOne(raw: string, menu: Menu): Understanding {
  const lex = lexiconOf(menu);
  const { text: t, reading, written } = read(lex, raw);
  const act = classifySpeechAct(t);
  const question = /\?\s*$/.test(raw.trim());
  const parts = raw.split(/[,.;!?]/).map((p) => read(lex, p).text);
  // The first clause, and a later one that starts with a count ("we're celebrating! six tequilas"):
  // each can be a bare order. A later one without a count is more often talk ("my drink? beer").
  const clauses = [parts[0] ?? '', ...parts.slice(1).filter((p) => COUNTED_CLAUSE.test(p))];
  let intent = parseIntentNormalised(lex, t, act, question, clauses);
  // A name a little off with two drinks equally near, where nothing on the menu was named: ask which.
  if (reading.ambiguous && (intent.kind === 'unknown_drink' || intent.kind === 'small_talk'))
    intent = { kind: 'did_you_mean', options: reading.ambiguous.options };
  return {
    act: question && act === 'assertive' ? 'directive' : act,
    intent,
    ...(written.size ? { written } : {}),
    ...(reading.corrections.length ? { corrections: reading.corrections } : {}),
  };
}

const COUNTED_CLAUSE = new RegExp(`^${N} `);

/** The intent alone (kept for callers that do not need the speech act). */
export function parseIntent(raw: string, menu: Menu = BUNDLED_MENU): Intent {
  return understand(raw, menu).intent;
}

/**
 * A question by its first words, for speech that has no question mark ("how many beers have i had",
 * "why did you give me a beer"): "how much", "how many", or a question word, its verb and the verb's
 * subject. "how about a gin", "why not a mojito" and a misheard opener before a request ("what i
 * get a beer", "what have a lemonade") ask for one.
 */
const OPENS_AS_QUESTION =
  /^(?:(?:so|and|but|oh|um|uh|hey|okay|ok|well|wait) )*(?:how (?:much|many)\b|(?:what|how|when|why|where|who) (?:did|do|does|is|s|was|were|are|have|has|had|would|will) (?:i|you|we|they|he|she|it|the|my|your|our|this|that|these|those)\b)/;

/** Whom a drink is for, after "for": "me", "her", "the kids", "my wife". */
export const FOR_SOMEONE = '(?:me|us|him|her|them|(?:the|my|our) \\w+)';

/** A drink pointed at, not named: "two of those please", "i'll have one of those", "i'll have two". */
const POINTED_AT = new RegExp(
  `^(?:(?:ok|okay|yes|yeah|sure|great|so|and|then|um|uh) )*(?:(?:i ll|i will|we ll|we will|i d|we d|let me|can i|could i|can we|could we|i want|we want|i d like|we d like|give me|get me|give us|get us) )?(?:(?:have|take|get|do|grab|try) )?(?:${N} of (?:them|those|these|that)|(that) one|(one) of (?:them|those|these))(?: (?:please|thanks|thank you|too|as well|for ${FOR_SOMEONE}))*$|^(?:i ll|i will|we ll|we will|i d like|we d like|give me|get me|can i get|can i have|could i get|could i have|let me get|let me have)(?: have| take| get| do)? ${N}(?: (?:please|thanks|thank you|too|as well|for ${FOR_SOMEONE}))*$`,
);

/** Verbs that ask for something at a bar, wherever they stand in the sentence. */
const ASKS_FOR = /\b(get|have|take|grab|give|pour|bring|order|try)\b/;

function parseIntentNormalised(
  lex: Lexicon,
  t: string,
  act: SpeechAct,
  question: boolean,
  clauses: readonly string[],
): Intent {
  if (!t) return { kind: 'small_talk' };
  if (YES.test(t)) return { kind: 'yes' };
  const answer = answerWithTail(t);
  if (answer) return { kind: answer };
  if (
    has(
      t,
      /^(sorry|pardon|pardon me|what|come again|huh|excuse me|say (that|it) again|(can|could) you (repeat|say) (that|it)( again)?|repeat that|what did you say|i didn t (catch|hear) (that|you))( please)?$/,
    )
  )
    return { kind: 'say_again' };
  if (NO.test(t)) return { kind: 'no' };
  if (onlyStalls(t)) return { kind: 'wait' };

  // "a gin and tonic" is not a Gin: off-menu names hide the menu words inside them.
  const { masked, offMenu } = lex.offMenu.mask(t);
  const drinks = findDrinks(masked, lex);

  // "On the house?" and a guest who overdid it: answered for what they are, before any drink in them.
  if (has(t, ON_THE_HOUSE)) return { kind: 'on_the_house' };
  if (has(t, OVERDID) && !isExplicitRequest(masked)) return { kind: 'overdid' };

  // Payment before anything with "cancel", "bill" or a number in it.
  if (has(t, PAY_CANCEL)) return { kind: 'cancel_payment' };
  if (has(t, PAY_STATUS)) return { kind: 'payment_status' };

  // Tips before orders: "add a 20% tip" is not twenty of anything.
  const tip = tipPercent(t);
  // "how much would a 20% tip be?": asked about, not given.
  if (
    tip !== undefined &&
    tip !== null &&
    has(t, /^(?:so |and |um |ok |okay )*(how much|what) (would|will|is|s|does)\b/)
  )
    return { kind: 'tip', percent: tip, quote: true };
  if (tip !== undefined) return { kind: 'tip', percent: tip };
  if (
    has(t, /\b(add|leave|give( you| her)?|include) (a |an |the )?(tip|gratuity)\b|^tip\b/) &&
    drinks.length === 0
  )
    return { kind: 'clarify', about: 'tip_amount' };

  if (has(t, PAY) && !has(t, /\bhow much\b/) && drinks.length === 0) return { kind: 'pay' };
  // "can I afford another round?", "how am I doing on money?": the balance, before anything that
  // would order the round.
  if (has(t, MONEY_QUESTION)) return { kind: 'balance' };
  // "how many drinks have I had?": the order so far, even with a drink named ("how many beers…").
  if (has(t, HOW_MANY_HAD)) return { kind: 'show_order' };
  if (
    has(
      t,
      /\b(forget (the|my) (whole |entire )?order|(scrap|scratch|cancel|forget|ditch) the (whole|entire) (thing|lot|order|round)|cancel (everything|it all|all of it|my (whole |entire )?order|the (whole |entire )?order|all my drinks)|clear (my|the) (tab|order)|start over|remove everything|take everything off)\b/,
    )
  )
    return { kind: 'cancel_all' };
  const removing =
    has(
      t,
      /\b(remove|take off|take away|cancel|scratch|delete|get rid of|take (the |that |those |my )?(\w+ ){0,3}off)\b/,
    ) && !has(t, /\btake (your|my) time\b/);
  // "how much are your cocktails?": the prices of a kind of drink, not the guest's own tab.
  if (drinks.length === 0 && (has(t, PRICE) || has(t, /\bhow much\b/))) {
    const category = CATEGORY_WORDS.find(([re]) => re.test(t))?.[1];
    if (category && !has(t, /\b(i|we|me|us|my|our|mine|tab|bill|owe|so far|total|spent)\b/))
      return { kind: 'menu', category };
  }
  // "put another one on my tab": more of the last drink, which names the tab without asking about it.
  const asksForMore = has(t, MORE_ON_THE_TAB);
  if (!removing && !asksForMore && (drinks.length === 0 || has(t, /\b(bill|total|owe)\b/))) {
    if (has(t, SHOW_ORDER) && !has(t, /\b(total|owe|bill|how much)\b/))
      return { kind: 'show_order' };
    if (has(t, BALANCE)) return { kind: 'balance' };
    if (has(t, BILL)) return { kind: 'bill' };
    // "where are we at with the tab?": a question about the tab is the bill.
    if ((question || has(t, OPENS_AS_QUESTION)) && has(t, /\b(the|my|our) tab\b/))
      return { kind: 'bill' };
  }

  // "what's the cheapest beer you've got": the kind listed with prices (a "beer" is also a Tap Beer,
  // so this comes before the questions about a named drink).
  const superlative = t.match(SUPERLATIVE_KIND);
  if (superlative?.[1] && drinks.length <= 1 && (question || has(t, KIND_ASKED))) {
    const named = locateDrinks(lex, masked);
    const onlyTheKind = named.every((d) => superlative[1]!.startsWith(d.form));
    const category = CATEGORY_WORDS.find(([re]) => re.test(superlative[1]!))?.[1];
    if (onlyTheKind && category) return { kind: 'menu', category };
  }
  // Questions with drinks in them are answered, never charged: prices, differences, "what's in that".
  if (drinks.length && (has(t, PRICE) || (question && has(t, /\b(expensive|pricey|cheap|dear)\b/))))
    return { kind: 'ask_price', items: drinks };
  if (
    drinks.length >= 2 &&
    has(t, COMPARE) &&
    (question || act !== 'assertive' || has(t, /\bdifference\b/))
  )
    return { kind: 'compare', items: [...new Set(drinks.map((d) => d.item))].slice(0, 2) };
  if (drinks.length === 0 && has(t, WHATS_IN_LAST)) return { kind: 'whats_in_last' };

  // One drink for another, in one step.
  const swap = swapOf(masked, locateDrinks(lex, masked), drinks, question);
  if (swap) return swap;
  // Otherwise, a drink taken back beside one wanted (refused, or repaired in the same breath): the rest alone.
  const kept = withoutRetractedDrinks(lex, t);
  if (kept !== undefined) {
    const rest = parseIntentNormalised(lex, kept.text, classifySpeechAct(kept.text), question, [
      kept.text,
    ]);
    // One drink refused for one wanted ("I don't want a whiskey, give me a brandy") is a swap when the
    // refused one is on the tab; the swap orders the wanted one alone when it is not.
    const [only] = rest.kind === 'order' && !rest.tentative ? rest.items : [];
    if (only && rest.kind === 'order' && rest.items.length === 1 && kept.refused.length === 1)
      return {
        kind: 'swap',
        from: kept.refused[0]!,
        to: { item: only.item, quantity: only.quantity, modifiers: only.modifiers },
        retracted: true,
      };
    return rest.kind === 'order' ? { ...rest, retracted: true } : rest;
  }

  // Corrections of what was just ordered.
  const mods = findModifiers(t);
  // "make the whiskey a double", "change my martini to dirty": how a drink on the tab is served,
  // not another one.
  // "don't make it a double" asks for no change.
  const changeRefused = has(t, /\b(don t|do not|no need to|never) (make|change|switch)\b/);
  if (
    drinks.length === 1 &&
    mods.length > 0 &&
    !changeRefused &&
    has(t, /\b(make|change|switch) (the|my|our) /)
  )
    return { kind: 'modify_last', modifiers: mods, item: drinks[0]!.item };
  if (
    !changeRefused &&
    (has(
      t,
      /\b(make|change|switch) (it|that|them|those|mine|the last one)( to| into)? (an? )?(double|on the rocks|neat|dirty|dry|perfect|shaken|stirred|straight)\b|^(double|double up) (it|that|mine)( please)?$/,
    ) ||
      onlyModifiers(t) ||
      // "can I get that on the rocks", "I'd like it neat": the drink just ordered, served so.
      (mods.length > 0 &&
        has(t, /\b(get|have|make|want|like|do|serve|pour) (it|that|them|those|mine)\b/))) &&
    drinks.length === 0
  ) {
    return { kind: 'modify_last', modifiers: mods };
  }
  // Before the count rules: "you don't need to make that one" is no count.
  if (drinks.length === 0 && has(t, UNMAKE_LAST)) return { kind: 'cancel_last' };
  const setQty = t.match(
    new RegExp(
      `\\b(?:i ll just (?:have|take)|make (?:that|it|those|them)|change (?:that|it) to|i said|no,? i said|actually|correction|sorry,? i meant|i meant)(?: just)? ${N}\\b`,
    ),
  );
  if (setQty?.[1] && !has(t, /\b(more|another|less|fewer)\b/)) {
    const quantity = parseNumber(setQty[1]);
    if (quantity !== undefined)
      return drinks[0]
        ? { kind: 'set_quantity', quantity, item: drinks[0].item }
        : { kind: 'set_quantity', quantity };
  }
  // "just one lemonade actually": a count with "just" or "only", and a correction word after it.
  const countThenCorrection = t.match(
    new RegExp(
      `^(?:(?:oh|no|sorry|wait|um|uh) )*(?:just|only) ${N}\\b.*\\b(?:actually|instead|sorry|my bad|i meant)\\b`,
    ),
  );
  if (countThenCorrection?.[1] && drinks.length <= 1 && !has(t, /\b(more|another)\b/)) {
    const quantity = parseNumber(countThenCorrection[1]);
    if (quantity !== undefined)
      return drinks[0]
        ? { kind: 'set_quantity', quantity, item: drinks[0].item }
        : { kind: 'set_quantity', quantity };
  }
  // A bare count after a no ("no, three", "nope, just one"): a correction of the count just said.
  const bareCount = t.match(
    new RegExp(
      `^(?:(?:no|nope|nah|actually|sorry|oh|wait|make it|make that|yes|yeah|ok|okay) )*(?:(?:just|only) ${N}|${N} (?:is enough|will do)|(?:no|nope|nah|actually|sorry|make it|make that|yes|yeah|yep|ok|okay|sure) ${N})(?: please| instead| of them| thanks)?$`,
    ),
  );
  const counted = bareCount?.slice(1).find((g) => g !== undefined);
  if (counted && drinks.length === 0) {
    const quantity = parseNumber(counted);
    if (quantity !== undefined) return { kind: 'set_quantity', quantity };
  }
  if (
    has(
      t,
      /\b(scrap|scratch|cancel|undo|remove|drop|forget) (the |my |that )?last (order|one|drink|round)\b/,
    )
  )
    return { kind: 'cancel_last' };
  // "not two, three", "three, not two": the count said against the one it replaces.
  const notThat = t.match(NOT_THAT_COUNT);
  const replacing = notThat?.[2] ?? notThat?.[3];
  if (replacing && drinks.length === 0) {
    const quantity = parseNumber(replacing);
    if (quantity !== undefined) return { kind: 'set_quantity', quantity };
  }
  const fewer = t.match(new RegExp(`\\b${N} (?:less|fewer)\\b`));
  if (drinks[0] && fewer?.[1])
    return { kind: 'remove', item: drinks[0].item, quantity: parseNumber(fewer[1]) ?? 1 };
  // "one less", "two fewer please": of the drink just ordered.
  if (!drinks[0] && fewer?.[1] && has(t, FEWER_ALONE))
    return { kind: 'remove', quantity: parseNumber(fewer[1]) ?? 1 };
  if (
    drinks[0] &&
    has(
      t,
      /\b(forget|ditch|lose|skip|scrap|hold|knock off)( about)? (the|my|that|those|one of the|one of my)\b/,
    )
  ) {
    const one = has(t, /\bknock off one of\b/);
    return one
      ? { kind: 'remove', item: drinks[0].item, quantity: 1 }
      : { kind: 'remove', item: drinks[0].item };
  }
  // "I changed my mind, no martini": a drink with "no" right before it (no count, no article) comes off.
  const firstDrink = locateDrinks(lex, masked)[0];
  if (
    drinks.length === 1 &&
    firstDrink &&
    /(^|\b(mind|actually|wait|oh|so))\s*no (more )?$/.test(masked.slice(0, firstDrink.start))
  )
    return { kind: 'remove', item: drinks[0]!.item };
  if (
    has(
      t,
      /\b(remove|take off|take away|drop|cancel|scratch|scrap|delete|get rid of|strike|minus|don t want|no longer want|take (the |that |those |my |one |two |a |an )?(\w+ ){0,3}off)\b/,
    ) &&
    !has(t, /\btake (your|my) time\b/)
  ) {
    const first = drinks[0];
    // A number right after the verb ("remove one margarita", "take off two beers", "drop a beer").
    const q = t.match(
      new RegExp(
        `\\b(?:remove|take off|take away|drop|cancel|scratch|delete|get rid of|minus|take) (a|an|${N})\\b`,
      ),
    );
    const quantity = q?.[1] ? parseNumber(q[1]) : undefined;
    if (first)
      return quantity === undefined
        ? { kind: 'remove', item: first.item }
        : { kind: 'remove', item: first.item, quantity };
    if (quantity !== undefined && !has(t, /\b(that|it)\b/)) return { kind: 'remove', quantity };
    // Without a drink, only a short or pointed phrase cancels ("cancel that", "drop it"), so "I'll drop
    // by tomorrow" or "take your time, I'm off" never takes anything off the tab.
    if (t.split(' ').length <= 3 || has(t, /\b(that|it|this|last|order|drinks?|round)\b/))
      return { kind: 'cancel_last' };
  }
  if (
    has(
      t,
      /^(actually |oh |wait |hmm |um )*(never ?mind|forget it|forget that|undo( that)?|i changed my mind|scratch that|no wait)\b/,
    )
  )
    return { kind: 'cancel_last' };

  // Repeats.
  if (
    has(
      t,
      /\b(same again|another round|one more round|same round|round two|same as before|same thing again|the same again|again please|do that again|same please|the same|repeat (that|the) (order|round))\b/,
    ) &&
    drinks.length === 0
  ) {
    return { kind: 'repeat_round' };
  }
  if (
    has(
      t,
      /^(and )?(the )?same (for|here)\b|\bi ll have the same\b|\bsame for (my|her|him|them|us)\b/,
    ) &&
    drinks.length === 0
  )
    return { kind: 'repeat_last', quantity: 1 };
  if (
    has(
      t,
      /^(again|once more|one more time|hit me again|hit me|fill (me|it|us) up( again)?|top (me|us) up)( please)?$/,
    )
  )
    return { kind: 'repeat_round' };
  // "get one for my mate too", "pour another for her": the last drink again, for someone else.
  const forAnother = t.match(
    new RegExp(
      `^(?:(?:can|could|would) you |please |and |oh |also )*(?:get|make|pour|grab|bring|do|fix)(?: me| us)? (one|another|${N})(?: more)? for (?:my|her|him|them|the|our|me)\\b` +
        // Without a verb, only a count and whom it is for: "and one for my buddy", "another for her".
        `|^(?:(?:and|oh|also|plus|ok|okay) )*(one|another|${N})(?: more)? for (?:my \\w+|her|him|them|the \\w+|our \\w+)(?: (?:too|as well|please|thanks|here))*$`,
    ),
  );
  const forAnotherCount = forAnother?.slice(1).find((g) => g !== undefined);
  if (forAnotherCount && drinks.length === 0)
    return {
      kind: 'repeat_last',
      quantity: forAnotherCount === 'another' ? 1 : (parseNumber(forAnotherCount) ?? 1),
    };
  // "two of those please", "i'll have one of those", "i want that one", "i'll have two": the drink
  // just ordered, by pointing at it (a drink Maya offered is taken that way before this, in the
  // confirm step). With nothing ordered yet, Maya asks what they would like.
  const pointed = t.match(POINTED_AT);
  if (pointed && drinks.length === 0) {
    const count = pointed.slice(1).find((g) => g !== undefined);
    return { kind: 'repeat_last', quantity: count === 'that' ? 1 : (parseNumber(count!) ?? 1) };
  }
  const more = t.match(
    new RegExp(
      `\\b(?:${N} more|another(?: one)?|one more)(?: of (?:those|these|that|them|the same))?(?: please)?\\b`,
    ),
  );
  if (
    more &&
    drinks.length === 0 &&
    !has(t, /\b(minute|moment|second|question|thing|time|chance|try)\b/) &&
    // "not one more", "no more for me": refused, not asked for.
    !has(t, /\b(not|no|don t|won t) (?:\w+ )?(another|more)\b/)
  ) {
    const n = more[1] ? parseNumber(more[1]) : 1;
    return { kind: 'repeat_last', quantity: n ?? 1 };
  }

  // Feelings about Maya or the drinks, before anything that names a drink.
  if (
    has(
      t,
      /\b(thanks|thank you|cheers) (so much |again )?for (the|my|that|this|those|these|your|a|an)\b/,
    )
  )
    return { kind: 'thanks' };
  if (has(t, COMPLIMENT)) return { kind: 'compliment' };
  if (has(t, PRAISE) && !has(t, /\b(another|one more|can i|i ll have|i d like|get me)\b/))
    return { kind: 'praise' };

  if (
    offMenu[0] &&
    drinks.length === 0 &&
    !has(t, DRINK_TALK) &&
    (act !== 'assertive' || has(t, ASK_DRINK))
  )
    return { kind: 'unknown_drink', name: offMenu[0] };
  // Questions about a drink: information, never a charge.
  if (
    has(
      t,
      /\b(what|which) ((kinds?|sorts?|types?) of (drinks?|cocktails?|beers?|wines?|spirits?|liquors?)|drinks|cocktails|beers|wines|spirits|liquors)\b/,
    )
  ) {
    const category = CATEGORY_WORDS.find(([re]) => re.test(t))?.[1];
    return category ? { kind: 'menu', category } : { kind: 'menu' };
  }
  if (drinks[0] && has(t, DRINK_TALK)) return { kind: 'drink_talk', item: drinks[0].item };
  if (drinks.length && has(t, ASK_DRINK)) return { kind: 'ask_drink', items: drinks };
  const orderedOutright =
    drinks.length > 0 &&
    (isExplicitRequest(masked) ||
      isBareOrder(
        lex,
        masked,
        clauses.map((c) => lex.offMenu.mask(c).masked),
      ));
  if (
    (has(t, RECOMMEND) && !(orderedOutright && !has(t, /\b(recommend|suggest|surprise)/))) ||
    (has(t, /\bsomething\b/) && preferenceOf(t) !== 'any')
  ) {
    return {
      kind: 'recommend',
      preference: preferenceOf(t),
      surprise: has(
        t,
        /\b(surprise me|dealer s choice|bartender s choice|you choose|you pick|up to you)\b/,
      ),
    };
  }
  if (
    has(t, MENU_ASK) ||
    (question && drinks.length === 0 && has(t, /\b(cocktails|beers|wines|spirits)\b/)) ||
    // "what's non alcoholic", "anything alcohol free?": a kind of drink asked after.
    (drinks.length === 0 && has(t, KIND_ASKED) && CATEGORY_WORDS.some(([re]) => re.test(t)))
  ) {
    const category = CATEGORY_WORDS.find(([re]) => re.test(t))?.[1];
    return category ? { kind: 'menu', category } : { kind: 'menu' };
  }

  // Ambiguous requests get one short question.
  const saysWine =
    has(t, /\b(wine|wines|vino|house wine)\b/) && !drinks.some((d) => d.item.endsWith('Wine'));
  if (saysWine && (act === 'directive' || act === 'commissive'))
    return { kind: 'clarify', about: 'wine' };

  // A drink is ordered only when asked for: an explicit request, or a bare order ("two beers").
  if (
    drinks.length &&
    (isExplicitRequest(masked) ||
      isBareOrder(
        lex,
        masked,
        clauses.map((c) => lex.offMenu.mask(c).masked),
      ))
  ) {
    const change = unmakeableChange(lex, masked, drinks);
    if (change) return { kind: 'cannot_make', ...change, items: drinks };
    return orderWithUnknowns(lex, masked, drinks, offMenu);
  }
  // A drink asked for in words no pattern above knows: an order the guest confirms first. A misheard
  // request ("i get a pint", "on get a whisky on the rocks") keeps its verb and drink more often
  // than its frame; a remark ("my wife drinks white wine") has no request verb and stays talk.
  const asks = drinks.length ? classifySpeechAct(afterCourtesy(t)) : act;
  if (
    drinks.length &&
    asks !== 'assertive' &&
    asks !== 'expressive' &&
    !question &&
    !has(t, OPENS_AS_QUESTION) &&
    has(t, ASKS_FOR)
  ) {
    const change = unmakeableChange(lex, masked, drinks);
    if (change) return { kind: 'cannot_make', ...change, items: drinks };
    return { ...orderWithUnknowns(lex, masked, drinks, offMenu), tentative: true };
  }
  if (drinks[0]) return { kind: 'drink_talk', item: drinks[0].item };

  if (act !== 'assertive' && has(t, /\b(a|an|one|some) (cocktail|mixed drink)\b/))
    return { kind: 'clarify', about: 'cocktail' };
  if (act !== 'assertive' && has(t, /\b(a|one|some|two|three) shots?\b/) && !has(t, /\b(of|at)\b/))
    return { kind: 'clarify', about: 'shot' };

  if (GREETING.test(t)) return { kind: 'greeting' };
  if (has(t, GOODBYE)) return { kind: 'goodbye' };
  if (!question) {
    const wanted = t
      .replace(/ (please|thanks|thank you|for me|for my friend|if you can|if possible)$/g, '')
      .match(UNKNOWN_REQUEST);
    if (
      wanted?.[1] &&
      !NOT_DRINKS.test(wanted[1]) &&
      (act === 'directive' || act === 'commissive')
    ) {
      return {
        kind: 'unknown_drink',
        name: wanted[1].replace(/\b(glass|pint|shot|bottle) of /, '').trim(),
      };
    }
  }

  if (GREETING.test(t)) return { kind: 'greeting' };
  if (has(t, GOODBYE)) return { kind: 'goodbye' };
  if (has(t, THANKS)) return { kind: 'thanks' };
  // "hey, how are you?" is small talk with a greeting in front; a bare "hello there friend" is a greeting.
  if (
    has(t, /^(hi|hello|hey|good (morning|afternoon|evening))\b/) &&
    !has(
      t,
      /\b(how are you|how s it going|how s your|how have you been|how you doing|what s new)\b/,
    )
  )
    return { kind: 'greeting' };
  return { kind: 'small_talk' };
}
