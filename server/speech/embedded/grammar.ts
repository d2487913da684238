/**
 * The bar grammar for the embedded recogniser, generated from the menu module: every drink name and
 * alias (and plurals), quantities, modifiers, tips, bill/pay, remove/cancel, yes/no, recommend,
 * greetings and a little small talk. Out-of-grammar speech is soaked up by a phone loop ("garbage"
 * words, one per phone); a transcript containing one is rejected rather than turned into an order.
 */
import { MENU_FORMS, MODIFIERS, PREFERENCES } from '../../../shared/menu.ts';

/** Garbage words are spelled with this prefix; no real word starts with it. */
export const GARBAGE_PREFIX = 'zz';

/** The 39 phones of the CMU en-us acoustic model. */
const PHONES = [
  'AA',
  'AE',
  'AH',
  'AO',
  'AW',
  'AY',
  'B',
  'CH',
  'D',
  'DH',
  'EH',
  'ER',
  'EY',
  'F',
  'G',
  'HH',
  'IH',
  'IY',
  'JH',
  'K',
  'L',
  'M',
  'N',
  'NG',
  'OW',
  'OY',
  'P',
  'R',
  'S',
  'SH',
  'T',
  'TH',
  'UH',
  'UW',
  'V',
  'W',
  'Y',
  'Z',
  'ZH',
] as const;

/** Words the CMU dictionary lacks (ARPAbet), checked again at start-up against the live dictionary. */
export const EXTRA_PRONUNCIATIONS: Readonly<Record<string, string>> = {
  mojito: 'M OW HH IY T OW',
  mojitos: 'M OW HH IY T OW Z',
  // As English speakers (and Flite, eSpeak) often say it: "mo-jee-to".
  'mojito(2)': 'M OW JH IY T OW',
  'mojitos(2)': 'M OW JH IY T OW Z',
  fashioneds: 'F AE SH AH N D Z',
  negronis: 'N EH G R OW N IY Z',
  manhattans: 'M AE N HH AE T AH N Z',
  cosmopolitans: 'K AA Z M AH P AA L AH T AH N Z',
  daiquiris: 'D AE K ER IY Z',
  // Both common ways of saying it (the dictionary has only "D AE K ER IY").
  'daiquiri(2)': 'D AY K ER IY',
  'daiquiri(3)': 'D EY K W IH R IY',
  'daiquiris(2)': 'D EY K W IH R IY Z',
  margaritas: 'M AA R G ER IY T AH Z',
  martinis: 'M AA R T IY N IY Z',
  cosmos: 'K AO Z M OW Z',
  ipa: 'AY P IY EY',
  ipas: 'AY P IY EY Z',
  tequilas: 'T AH K IY L AH Z',
  lemonades: 'L EH M AH N EY D Z',
  sodas: 'S OW D AH Z',
  gins: 'JH IH N Z',
  lagers: 'L AA G ER Z',
  whiskies: 'W IH S K IY Z',
  brandies: 'B R AE N D IY Z',
  cognacs: 'K OW N Y AE K S',
  sprites: 'S P R AY T S',
  ...Object.fromEntries(PHONES.map((p) => [garbageWord(p), p])),
};

/** The phone-loop words, one per phone. */
export const GARBAGE_WORDS: readonly string[] = PHONES.map(garbageWord);

export function garbageWord(phone: string): string {
  return `${GARBAGE_PREFIX}${phone.toLowerCase()}`;
}

export function isGarbageWord(word: string): boolean {
  return word.startsWith(GARBAGE_PREFIX);
}

export const defaultGrammarOptions = {
  /** Relative weight of the phone loop against the bar grammar: higher rejects more. */
  garbageWeight: 1,
  /** Weight of "an unknown thing" where a drink name goes ("i'd like a pizza"). */
  itemGarbageWeight: 0.05,
  /**
   * The richer hand grammar (fillers, "one X and one Y", numbers, questions about drinks, corrections,
   * more answers): the closed-grammar alternative the language model was measured against.
   */
  richer: false,
};

