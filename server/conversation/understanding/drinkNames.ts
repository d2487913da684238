/**
 * Drink names as guests type them, brought back to the menu's words before any rule reads the text:
 *   exact forms, aliases and plurals (the menu module's forms), then names a little off
 *   ("negronni", "mohitoes", "manhatan", "cosmopolitin", "whsikey") by edit distance
 *   (fastest-levenshtein) or a swapped pair of letters, and compound names ("gin martini" is a
 *   Martini, not a Gin and a Martini: the longest menu name wins, and a base spirit in front of a
 *   cocktail names the cocktail's base).
 * A near name is corrected only when one drink is clearly nearest; two drinks equally near give a
 * "Did you mean X or Y?" instead. Common words near a drink name ("later", "jokes", "scratch") and
 * words of off-menu drinks ("espresso") are never corrected.
 * The reader is made for a menu's forms (`createDrinkNameReader`), so a test can give it a menu where
 * a slip sits between two drinks; `drinkNameReaderFor(menu)` reads against a live menu.
 */
import { distance } from 'fastest-levenshtein';
import { BUNDLED_MENU } from '../../../shared/menu.ts';
import type { Menu, MenuItem } from '../../../shared/menu.ts';
import { offMenuFor } from '../brain/cousins.ts';

/** Words a hurried guest means as themselves, though they sit one letter from a drink name. */
const NEVER_CORRECTED = new Set(
  (
    'while whine write writes whiter whites later layer layers eager wafer waiter waiters hater water jokes pokes cakes ' +
    'coals cooks corks scratch scorch bears beets beeps peers deers points prints paints pants hints spite brand brands ' +
    'bland handy martin marty whisker whiskers rummy ginny roman romans sodas sofas tonic tonics maybe drinks drink ' +
    'round rounds rocks chaser double doubles stirred shaken dirty perfect single triple glass glasses pints bottle ' +
    'bottles shots other others thanks please there their these those where which would could should about after ' +
    'again thing think great right really still sorry never minute order orders money table friend friends drafty ' +
    'classy classics white grand grande lemons melon melons lemon limes large larger'
  ).split(' '),
);

/** Counts, articles, servings and verbs after which a word is probably a drink. */
const ORDER_CONTEXT = new Set(
  (
    'a an the one two three four five six seven eight nine ten some another more of couple few dozen x have get ' +
    'take want like need give bring pour make and or another double large small cold glass pint shot round ' +
    'dry dirty perfect neat extra'
  ).split(' '),
);

export interface DrinkNameReading {
  /** The words with near names replaced by their menu form. */
  words: string[];
  /** What was corrected: the words said and the menu form read. */
  corrections: { said: string; form: string }[];
  /** A near name with two drinks equally close: ask which. */
  ambiguous?: { said: string; options: string[] };
}

export interface Candidate {
  form: string;
  item: string;
  distance: number;
}

/** Letters allowed to differ for a word of this length. */
function allowedDistance(length: number): number {
  return length >= 8 ? 2 : length >= 5 ? 1 : 0;
}

const sortedLetters = (w: string) => [...w].sort().join('');

/** One drink clearly nearest → it; two drinks equally near → both; none → nothing. */
export function decide(
  candidates: readonly Candidate[],
): { form: string } | { options: string[] } | undefined {
  const best = candidates[0];
  if (!best) return undefined;
  const tied = [
    ...new Set(candidates.filter((c) => c.distance === best.distance).map((c) => c.item)),
  ];
  if (tied.length === 1) return { form: best.form };
  return { options: tied.slice(0, 2) };
}

function plausibleDrinkWord(
  words: readonly string[],
  i: number,
  offMenuWords: ReadonlySet<string>,
): boolean {
  const w = words[i]!;
  if (w.length < 4 || NEVER_CORRECTED.has(w) || offMenuWords.has(w) || /\d/.test(w)) return false;
  const before = words[i - 1];
  const after = words[i + 1];
  // Ordered ("two negronnis", "a manhatan please") or alone ("mohitoes?") — not a word in a story.
  return (
    words.length <= 3 ||
    (before !== undefined && ORDER_CONTEXT.has(before)) ||
    after === undefined ||
    after === 'please' ||
    after === 'and' ||
    after === 'for'
  );
}

/** A base spirit right before a cocktail names the cocktail's base: "gin martini", "rum daiquiri". */
const BASE_SPIRITS = new Set([
  'gin',
  'vodka',
  'rum',
  'tequila',
  'whiskey',
  'whisky',
  'bourbon',
  'scotch',
  'rye',
  'brandy',
  'cognac',
  'mezcal',
  'white rum',
  'dark rum',
]);

/** Menu forms (lower case, plurals included) → the drink they name. */
export type MenuForms = ReadonlyMap<string, Pick<MenuItem, 'name' | 'category'>>;

export type DrinkNameReader = (input: readonly string[]) => DrinkNameReading;

