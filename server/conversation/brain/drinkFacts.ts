/**
 * What each menu drink is made of and what it is like (data/drinks.json): the answer to "what's in
 * that?" and to "what's the difference between a Manhattan and an Old Fashioned?".
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fragment } from '../../phrasebook/lines.ts';

export const DEFAULT_DRINKS_URL = new URL('../data/drinks.json', import.meta.url);

const DrinkFactSchema = z.object({ made: z.string().min(1), like: z.string().min(1) });
export type DrinkFact = z.infer<typeof DrinkFactSchema>;
const DrinksSchema = z.object({ drinks: z.record(z.string(), DrinkFactSchema) });

export const DRINK_FACTS: ReadonlyMap<string, DrinkFact> = new Map(
  Object.entries(DrinksSchema.parse(JSON.parse(readFileSync(process.env.MAYA_DRINKS ?? DEFAULT_DRINKS_URL, 'utf8'))).drinks),
);

export function factsOf(item: string): DrinkFact {
  return DRINK_FACTS.get(item) ?? { made: fragment('fact_made_unknown'), like: fragment('fact_like_unknown') };
}