const alt = (xs: readonly string[]) =>
  xs
    .map((x) => x.trim())
    .filter(Boolean)
    .join(' | ');

/**
 * The JSGF text. `knows(word)` says whether the recogniser can pronounce a word; drink forms with
 * an unknown word are left out (the menu's misspelt aliases, e.g. "daquiri").
 */
export function barGrammar(
  knows: (word: string) => boolean,
  options = defaultGrammarOptions,
): string {
  const speakable = (phrase: string) => phrase.split(' ').every(knows);
  const drinks = [...MENU_FORMS.keys()].filter((f) => /^[a-z ]+$/.test(f) && speakable(f)).sort();
  const mods = MODIFIERS.filter(speakable);
  const prefs = PREFERENCES.filter((p) => p !== 'any' && speakable(p));
  const garbage = PHONES.map(garbageWord);
  const w = options.garbageWeight;
  if (options.richer) return richerGrammar(drinks, mods, prefs, garbage, options);
  return `#JSGF V1.0;
grammar bar;
public <utt> = /1/ <bar> | /${w}/ <garbage>;
<garbage> = (${alt(garbage)})+;
<bar> = [<opener>] (<order> | <remove> | <tip> | <bill> | <recommend> | <done> | <modify> | <answer> | <chat> | <ask>) [<closer>];
<opener> = hi | hello | hey | excuse me | ok | okay | so | well | oh;
<closer> = please | thanks | thank you | for me | for me please | please thanks | maya;
<order> = [<want>] <items> [<serve>];
<want> = i'd like | i would like | i'll have | i will have | i'll take | can i get | can i have | could i have | could i get | give me | get me | i want | let me get | let me have | just | we'll have | we would like | i'll get | may i have | i'd love | another round of;
<items> = <item> ((and | with | plus | and a | and an) <item>)*;
<item> = [<qty>] [<container> of] (/1/ <drink> | /${options.itemGarbageWeight}/ <garbage>) [<serve>];
<qty> = a | an | one | two | three | four | five | six | another | one more | a couple of | some;
<container> = glass | bottle | pint | shot | round;
<drink> = ${alt(drinks)};
<serve> = ${alt(mods)} | with ice | no ice | straight up;
<remove> = (remove | cancel | delete | scratch | drop | take off | forget) [the | one | a | my | that | this] [<drink>] [from my tab];
<pct> = five | ten | twelve | fifteen | eighteen | twenty | twenty five | thirty;
<tip> = ([add | leave | give | put] [a] <pct> percent [tip]) | (no tip) | (tip <pct> percent) | (<pct> percent tip) | (remove the tip);
<bill> = ([can i get | can i have | could i get | could i have | bring me | i'd like] the (bill | check | tab)) | (i want to pay) | (i'd like to pay) | (can i pay) | (let me pay) | (check please) | (bill please) | (close my tab) | (how much do i owe) | (what's my total) | (what's my tab) | (what did i order) | (what's my balance) | (how much is it);
<recommend> = (what do you recommend) | (what would you recommend) | (what's good) | (what's good here) | (surprise me) | (recommend something [${alt(prefs)}]) | (any recommendations) | (something ${alt(prefs)}) | (i want something ${alt(prefs)}) | (what's on the menu) | (what do you have);
<done> = that's all | that's it | nothing else | i'm done | that will be all | that's everything | goodbye | bye | see you | good night;
<modify> = make it a double | make that a double | make it two | make that two;
<answer> = yes | yeah | yep | sure | no | nope | no thanks | yes please | that's right | correct | not that;
<chat> = how are you | how's it going | good evening | good morning | good afternoon | nice to meet you | what's your name | i'm good | i'm fine | great | cheers | thank you | thanks;
<ask> = is it strong | what's in it | how much is (a | an) <drink>;
`;
}

