/**
 * The menu file (MAYA_MENU, the bundled shared/data/menu.json, the back office's edits): its zod
 * schema, and `parseMenuFile`, whose error messages name the file, the item and the field
 * ('menu.json: item 3 "Pina Colada": priceCents: …'). Used by the server (start-up, admin writes,
 * Redis) and the back-office page (the same checks before saving).
 */
import { z } from 'zod';

export const MENU_CATEGORIES = ['cocktails', 'beer', 'spirits', 'wine', 'non-alcoholic'] as const;
export type MenuCategory = (typeof MENU_CATEGORIES)[number];

/** Modifiers never change the price, except "double" (1.5×, rounded to cents). */
export const MODIFIERS = [
  'neat',
  'on the rocks',
  'shaken',
  'stirred',
  'dry',
  'dirty',
  'perfect',
  'with a chaser',
  'double',
] as const;
export type Modifier = (typeof MODIFIERS)[number];

export const PREFERENCES = ['sober', 'classy', 'fruity', 'strong', 'any'] as const;
export type Preference = (typeof PREFERENCES)[number];

/** Singular spellings operators write ("cocktail") → the category. */
const CATEGORY_SPELLINGS: Readonly<Record<string, MenuCategory>> = {
  cocktail: 'cocktails',
  spirit: 'spirits',
  beers: 'beer',
  wines: 'wine',
  'non alcoholic': 'non-alcoholic',
  nonalcoholic: 'non-alcoholic',
  'soft drinks': 'non-alcoholic',
  soft: 'non-alcoholic',
};

const Category = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? (CATEGORY_SPELLINGS[v.trim().toLowerCase()] ?? v.trim().toLowerCase())
      : v,
  z.enum(MENU_CATEGORIES, { error: () => `must be one of ${MENU_CATEGORIES.join(', ')}` }),
);

/** Lower case, accents folded, punctuation to spaces: the key every spoken or typed form is matched by. */
export function normalizeName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const Name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(60, 'must be at most 60 characters')
  .refine((s) => normalizeName(s) !== '', 'must contain letters or digits');

export const MenuItemFileSchema = z.strictObject({
  name: Name,
  category: Category,
  priceCents: z
    .number({ error: 'must be a number of cents' })
    .int('must be a whole number of cents')
    .min(0, 'must not be negative')
    .max(100_000, 'must be at most 100000 (1,000.00)'),
  /** Other ways guests say it (plurals are derived). */
  aliases: z.array(Name).max(30).default([]),
  /** What it is like ("bright and tart"): answers "what's it like?". */
  description: z.string().trim().min(1).max(300).optional(),
  /** What is in it ("rum, lime and sugar, shaken"): answers "what's in it?". */
  recipe: z.string().trim().min(1).max(300).optional(),
  /** Preferences this drink is recommended for (when `recommendations` does not list that preference). */
  tags: z.array(z.enum(PREFERENCES)).max(PREFERENCES.length).default([]),
  /** Whether "double" may be ordered (1.5× the price). Default true. */
  doubleAllowed: z.boolean().default(true),
});
export type MenuItemFile = z.infer<typeof MenuItemFileSchema>;
export type MenuItemFileInput = z.input<typeof MenuItemFileSchema>;

export const MenuFileSchema = z
  .strictObject({
    currency: z.literal('USD', { error: 'must be "USD"' }).default('USD'),
    items: z
      .array(MenuItemFileSchema)
      .min(1, 'must list at least one drink')
      .max(300, 'at most 300 drinks'),
    /** Preference → drinks in the order Maya offers them ("Whiskey neat": a name and a modifier). */
    recommendations: z
      .partialRecord(z.enum(PREFERENCES), z.array(z.string().min(1).max(80)).min(1).max(8))
      .optional(),
  })
  .superRefine((file, ctx) => {
    const owner = new Map<string, number>();
    file.items.forEach((item, i) => {
      const forms: [string, (string | number)[]][] = [
        [item.name, ['items', i, 'name']],
        ...item.aliases.map((a, k): [string, (string | number)[]] => [
          a,
          ['items', i, 'aliases', k],
        ]),
      ];
      for (const [form, path] of forms) {
        const key = normalizeName(form);
        const other = owner.get(key);
        if (other !== undefined && other !== i)
          ctx.addIssue({
            code: 'custom',
            path,
            message: `"${form}" is already a name or alias of "${file.items[other]!.name}" (names must be unique)`,
          });
        else owner.set(key, i);
      }
    });
    for (const [pref, list] of Object.entries(file.recommendations ?? {})) {
      list.forEach((entry, k) => {
        if (!recommendationItem(entry, file.items))
          ctx.addIssue({
            code: 'custom',
            path: ['recommendations', pref, k],
            message: `"${entry}" is not a drink on this menu (optionally followed by a modifier such as "neat")`,
          });
      });
    }
  });
export type MenuFile = z.infer<typeof MenuFileSchema>;
export type MenuFileInput = z.input<typeof MenuFileSchema>;

/** "Whiskey neat" → the Whiskey item and "neat"; undefined when it names no drink of `items`. */
export function recommendationItem<T extends { name: string }>(
  entry: string,
  items: readonly T[],
): { item: T; modifier?: Modifier } | undefined {
  const key = normalizeName(entry);
  const exact = items.find((i) => normalizeName(i.name) === key);
  if (exact) return { item: exact };
  for (const m of MODIFIERS) {
    if (!key.endsWith(` ${normalizeName(m)}`)) continue;
    const item = items.find(
      (i) => normalizeName(i.name) === key.slice(0, -(normalizeName(m).length + 1)),
    );
    if (item) return { item, modifier: m };
  }
  return undefined;
}

/** A menu that failed validation: `issues` are one line each, naming the file, the item and the field. */
export class MenuFileError extends Error {
  override readonly name = 'MenuFileError';
  constructor(
    readonly source: string,
    readonly issues: readonly string[],
  ) {
    super(`Invalid menu ${source}:\n${issues.map((i) => `  ${i}`).join('\n')}`);
  }
}

/** One issue as a line: `items[2] "Pina Colada": priceCents: must not be negative`. */
export function describeIssue(
  data: unknown,
  issue: { path: readonly PropertyKey[]; message: string },
): string {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (path[0] === 'items' && typeof path[1] === 'number') {
    const raw = Array.isArray((data as { items?: unknown })?.items)
      ? (data as { items: unknown[] }).items[path[1]]
      : undefined;
    const name =
      raw && typeof raw === 'object' && typeof (raw as { name?: unknown }).name === 'string'
        ? ` "${(raw as { name: string }).name}"`
        : '';
    const field = path.slice(2).join('.') || '(the item)';
    return `item ${path[1] + 1}${name}: ${field}: ${issue.message}`;
  }
  return `${path.join('.') || '(the file)'}: ${issue.message}`;
}

/** Validate menu data from `source` (a file name, "the back office", "Redis"); throws MenuFileError. */
export function validateMenu(data: unknown, source: string): MenuFile {
  const parsed = MenuFileSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new MenuFileError(
    source,
    parsed.error.issues.map((i) => `${source}: ${describeIssue(data, i)}`),
  );
}

/** Parse the text of a menu file (JSON) named `source`; throws MenuFileError on bad JSON or bad data. */
export function parseMenuFile(text: string, source: string): MenuFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new MenuFileError(source, [
      `${source}: not valid JSON (${e instanceof Error ? e.message : String(e)})`,
    ]);
  }
  return validateMenu(data, source);
}
