/**
 * What each menu drink is made of and what it is like — the menu file's `recipe` and `description`:
 * the answer to "what's in that?" and to "what's the difference between a Manhattan and an Old
 * Fashioned?". A drink without them gets the phrasebook's "not sure" lines.
 */
import type { Menu } from '../../../shared/menu.ts';
import { fragment } from '../../phrasebook/lines.ts';

export interface DrinkFact {
  made: string;
  like: string;
}

export function factsOf(item: string, menu: Menu): DrinkFact {
  const m = menu.find(item);
  return {
    made: m?.recipe ?? fragment('fact_made_unknown'),
    like: m?.description ?? fragment('fact_like_unknown'),
  };
}
