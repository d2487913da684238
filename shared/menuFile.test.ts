import { describe, expect, it } from 'vitest';
import { MenuFileError, parseMenuFile, validateMenu } from './menuFile.ts';
import { BUNDLED_MENU, MENU, Menu } from './menu.ts';

const issuesOf = (text: string, source = 'bar.json'): string[] => {
  try {
    parseMenuFile(text, source);
  } catch (e) {
    if (e instanceof MenuFileError) return [...e.issues];
    throw e;
  }
  throw new Error('expected the menu to be refused');
};

describe('menu file schema', () => {
  it("accepts the issue's example, with singular categories and accented aliases", () => {
    const file = parseMenuFile(
      '{ "currency": "USD", "items": [ { "name": "Pina Colada", "category": "cocktail", "priceCents": 1300, "aliases": ["piña colada", "colada"] } ] }',
      'bar.json',
    );
    expect(file.items[0]).toMatchObject({
      name: 'Pina Colada',
      category: 'cocktails',
      priceCents: 1300,
      doubleAllowed: true,
      tags: [],
    });
    const menu = new Menu(file);
    expect(menu.find('PIÑA COLADAS')?.name).toBe('Pina Colada');
    expect(menu.find('coladas')?.priceCents).toBe(1300);
  });

  it('the bundled menu is the DOMAIN.md menu, with its recommendations and drink facts', () => {
    expect(MENU).toHaveLength(25);
    expect(BUNDLED_MENU.find('long island iced tea')?.name).toBe('Long Island');
    expect(BUNDLED_MENU.recommendations.strong).toEqual([
      'Long Island',
      'Old Fashioned',
      'Negroni',
      'Whiskey neat',
    ]);
    expect(MENU.every((m) => m.recipe && m.description)).toBe(true);
  });

  it('names the file, the item and the field of every problem', () => {
    const issues = issuesOf(
      JSON.stringify({
        items: [
          { name: 'Mojito', category: 'cocktails', priceCents: 1100 },
          { name: 'Paloma', category: 'tiki', priceCents: -5 },
          { name: 'Spritz', category: 'wine', priceCents: 9.5, aliases: [''] },
        ],
      }),
    );
    expect(issues).toContain(
      'bar.json: item 2 "Paloma": category: must be one of cocktails, beer, spirits, wine, non-alcoholic',
    );
    expect(issues).toContain('bar.json: item 2 "Paloma": priceCents: must not be negative');
    expect(issues).toContain(
      'bar.json: item 3 "Spritz": priceCents: must be a whole number of cents',
    );
    expect(issues).toContain('bar.json: item 3 "Spritz": aliases.0: must not be empty');
  });

  it('refuses wrong types, unknown fields and missing names', () => {
    expect(issuesOf('{"items":[{"category":"beer","priceCents":500}]}')).toEqual([
      expect.stringMatching(/^bar\.json: item 1: name: /),
    ]);
    expect(issuesOf('{"items":[{"name":"IPA","category":"beer","priceCents":"6.00"}]}')).toEqual([
      'bar.json: item 1 "IPA": priceCents: must be a number of cents',
    ]);
    expect(
      issuesOf('{"items":[{"name":"IPA","category":"beer","priceCents":600,"price":6}]}')[0],
    ).toMatch(/item 1 "IPA": \(the item\): .*price/);
    expect(
      issuesOf('{"currency":"EUR","items":[{"name":"IPA","category":"beer","priceCents":600}]}'),
    ).toEqual(['bar.json: currency: must be "USD"']);
    expect(issuesOf('{"items":[]}')).toEqual(['bar.json: items: must list at least one drink']);
    expect(issuesOf('[1,2]')[0]).toMatch(/^bar\.json: \(the file\): /);
  });

  it('refuses duplicate names and aliases across drinks (any case, accents folded)', () => {
    const issues = issuesOf(
      JSON.stringify({
        items: [
          { name: 'Martini', category: 'cocktails', priceCents: 1300 },
          { name: 'MARTINI', category: 'cocktails', priceCents: 1400 },
          { name: 'Gin', category: 'spirits', priceCents: 800, aliases: ['martíni'] },
        ],
      }),
    );
    expect(issues).toEqual([
      'bar.json: item 2 "MARTINI": name: "MARTINI" is already a name or alias of "Martini" (names must be unique)',
      'bar.json: item 3 "Gin": aliases.0: "martíni" is already a name or alias of "Martini" (names must be unique)',
    ]);
  });

  it('refuses recommendations of drinks not on the menu', () => {
    const issues = issuesOf(
      JSON.stringify({
        items: [{ name: 'Whiskey', category: 'spirits', priceCents: 800 }],
        recommendations: { strong: ['Whiskey neat', 'Absinthe'] },
      }),
    );
    expect(issues).toEqual([
      'bar.json: recommendations.strong.1: "Absinthe" is not a drink on this menu (optionally followed by a modifier such as "neat")',
    ]);
  });

  it('says when the file is not JSON', () => {
    expect(issuesOf('{ "items": [', '/etc/maya/menu.json')[0]).toMatch(
      /^\/etc\/maya\/menu\.json: not valid JSON/,
    );
  });

  it('recommends tagged drinks when the file lists none for a preference', () => {
    const menu = new Menu(
      validateMenu(
        {
          items: [
            { name: 'Paloma', category: 'cocktails', priceCents: 1000, tags: ['fruity'] },
            { name: 'Water', category: 'non-alcoholic', priceCents: 100, tags: ['sober'] },
          ],
        },
        'test',
      ),
    );
    expect(menu.recommendations.fruity).toEqual(['Paloma']);
    expect(menu.recommendations.sober).toEqual(['Water']);
  });
});