/** The richer closed grammar (see `richer`): same shape, many more ways in. */
function richerGrammar(
  drinks: string[],
  mods: readonly string[],
  prefs: readonly string[],
  garbage: string[],
  options: typeof defaultGrammarOptions,
): string {
  return `#JSGF V1.0;
grammar bar;
public <utt> = /1/ <bar> | /${options.garbageWeight}/ <garbage>;
<garbage> = (${alt(garbage)})+;
<bar> = [<opener>] [<opener>] (<order> | <remove> | <tip> | <bill> | <recommend> | <done> | <modify> | <answer> | <chat> | <ask>) [<closer>];
<opener> = hi | hello | hey | hey maya | hi maya | excuse me | ok | okay | so | well | oh | yeah | yes | um | uh | alright | right | actually | and | hmm | no;
<closer> = please | thanks | thank you | for me | for me please | please thanks | maya | for my friend | for the table | for us | cheers | thank you very much;
<order> = [<want>] <items> [<serve>];
<want> = i'd like | i would like | i'll have | i will have | i'll take | i will take | can i get | can i have | could i have | could i get | can we get | could we get | can we have | give me | get me | i want | let me get | let me have | let's get | let's have | just | we'll have | we would like | we'd like | i'll get | may i have | i'd love | i'll go with | i'll grab | can i grab | i think i'll have | i think i will have | i'll try | how about | bring me | i need | another round of;
<items> = <item> ((and | with | plus) <item>)*;
<item> = [<qty>] [<container> of] [double] (/1/ <drink> | /${options.itemGarbageWeight}/ <garbage>) [<serve>];
<qty> = a | an | one | two | three | four | five | six | seven | eight | nine | ten | another | one more | two more | three more | a couple of | some | the;
<container> = glass | glasses | bottle | bottles | pint | pints | shot | shots | round;
<drink> = ${alt(drinks)};
<serve> = ${alt(mods)} | with ice | no ice | straight up;
<remove> = (remove | cancel | delete | scratch | drop | take off | forget | take) [the | one | a | my | that | this | one of the] [<drink>] [off | from my tab | off my tab | off please];
<pct> = five | ten | twelve | fifteen | eighteen | twenty | twenty five | thirty;
<tip> = ([add | leave | give | put | make it | make the tip | let's do | let us do | i'll tip] [a] <pct> percent [tip]) | (no tip) | (tip <pct> percent) | (<pct> percent tip) | (remove the tip) | (<pct> percent);
<bill> = ([can i get | can i have | could i get | could i have | bring me | i'd like] the (bill | check | tab)) | ([i] (want | would like | need) to pay [now]) | (i'd like to pay) | (can i pay [now]) | (let me pay) | (check please) | (bill please) | (close my tab) | (how much do i owe) | (what do i owe) | (what's my total) | (what is my total) | (what's my tab) | (what did i order) | (what's my balance) | (how much is it) | (pay now);
<recommend> = (what do you recommend) | (what would you recommend) | (what's good) | (what's good here) | (surprise me) | (recommend something [${alt(prefs)}]) | (any recommendations) | (something ${alt(prefs)}) | (i want something ${alt(prefs)}) | (what's on the menu) | (what do you have);
<done> = that's all | that's it | nothing else | i'm done | that will be all | that's everything | goodbye | bye | see you | good night;
<modify> = (make (it | that) (a double | <qty> | <drink> | <qty> <drink> | ${alt(mods)})) | (change it to <item>);
<answer> = yes | yeah | yep | yup | sure | no | nope | no thanks | yes please | yeah please | that's right | that is right | correct | not that | exactly | right | that's wrong | that is wrong | not quite;
<chat> = how are you | how's it going | good evening | good morning | good afternoon | nice to meet you | what's your name | what is your name | i'm good | i'm fine | great | cheers | thank you | thanks | what time do you close | tell me a joke;
<ask> = is it strong | what's in it | (how much (is | are) [a | an | the] <drink>) | (do you have [any] <drink>) | (what's in [a | an | the] <drink>) | (what is in [a | an | the] <drink>) | (is [the] <drink> strong);
`;
}
