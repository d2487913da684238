/** Which words decide a charge, and the grammar that re-checks them. */
import { describe, expect, it } from 'vitest';
import {
  answerFsg,
  confirmationGrammar,
  findSlots,
  lostDrinkGrammar,
  numberAgreement,
  numberDisagreement,
  slotSignature,
  twoAfterStop,
  withOneForTwoAfterStop,
  withoutTwoAfterStop,
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

describe('"two" after a stop', () => {
  // A few dictionary pronunciations, as the decoder's lookup gives them.
  const phones: Record<string, string> = {
    get: 'G EH T',
    want: 'W AA N T',
    and: 'AH N D',
    have: 'HH AE V',
    me: 'M IY',
    i: 'AY',
  };
  const phonesOf = (w: string) => phones[w] ?? null;
  const doubted = (s: string) => twoAfterStop(words(s), findSlots(words(s), vocab), phonesOf);

  it('doubts a two that follows a word ending in t or d, and no other count', () => {
    expect(doubted('can i get two beers')).toBe(true);
    expect(doubted('i want two mojitos')).toBe(true);
    expect(doubted('a gin and two beers')).toBe(true);
    expect(doubted('can i have two beers')).toBe(false);
    expect(doubted('give me two beers')).toBe(false);
    expect(doubted('two beers')).toBe(false);
    expect(doubted('can i get three beers')).toBe(false);
    expect(doubted('can i get a beer')).toBe(false);
  });

  it('reads each doubted two as "a" for the other reading, and leaves other counts', () => {
    const other = (s: string) =>
      withOneForTwoAfterStop(words(s), findSlots(words(s), vocab), phonesOf).join(' ');
    expect(other('can i get two whiskeys on the rocks')).toBe('can i get a whiskeys on the rocks');
    expect(other('i want two old fashioneds')).toBe('i want an old fashioneds');
    expect(other('give me two beers and two mojitos')).toBe('give me two beers and a mojitos');
    expect(other('can i have two beers')).toBe('can i have two beers');
  });

  it('does not count a second listen hearing "two" for "a" after a stop as a disagreement', () => {
    const first = words('can i get a beer');
    const second = (s: string) => ({ words: words(s), slots: findSlots(words(s), vocab) });
    const signature = (s: string) =>
      slotSignature(withoutTwoAfterStop(findSlots(first, vocab), second(s), phonesOf));
    expect(signature('can i get two beer')).toBe(slotSignature(findSlots(first, vocab)));
    // Any other change is still a disagreement.
    expect(signature('can i get three beer')).not.toBe(slotSignature(findSlots(first, vocab)));
    expect(
      slotSignature(
        withoutTwoAfterStop(
          findSlots(words('can i have a beer'), vocab),
          second('can i have two beer'),
          phonesOf,
        ),
      ),
    ).toBe('2 | Tap Beer');
  });
});

describe('a serving heard without its drink', () => {
  const categoryOf = (drink: string) =>
    ({ Rum: 'spirits', Whiskey: 'spirits', Mojito: 'cocktails', 'Tap Beer': 'beer' })[drink];
  const grammar = (s: string) => lostDrinkGrammar(words(s), vocab, ['zzah'], categoryOf);

  it('listens for a drink served so in place of the words before the serving', () => {
    const g = grammar('wrong on the rocks please');
    expect(g).toContain('(bourbon | rum | scotch | whiskey | whisky)');
    expect(g).not.toMatch(/\bmojito\b|\bbeer\b/);
    expect(g).toMatch(/\) \[<garbage>\] on the rocks please;/);
    expect(grammar('the rocks please')).toMatch(/\) \[<garbage>\] on the rocks please;/);
    expect(grammar('uh one stirred')).toMatch(/\(mojito[^)]*\) \[<garbage>\] stirred;/);
  });

  it('leaves alone a sentence with a drink, a question, or a serving far from the start', () => {
    expect(grammar('a rum on the rocks please')).toBeNull();
    expect(grammar('do you do them on the rocks')).toBeNull();
    expect(grammar('my wife and i had it on the rocks')).toBeNull();
    expect(grammar('on the rocks is how i like it best')).toBeNull();
    expect(grammar('two more please')).toBeNull();
  });
});

describe('the answer listen', () => {
  const garbage = ['zzaa', 'zzb'];
  const fsg = answerFsg(['yes', 'no thanks', 'of kors'], (w) => w !== 'kors', garbage, {
    garbagePrior: 0.5,
    phoneScore: 0.05,
  });
  /** Every word sequence from start to final that does not loop (the answers), as text. */
  const paths = () => {
    const out: string[] = [];
    const walk = (state: number, said: string[]) => {
      if (state === fsg!.final) out.push(said.join(' '));
      for (const a of fsg!.arcs)
        if (a.from === state && a.to !== state && a.word && !garbage.includes(a.word))
          walk(a.to, [...said, a.word]);
    };
    walk(fsg!.start, []);
    return out.sort();
  };

  it('holds each pronounceable answer whole, each once', () => {
    expect(paths()).toEqual(['no thanks', 'yes']);
    const first = fsg!.arcs.filter((a) => a.from === fsg!.start && !garbage.includes(a.word!));
    // The answers share the half of the prior the phone loop does not take.
    expect(first.map((a) => a.prob)).toEqual([0.25, 0.25]);
  });

  it('lets free phones compete, each phone paying its score, and end the utterance', () => {
    const loop = fsg!.arcs.filter((a) => a.word && garbage.includes(a.word));
    expect(loop.filter((a) => a.from === fsg!.start).map((a) => a.prob)).toEqual([0.025, 0.025]);
    const into = loop.find((a) => a.from === fsg!.start)!.to;
    expect(loop.filter((a) => a.from === into && a.to === into).map((a) => a.prob)).toEqual([
      0.05, 0.05,
    ]);
    expect(fsg!.arcs).toContainEqual({ from: into, to: fsg!.final, prob: 1, word: null });
  });

  it('is not built when no answer can be said', () => {
    expect(
      answerFsg(['of kors'], (w) => w !== 'kors', garbage, { garbagePrior: 0.5, phoneScore: 0.05 }),
    ).toBeNull();
  });
});
