/**
 * The menu as a value: one `Menu` is built from a validated menu file (shared/menuFile.ts) and derives
 * everything the rest reads from it — every spoken and typed form with plurals, lookups, "did you
 * mean" suggestions, recommendations. A menu never changes; a change of menu is a new `Menu` (the
 * server's MenuCatalog hands out the current one), so a turn reads one consistent menu.
 *
 * `BUNDLED_MENU` is the bar's default (shared/data/menu.json). The `MENU`, `MENU_FORMS`,
 * `findMenuItem`... exports below are that bundled menu, for tests, benches and fixtures; serving
 * code reads the live menu it is given instead.
 */
import bundled from './data/menu.json' with { type: 'json' };
import {
  MENU_CATEGORIES,
  MODIFIERS,
  PREFERENCES,
  normalizeName,
  recommendationItem,
  validateMenu,
} from './menuFile.ts';
import type { MenuCategory, MenuFile, Modifier, Preference } from './menuFile.ts';

export { MENU_CATEGORIES, MODIFIERS, PREFERENCES, normalizeName };
export type { MenuCategory, Modifier, Preference };

export interface MenuItem {
  /** Canonical display name, e.g. "Old Fashioned". */
  readonly name: string;
  readonly category: MenuCategory;
  readonly priceCents: number;
  /** Other ways guests say it (plurals are derived). */
  readonly aliases: readonly string[];
  readonly description?: string;
  readonly recipe?: string;
  readonly tags: readonly Preference[];
  readonly doubleAllowed: boolean;
}

function plural(word: string): string[] {
  if (word.endsWith('s')) return [word + 'es'];
  // "scotch" → "scotches"; the bare "s" stays as typed ("scotchs").
  if (/(ch|sh|x|z)$/.test(word)) return [word + 'es', word + 's'];
  if (/[^aeiou]y$/.test(word)) return [word.slice(0, -1) + 'ies', word + 's'];
  if (word.endsWith('o')) return [word + 's', word + 'es'];
  return [word + 's'];
}

/** Edit distance, for "did you mean" suggestions on unknown drinks. */
function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export class Menu {
  readonly currency: 'USD';
  readonly items: readonly MenuItem[];
  /** Every spoken form (lower case) → menu item, plurals included. Longest forms first for matching. */
  readonly forms: ReadonlyMap<string, MenuItem>;
  /** Preference → what Maya offers ("Whiskey neat"), from the file's list or the items' tags. */
  readonly recommendations: Readonly<Record<Preference, readonly string[]>>;

  /** `file` must already be validated (validateMenu / parseMenuFile). */
  constructor(readonly file: MenuFile) {
    this.currency = file.currency;
    this.items = file.items.map((i) =>
      Object.freeze({ ...i, aliases: [...i.aliases], tags: [...i.tags] }),
    );
    const forms = new Map<string, MenuItem>();
    for (const item of this.items) {
      for (const base of [item.name, ...item.aliases].map(normalizeName)) {
        const words = base.split(' ');
        const last = words.at(-1) ?? base;
        const variants = [base, ...plural(last).map((p) => [...words.slice(0, -1), p].join(' '))];
        for (const v of variants) if (!forms.has(v)) forms.set(v, item);
      }
    }
    this.forms = new Map([...forms.entries()].sort((a, b) => b[0].length - a[0].length));
    const recs = {} as Record<Preference, readonly string[]>;
    for (const p of PREFERENCES) {
      const listed = file.recommendations?.[p]?.filter((e) => recommendationItem(e, this.items));
      const tagged = this.items.filter((i) => i.tags.includes(p)).map((i) => i.name);
      recs[p] = listed?.length
        ? listed
        : tagged.length
          ? tagged.slice(0, 4)
          : this.items.slice(0, 4).map((i) => i.name);
    }
    this.recommendations = recs;
  }

  /** The item a spoken or typed form names (any case, plural or alias). */
  find(name: string): MenuItem | undefined {
    return this.forms.get(normalizeName(name));
  }

  byCategory(category: MenuCategory): MenuItem[] {
    return this.items.filter((i) => i.category === category);
  }

  /** The closest menu items to an unknown name (at most `limit`), by edit distance and shared words. */
  suggest(name: string, limit = 3): MenuItem[] {
    const query = normalizeName(name);
    const qWords = new Set(query.split(' '));
    const scored = this.items.map((item) => {
      let best = Infinity;
      for (const form of [item.name, ...item.aliases].map(normalizeName)) {
        const shared = form.split(' ').some((w) => qWords.has(w) && w.length > 2);
        const d =
          levenshtein(query, form) / Math.max(query.length, form.length) - (shared ? 0.5 : 0);
        best = Math.min(best, d);
      }
      return { item, score: best };
    });
    return scored
      .sort((a, b) => a.score - b.score)
      .slice(0, limit)
      .map((s) => s.item);
  }
}

/** The bar's default menu (shared/data/menu.json), used when MAYA_MENU is not set. */
export const BUNDLED_MENU = new Menu(validateMenu(bundled, 'shared/data/menu.json'));

// ---- the bundled menu, for tests, benches and fixtures (serving code reads the live menu) ----
export const MENU: readonly MenuItem[] = BUNDLED_MENU.items;
export const MENU_FORMS: ReadonlyMap<string, MenuItem> = BUNDLED_MENU.forms;
export const RECOMMENDATIONS: Readonly<Record<Preference, readonly string[]>> =
  BUNDLED_MENU.recommendations;
export function findMenuItem(name: string): MenuItem | undefined {
  return BUNDLED_MENU.find(name);
}
export function suggestMenuItems(name: string, limit = 3): MenuItem[] {
  return BUNDLED_MENU.suggest(name, limit);
}
