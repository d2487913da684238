/**
 * The menu as data: the one place drinks, prices and aliases live. The UI, the tools, the LLM prompt
 * and the speech grammar are all generated from it.
 */
export const MENU_CATEGORIES = ['cocktails', 'beer', 'spirits', 'wine', 'non-alcoholic'] as const;
export type MenuCategory = (typeof MENU_CATEGORIES)[number];

export interface MenuItem {
  /** Canonical display name, e.g. "Old Fashioned". */
  readonly name: string;
  readonly category: MenuCategory;
  readonly priceCents: number;
  /** Other ways guests say it (lower case, singular); plurals are derived. */
  readonly aliases: readonly string[];
}

export const MENU: readonly MenuItem[] = [
  { name: 'Daiquiri', category: 'cocktails', priceCents: 1000, aliases: ['daquiri', 'daiquiry'] },
  { name: 'Martini', category: 'cocktails', priceCents: 1300, aliases: ['dry martini'] },
  { name: 'Long Island', category: 'cocktails', priceCents: 1200, aliases: ['long island iced tea', 'long island ice tea'] },
  { name: 'Old Fashioned', category: 'cocktails', priceCents: 1200, aliases: ['old-fashioned', 'old fashion'] },
  { name: 'Negroni', category: 'cocktails', priceCents: 1100, aliases: [] },
  { name: 'Cosmopolitan', category: 'cocktails', priceCents: 1200, aliases: ['cosmo'] },
  { name: 'Manhattan', category: 'cocktails', priceCents: 1200, aliases: [] },
  { name: 'Margarita', category: 'cocktails', priceCents: 1100, aliases: ['marg', 'margherita'] },
  { name: 'Mojito', category: 'cocktails', priceCents: 1100, aliases: [] },
  { name: 'Whiskey Sour', category: 'cocktails', priceCents: 1100, aliases: ['whisky sour'] },
  { name: 'Tap Beer', category: 'beer', priceCents: 500, aliases: ['beer', 'draft', 'draught', 'draft beer', 'lager', 'pint'] },
  { name: 'Classic Brew', category: 'beer', priceCents: 500, aliases: ['classic'] },
  { name: 'IPA', category: 'beer', priceCents: 600, aliases: ['india pale ale', 'pale ale', 'i p a'] },
  { name: 'Whiskey', category: 'spirits', priceCents: 800, aliases: ['whisky', 'bourbon', 'scotch'] },
  { name: 'Vodka', category: 'spirits', priceCents: 700, aliases: [] },
  { name: 'Rum', category: 'spirits', priceCents: 700, aliases: [] },
  { name: 'Gin', category: 'spirits', priceCents: 800, aliases: [] },
  { name: 'Tequila', category: 'spirits', priceCents: 800, aliases: [] },
  { name: 'Brandy', category: 'spirits', priceCents: 900, aliases: ['cognac'] },
  { name: 'Red Wine', category: 'wine', priceCents: 900, aliases: ['red', 'glass of red', 'merlot', 'cabernet'] },
  { name: 'White Wine', category: 'wine', priceCents: 900, aliases: ['white', 'glass of white', 'chardonnay', 'sauvignon blanc'] },
  { name: 'Water', category: 'non-alcoholic', priceCents: 100, aliases: ['glass of water', 'still water', 'sparkling water', 'soda water', 'club soda'] },
  { name: 'Iced Tea', category: 'non-alcoholic', priceCents: 200, aliases: ['ice tea', 'iced-tea'] },
  { name: 'Lemonade', category: 'non-alcoholic', priceCents: 200, aliases: [] },
  { name: 'Soda', category: 'non-alcoholic', priceCents: 300, aliases: ['coke', 'cola', 'pop', 'soft drink', 'sprite', 'coca cola'] },
];

/** Modifiers never change the price, except "double" (1.5×, rounded to cents). */
export const MODIFIERS = ['neat', 'on the rocks', 'shaken', 'stirred', 'dry', 'dirty', 'perfect', 'with a chaser', 'double'] as const;
export type Modifier = (typeof MODIFIERS)[number];

export const PREFERENCES = ['sober', 'classy', 'fruity', 'strong', 'any'] as const;
export type Preference = (typeof PREFERENCES)[number];

export const RECOMMENDATIONS: Readonly<Record<Preference, readonly string[]>> = {
  sober: ['Water', 'Iced Tea', 'Lemonade', 'Soda'],
  classy: ['Martini', 'Old Fashioned', 'Manhattan', 'Negroni'],
  fruity: ['Daiquiri', 'Cosmopolitan', 'Margarita', 'Mojito'],
  strong: ['Long Island', 'Old Fashioned', 'Negroni', 'Whiskey neat'],
  any: ['Martini', 'Daiquiri', 'Old Fashioned', 'IPA'],
};

export function normalizeName(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function plural(word: string): string[] {
  if (word.endsWith('s')) return [word + 'es'];
  if (/[^aeiou]y$/.test(word)) return [word.slice(0, -1) + 'ies', word + 's'];
  if (word.endsWith('o')) return [word + 's', word + 'es'];
  return [word + 's'];
}

/** Every spoken form (lower case) → menu item, plurals included. Longest forms first for matching. */
export const MENU_FORMS: ReadonlyMap<string, MenuItem> = (() => {
  const forms = new Map<string, MenuItem>();
  for (const item of MENU) {
    for (const base of [item.name, ...item.aliases].map(normalizeName)) {
      const words = base.split(' ');
      const last = words.at(-1) ?? base;
      const variants = [base, ...plural(last).map((p) => [...words.slice(0, -1), p].join(' '))];
      // "old fashioneds", "whiskey sours": also pluralise the whole phrase's last word only.
      for (const v of variants) if (!forms.has(v)) forms.set(v, item);
    }
  }
  return new Map([...forms.entries()].sort((a, b) => b[0].length - a[0].length));
})();

export function findMenuItem(name: string): MenuItem | undefined {
  return MENU_FORMS.get(normalizeName(name));
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

/** The closest menu items to an unknown name (at most `limit`), by edit distance and shared words. */
export function suggestMenuItems(name: string, limit = 3): MenuItem[] {
  const query = normalizeName(name);
  const qWords = new Set(query.split(' '));
  const scored = MENU.map((item) => {
    let best = Infinity;
    for (const form of [item.name, ...item.aliases].map(normalizeName)) {
      const shared = form.split(' ').some((w) => qWords.has(w) && w.length > 2);
      const d = levenshtein(query, form) / Math.max(query.length, form.length) - (shared ? 0.5 : 0);
      best = Math.min(best, d);
    }
    return { item, score: best };
  });
  return scored
    .sort((a, b) => a.score - b.score)
    .slice(0, limit)
    .map((s) => s.item);
}
