import { describe, expect, it } from 'vitest';
import { decide, readDrinkNames } from './drinkNames.ts';
import { prepare } from './text.ts';

const read = (text: string) => readDrinkNames(prepare(text).words);

describe('reading drink names', () => {
  it('corrects names a little off to the one nearest drink', () => {
    for (const [said, form] of [
      ['two negronnis', 'negronis'],
      ['mohitoes', 'mojitoes'],
      ['a manhatan', 'manhattan'],
      ['cosmopolitin', 'cosmopolitan'],
      ['a whsikey', 'whiskey'],
      ['vodak', 'vodka'],
      ['a margaritta', 'margarita'],
      ['tequilla shots', 'tequila'],
      ['lemonaid', 'lemonade'],
      ['an old fashoned', 'old fashioned'],
      ['iced tee please', 'iced tea'],
    ] as const) {
      expect(
        read(said).corrections.map((c) => c.form),
        said,
      ).toEqual([form]);
    }
  });

  it('leaves ordinary words, exact names and off-menu names alone', () => {
    for (const text of [
      'tell me jokes',
      'see you later',
      'scratch that',
      'two beers',
      'what wines have you got',
      'an espresso martini',
      'a whiskey and a martini',
    ]) {
      expect(read(text).corrections, text).toEqual([]);
    }
  });

  it('reads a base spirit before a cocktail as that cocktail (longest menu name wins)', () => {
    expect(read('a gin martini').words.join(' ')).toBe('a martini');
    expect(read('a rum daiquiri').words.join(' ')).toBe('a daiquiri');
    expect(read('a whiskey and a martini').words.join(' ')).toBe('a whiskey and a martini');
  });

  it('asks instead of guessing when two drinks are equally near', () => {
    expect(
      decide([
        { form: 'gin', item: 'Gin', distance: 1 },
        { form: 'rum', item: 'Rum', distance: 1 },
      ]),
    ).toEqual({ options: ['Gin', 'Rum'] });
    expect(
      decide([
        { form: 'whiskey', item: 'Whiskey', distance: 1 },
        { form: 'whisky', item: 'Whiskey', distance: 1 },
      ]),
    ).toEqual({ form: 'whiskey' });
    expect(
      decide([
        { form: 'gin', item: 'Gin', distance: 1 },
        { form: 'rum', item: 'Rum', distance: 2 },
      ]),
    ).toEqual({ form: 'gin' });
  });
});

describe('cutting the text into words', () => {
  it('keeps accents to say back, signs and multiplied counts', () => {
    const p = prepare("I'll have a piña colada, -3 beers, 3x negroni and negroni x2!");
    expect(p.text).toBe('i ll have a pina colada negative 3 beers 3 negroni and negroni x 2');
    expect(p.written.get('pina')).toBe('piña');
  });
});
