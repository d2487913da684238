/**
 * "Did you mean the X or the Y?" end to end. No slip sits between two drinks of today's menu (every
 * near miss of it has one clearly nearest drink), so the reader is given a menu where it does: the
 * Gin is also called "tonka" and the Rum "tonga", and "tonda" is one letter from both. (The Rum is
 * named first: it comes first on the menu.)
 */
import { describe, expect, it } from 'vitest';
import { BUNDLED_MENU, Menu } from '../../shared/menu.ts';
import { validateMenu } from '../../shared/menuFile.ts';
import { fixedMenu } from '../menu/catalog.ts';
import { Scenario } from '../testing/scenario.ts';
import { chosenOption } from './confirm.ts';

const file = BUNDLED_MENU.file;
const withAliases = new Menu(
  validateMenu(
    {
      ...file,
      items: file.items.map((i) =>
        i.name === 'Gin'
          ? { ...i, aliases: ['tonka'] }
          : i.name === 'Rum'
            ? { ...i, aliases: ['tonga'] }
            : i,
      ),
    },
    'test menu',
  ),
);
const conversation = () => new Scenario({ menu: fixedMenu(withAliases) });

describe('did you mean X or Y', () => {
  it('asks when a slip sits between two drinks, and charges nothing', async () => {
    await conversation()
      .guest('a tonda please')
      .expectMentions(/the Rum or the Gin\?$/)
      .expectTab(0)
      .expectPending('which')
      .expectTools()
      .run();
  });

  it('"the second one" orders the second drink named', async () => {
    await conversation()
      .guest('a tonda please')
      .expectTab(0)
      .guest('the second one')
      .expectTab(800)
      .expectOrder([{ item: 'Gin', quantity: 1 }])
      .expectPending(null)
      .run();
  });

  it('naming a drink orders that drink', async () => {
    await conversation()
      .guest('a tonda please')
      .expectTab(0)
      .guest('gin please')
      .expectTab(800)
      .expectOrder([{ item: 'Gin', quantity: 1 }])
      .run();
  });

  it('a bare yes asks again; a no charges nothing', async () => {
    await conversation()
      .guest('a tonda please')
      .expectTab(0)
      .guest('yes')
      .expectTab(0)
      .expectMentions('Gin', 'Rum')
      .expectPending('which')
      .guest('no')
      .expectTab(0)
      .expectPending(null)
      .run();
  });

  it('reads the choice by position', () => {
    expect(chosenOption('the first one', 2)).toBe(0);
    expect(chosenOption('the second please', 2)).toBe(1);
    expect(chosenOption('the other one', 2)).toBe(1);
    expect(chosenOption('gin please', 2)).toBeUndefined();
  });
});