/** A drink-name reader for one menu's forms; `offMenuWords` (words of drinks we don't serve) are never corrected. */
export function createDrinkNameReader(
  menuForms: MenuForms,
  offMenuWords: ReadonlySet<string> = new Set(),
): DrinkNameReader {
  /** The longest menu form, in words. */
  const MAX_FORM_WORDS = Math.max(...[...menuForms.keys()].map((f) => f.split(' ').length));

  /** Menu forms of `words` words, by first letter, for the near-name search. */
  const FORMS_BY_SIZE: ReadonlyMap<number, readonly (readonly [string, string])[]> = (() => {
    const out = new Map<number, [string, string][]>();
    for (const [form, item] of menuForms) {
      const n = form.split(' ').length;
      out.set(n, [...(out.get(n) ?? []), [form, item.name]]);
    }
    return out;
  })();

  /** The menu forms nearest to `phrase` (a word or two), at most the allowed distance away. */
  function nearestForms(phrase: string, words: number): Candidate[] {
    const allowed = allowedDistance(phrase.replace(/ /g, '').length);
    const forms = FORMS_BY_SIZE.get(words) ?? [];
    const out: Candidate[] = [];
    for (const [form, item] of forms) {
      if (form[0] !== phrase[0] || Math.abs(form.length - phrase.length) > allowed) continue;
      const d = allowed > 0 ? distance(phrase, form) : Infinity;
      if (d <= allowed) out.push({ form, item, distance: d });
      // Two letters swapped ("vodak", "whsikey") is one slip of the fingers, not two.
      else if (
        phrase.length >= 5 &&
        phrase.length === form.length &&
        sortedLetters(phrase) === sortedLetters(form)
      )
        out.push({ form, item, distance: 1 });
    }
    return out.sort((a, b) => a.distance - b.distance);
  }

  /** Two-word menu forms, indexed by each of their words: [the other word, which side it is on, form, item]. */
  const PAIRS_BY_WORD: ReadonlyMap<
    string,
    readonly { other: string; otherFirst: boolean; form: string; item: string }[]
  > = (() => {
    const out = new Map<
      string,
      { other: string; otherFirst: boolean; form: string; item: string }[]
    >();
    for (const [form, item] of FORMS_BY_SIZE.get(2) ?? []) {
      const [a, b] = form.split(' ') as [string, string];
      out.set(a, [...(out.get(a) ?? []), { other: b, otherFirst: false, form, item }]);
      out.set(b, [...(out.get(b) ?? []), { other: a, otherFirst: true, form, item }]);
    }
    return out;
  })();

  /** Two-word menu names with one word right and the other a slip away ("iced tee", "old fashoned"). */
  function nearPairs(first: string, second: string): Candidate[] {
    const out: Candidate[] = [];
    const consider = (right: string, said: string, saidFirst: boolean) => {
      for (const p of PAIRS_BY_WORD.get(right) ?? []) {
        if (
          p.otherFirst !== saidFirst ||
          said.length < 3 ||
          said[0] !== p.other[0] ||
          said === p.other
        )
          continue;
        if (Math.abs(said.length - p.other.length) > 2) continue;
        const d = distance(said, p.other);
        if (d <= Math.max(1, allowedDistance(said.length)))
          out.push({ form: p.form, item: p.item, distance: d });
      }
    };
    consider(first, second, false);
    consider(second, first, true);
    return out.sort((x, y) => x.distance - y.distance);
  }

  function formAt(words: readonly string[], i: number): { form: string; size: number } | undefined {
    for (let n = Math.min(MAX_FORM_WORDS, words.length - i); n >= 1; n--) {
      const phrase = words.slice(i, i + n).join(' ');
      if (menuForms.has(phrase)) return { form: phrase, size: n };
    }
    return undefined;
  }

  return function readDrinkNames(input: readonly string[]): DrinkNameReading {
    const words: string[] = [];
    const corrections: DrinkNameReading['corrections'] = [];
    let ambiguous: DrinkNameReading['ambiguous'];
    for (let i = 0; i < input.length; ) {
      const exact = formAt(input, i);
      // Two words a little off, one of them right ("old fashoned", "whiskey sower", "iced tee").
      if (!exact || exact.size === 1) {
        const pair = input.slice(i, i + 2);
        if (
          pair.length === 2 &&
          !menuForms.has(pair.join(' ')) &&
          pair.every((w) => !NEVER_CORRECTED.has(w) && !offMenuWords.has(w))
        ) {
          const near = nearPairs(pair[0]!, pair[1]!);
          const choice = decide(near);
          if (choice && 'form' in choice) {
            corrections.push({ said: pair.join(' '), form: choice.form });
            words.push(...choice.form.split(' '));
            i += 2;
            continue;
          }
        }
      }
      if (exact) {
        const spirit = menuForms.get(exact.form);
        const next = formAt(input, i + exact.size);
        // "gin martini" → "martini"; "a gin, a martini" keeps both (the parser sees "a" in between).
        if (
          spirit?.category === 'spirits' &&
          BASE_SPIRITS.has(exact.form) &&
          next &&
          menuForms.get(next.form)?.category === 'cocktails'
        ) {
          corrections.push({ said: `${exact.form} ${next.form}`, form: next.form });
          words.push(...next.form.split(' '));
          i += exact.size + next.size;
          continue;
        }
        words.push(...input.slice(i, i + exact.size));
        i += exact.size;
        continue;
      }
      if (plausibleDrinkWord(input, i, offMenuWords)) {
        const choice = decide(nearestForms(input[i]!, 1));
        if (choice && 'form' in choice) {
          corrections.push({ said: input[i]!, form: choice.form });
          words.push(choice.form);
          i += 1;
          continue;
        }
        if (choice && 'options' in choice)
          ambiguous ??= { said: input[i]!, options: choice.options };
      }
      words.push(input[i]!);
      i += 1;
    }
    return { words, corrections, ...(ambiguous ? { ambiguous } : {}) };
  };
}

const readers = new WeakMap<Menu, DrinkNameReader>();

/** The drink-name reader of a menu (made once per menu: a changed menu gets its own). */
export function drinkNameReaderFor(menu: Menu): DrinkNameReader {
  let reader = readers.get(menu);
  if (!reader) {
    reader = createDrinkNameReader(menu.forms, offMenuFor(menu).words);
    readers.set(menu, reader);
  }
  return reader;
}

/** Reads against the bundled menu (tests). */
export const readDrinkNames = drinkNameReaderFor(BUNDLED_MENU);
