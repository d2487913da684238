/** Drinks Maya names in a recommendation ("Whiskey neat") as something a "yes" can order. */
import { MODIFIERS } from '../../../shared/menu.ts';
import type { Menu } from '../../../shared/menu.ts';
import type { OrderItem } from '../../domain/session.ts';

export function itemFromPhrase(phrase: string, menu: Menu): OrderItem | undefined {
  const modifiers = MODIFIERS.filter((m) => phrase.toLowerCase().endsWith(` ${m}`));
  const name = modifiers.reduce((p, m) => p.slice(0, -(m.length + 1)), phrase);
  const item = menu.find(name);
  return item ? { item: item.name, quantity: 1, modifiers: [...modifiers] } : undefined;
}
