/**
 * Off-menu drinks guests ask for, with the menu drinks closest in spirit (data/cousins.json): a
 * Sazerac → Old Fashioned or Manhattan. Used before spelling-based suggestions, and to recognise
 * off-menu names that contain a menu word ("gin and tonic", "espresso martini") so they are never
 * silently served as the menu drink inside them.
 * Everything is made per menu (`offMenuFor`): a drink the operator adds to the menu ("gimlet") stops
 * being off-menu at once, and kin no longer on the menu are not offered.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BUNDLED_MENU, normalizeName } from '../../../shared/menu.ts';
import type { Menu } from '../../../shared/menu.ts';

export const DEFAULT_COUSINS_URL = new URL('../data/cousins.json', import.meta.url);
const CousinsSchema = z.object({ cousins: z.record(z.string(), z.array(z.string()).min(1)) });

const ALL_COUSINS: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(
    CousinsSchema.parse(
      JSON.parse(readFileSync(process.env.MAYA_COUSINS ?? DEFAULT_COUSINS_URL, 'utf8')),
    ).cousins,
  ),
);

export interface OffMenu {
  /** Off-menu names that contain a menu word, longest first. */
  readonly compounds: readonly string[];
  /** Every off-menu name we know, longest first, as whole-word patterns. */
  readonly namePatterns: readonly RegExp[];
  /** Words of off-menu drink names that are not menu words ("espresso", "colada"): never read as a near menu name. */
  readonly words: ReadonlySet<string>;
  /** The off-menu compounds said in normalised text, and the text with them blanked out. */
  mask(t: string): { masked: string; offMenu: string[] };
  /** A drink we know by name though we don't serve it ("sazerac", "pina colada"). */
  isKnown(name: string): boolean;
  /** The closest menu drinks: by kinship when known, otherwise by spelling. */
  closest(name: string, limit?: number): string[];
}

const cache = new WeakMap<Menu, OffMenu>();

export function offMenuFor(menu: Menu): OffMenu {
  const hit = cache.get(menu);
  if (hit) return hit;
  // A name the menu now serves is not off-menu any more.
  const cousins = new Map([...ALL_COUSINS].filter(([k]) => !menu.forms.has(k)));
  const compounds = [...cousins.keys()]
    .filter((k) => [...menu.forms.keys()].some((form) => ` ${k} `.includes(` ${form} `)))
    .sort((a, b) => b.length - a.length);
  const namePatterns = [...cousins.keys()]
    .sort((a, b) => b.length - a.length)
    .map((k) => new RegExp(`\\b${k}s?\\b`, 'g'));
  const words = new Set(
    [...cousins.keys()]
      .flatMap((k) => k.split(' '))
      .filter((w) => w.length > 3 && !menu.forms.has(w)),
  );
  const off: OffMenu = {
    compounds,
    namePatterns,
    words,
    mask(t) {
      const offMenu: string[] = [];
      let masked = t;
      for (const k of compounds) {
        const re = new RegExp(`\\b${k}s?\\b`, 'g');
        if (re.test(masked)) {
          offMenu.push(k);
          masked = masked.replace(re, ' ').replace(/\s+/g, ' ').trim();
        }
      }
      return { masked, offMenu };
    },
    isKnown: (name) => cousins.has(normalizeName(name)),
    closest(name, limit = 3) {
      const key = normalizeName(name);
      const kin =
        cousins.get(key) ??
        cousins.get(key.replace(/s$/, '')) ??
        [...cousins.entries()].find(([k]) => ` ${key} `.includes(` ${k} `))?.[1];
      const onMenu = kin?.filter((k) => menu.find(k));
      if (onMenu?.length) return onMenu.slice(0, limit);
      return menu.suggest(name, limit).map((m) => m.name);
    },
  };
  cache.set(menu, off);
  return off;
}

// ---- the bundled menu's (tests and fixtures) ----
const bundled = offMenuFor(BUNDLED_MENU);
export const OFF_MENU_COMPOUNDS = bundled.compounds;
export const OFF_MENU_NAME_PATTERNS = bundled.namePatterns;
export const OFF_MENU_WORDS = bundled.words;
export const maskOffMenu = (t: string) => bundled.mask(t);
export const isKnownOffMenu = (name: string) => bundled.isKnown(name);
export const closestDrinks = (name: string, limit = 3) => bundled.closest(name, limit);
