/**
 * Off-menu drinks guests ask for, with the menu drinks closest in spirit (data/cousins.json): a
 * Sazerac → Old Fashioned or Manhattan. Used before spelling-based suggestions, and to recognise
 * off-menu names that contain a menu word ("gin and tonic", "espresso martini") so they are never
 * silently served as the menu drink inside them.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MENU_FORMS, findMenuItem, normalizeName, suggestMenuItems } from '../../../shared/menu.ts';

export const DEFAULT_COUSINS_URL = new URL('../data/cousins.json', import.meta.url);
const CousinsSchema = z.object({ cousins: z.record(z.string(), z.array(z.string()).min(1)) });

const COUSINS: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(CousinsSchema.parse(JSON.parse(readFileSync(process.env.MAYA_COUSINS ?? DEFAULT_COUSINS_URL, 'utf8'))).cousins),
);

/** Off-menu names that contain a menu word, longest first. */
export const OFF_MENU_COMPOUNDS: readonly string[] = [...COUSINS.keys()]
  .filter((k) => [...MENU_FORMS.keys()].some((form) => ` ${k} `.includes(` ${form} `)))
  .sort((a, b) => b.length - a.length);

/** Every off-menu name we know, longest first, as whole-word patterns. */
export const OFF_MENU_NAME_PATTERNS: readonly RegExp[] = [...COUSINS.keys()].sort((a, b) => b.length - a.length).map((k) => new RegExp(`\\b${k}s?\\b`, 'g'));

/** Words of off-menu drink names that are not menu words ("espresso", "colada"): never read as a near menu name. */
export const OFF_MENU_WORDS: ReadonlySet<string> = new Set(
  [...COUSINS.keys()].flatMap((k) => k.split(' ')).filter((w) => w.length > 3 && !MENU_FORMS.has(w)),
);

/** The off-menu compounds said in normalised text, and the text with them blanked out. */
export function maskOffMenu(t: string): { masked: string; offMenu: string[] } {
  const offMenu: string[] = [];
  let masked = t;
  for (const k of OFF_MENU_COMPOUNDS) {
    const re = new RegExp(`\\b${k}s?\\b`, 'g');
    if (re.test(masked)) {
      offMenu.push(k);
      masked = masked.replace(re, ' ').replace(/\s+/g, ' ').trim();
    }
  }
  return { masked, offMenu };
}

/** A drink we know by name though we don't serve it ("sazerac", "pina colada"). */
export function isKnownOffMenu(name: string): boolean {
  return COUSINS.has(normalizeName(name));
}

/** The closest menu drinks: by kinship when known, otherwise by spelling. */
export function closestDrinks(name: string, limit = 3): string[] {
  const key = normalizeName(name);
  const kin = COUSINS.get(key) ?? COUSINS.get(key.replace(/s$/, '')) ?? [...COUSINS.entries()].find(([k]) => ` ${key} `.includes(` ${k} `))?.[1];
  if (kin) return kin.filter((k) => findMenuItem(k)).slice(0, limit);
  return suggestMenuItems(name, limit).map((m) => m.name);
}
