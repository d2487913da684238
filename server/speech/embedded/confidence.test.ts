/** Which words decide a charge, and the grammar that re-checks them. */
import { describe, expect, it } from 'vitest';
import {
  confirmationGrammar,
  findSlots,
  numberAgreement,
  numberDisagreement,
  slotSignature,
} from './confidence.ts';
import { recogniserVocabulary } from './corpus.ts';

const vocab = recogniserVocabulary();
const words = (s: string) => s.split(' ');

describe('slots', () => {
  it('finds drinks (longest form), their quantity words and tip percents', () => {
    const slots = findSlots(
      words('yeah can i get two old fashioneds and a glass of red please'),
      vocab,
    );
    expect(slots.map((s) => [s.kind, s.value])).toEqual([
      ['quantity', '2'],
      ['drink', 'Old Fashioned'],
      ['quantity', '1'],
      ['drink', 'Red Wine'],
    ]);
    expect(slotSignature(findSlots(words('add a twenty five percent tip'), vocab))).toBe(
      'twenty five',
    );
  });

  it('tells "a" from "two" in the signature, and ignores the plural', () => {
    const a = slotSignature(findSlots(words('a beer please'), vocab));
    expect(a).not.toBe(slotSignature(findSlots(words('two beers please'), vocab)));
    expect(a).toBe(slotSignature(findSlots(words('one beers please'), vocab)));
  });

  it('finds none in a remark', () => {
    expect(findSlots(words('what time do you close'), vocab)).toEqual([]);
  });
});

describe('confirmation grammar', () => {
  it('opens each slot to its rivals and a phone loop, and keeps the other words', () => {
    const w = words('can i get two beers please');
    const g = confirmationGrammar(w, findSlots(w, vocab), vocab, ['zzaa', 'zzb'], 0.5)!;
    expect(g).toMatch(
      /^public <utt> = can i get \(\/1\/ a \|[^<]*\/1\/ two [^<]*\) \(\/1\/ .*\/1\/ beers \|.*\/0\.5\/ <garbage>\) please;$/m,
    );
    expect(
      confirmationGrammar(words('what time do you close'), [], vocab, ['zzaa'], 0.5),
    ).toBeNull();
  });
});

describe('number agreement', () => {
  it('doubts a count that disagrees with its drink, whatever the drink', () => {
    for (const s of [
      'can i get two brandy',
      'could i get two perfect manhattan please',
      'let me get three water',
      'a mojitos please',
      'did tequilas and rocks',
      'yeah margaritas please',
    ])
      expect(numberDisagreement(words(s), vocab), s).toBe(true);
  });
  it("offers the reading that agrees: the drink's ending is surer than the count", () => {
    expect(numberAgreement(words('can i get two brandy please'), vocab).agreeing.join(' ')).toBe(
      'can i get a brandy please',
    );
    expect(
      numberAgreement(words('two old fashioned and three ipa'), vocab).agreeing.join(' '),
    ).toBe('an old fashioned and an ipa');
  });
  it('trusts counts that agree, and counts that are not right before the drink', () => {
    for (const s of [
      'can i get two brandies',
      'a brandy please',
      'a couple of mojitos',
      'the mojito',
      'one red and one white',
      'two glasses of red',
      'what time do you close',
      'some beers for us',
      'cancel the margaritas',
      'three more ipas',
    ])
      expect(numberDisagreement(words(s), vocab), s).toBe(false);
  });
});
