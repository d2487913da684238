/** The domain language model: estimates that are proper distributions, back-off, and its FSG. */
import { describe, expect, it } from 'vitest';
import { UNKNOWN_WORD, guestCorpus, recogniserVocabulary } from './corpus.ts';
import {
  SENTENCE_END,
  SENTENCE_START,
  bigramProbability,
  compileBigramFsg,
  estimateBigramModel,
} from './languageModel.ts';

const toy = estimateBigramModel(
  [
    ['two beers please', 3],
    ['a beer please', 2],
    ['two mojitos', 1],
    ['a pizza', 1],
  ],
  (w) => w !== 'pizza',
);

describe('bigram model', () => {
  it('sums to 1 over the vocabulary and </s> for every history', () => {
    for (const h of [SENTENCE_START, ...toy.vocabulary]) {
      const total = [...toy.vocabulary, SENTENCE_END].reduce(
        (s, w) => s + bigramProbability(toy, h, w),
        0,
      );
      expect(total, `history ${h}`).toBeCloseTo(1, 9);
    }
  });

  it('backs off to the unigram for unseen pairs, with less than the seen pairs get', () => {
    expect(toy.bigram.get('two')?.has('please')).toBe(false);
    const unseen = bigramProbability(toy, 'two', 'please');
    expect(unseen).toBeGreaterThan(0);
    expect(unseen).toBeCloseTo(toy.backoff.get('two')! * toy.unigram.get('please')!, 12);
    expect(bigramProbability(toy, 'two', 'beers')).toBeGreaterThan(unseen);
    // Witten-Bell: "two" was followed by 2 kinds of word in 4 tokens → 2/6 left for back-off.
    expect(bigramProbability(toy, 'two', 'beers')).toBeCloseTo(3 / 6, 12);
  });

  it('maps words the dictionary lacks to <unk>', () => {
    expect(toy.vocabulary).toContain(UNKNOWN_WORD);
    expect(toy.vocabulary).not.toContain('pizza');
    expect(bigramProbability(toy, 'a', UNKNOWN_WORD)).toBeGreaterThan(0);
  });

  it('is estimated from the real corpus as a proper distribution too', () => {
    const model = estimateBigramModel(guestCorpus(recogniserVocabulary()));
    for (const h of [SENTENCE_START, 'a', 'two', 'percent', 'margarita', UNKNOWN_WORD]) {
      const total = [...model.vocabulary, SENTENCE_END].reduce(
        (s, w) => s + bigramProbability(model, h, w),
        0,
      );
      expect(total, `history ${h}`).toBeCloseTo(1, 6);
    }
    // Guests order plurals after numbers, and the model knows it.
    expect(bigramProbability(model, 'two', 'beers')).toBeGreaterThan(
      bigramProbability(model, 'two', 'beer'),
    );
  });

  it('has every sentence with a contraction in its full form too, and the other way round', () => {
    const sentences = new Set(guestCorpus(recogniserVocabulary()).map(([t]) => t));
    const withShort = [...sentences].filter((t) => / i'll take /.test(` ${t} `));
    expect(withShort.length).toBeGreaterThan(10);
    for (const t of withShort)
      expect(sentences, t).toContain(t.replace("i'll take", 'i will take'));
    const withLong = [...sentences].filter((t) => / i would like /.test(` ${t} `));
    expect(withLong.length).toBeGreaterThan(10);
    for (const t of withLong) expect(sentences, t).toContain(t.replace('i would like', "i'd like"));
  });
});

describe('bigram FSG', () => {
  const garbage = ['zzaa', 'zzb'];
  const fsg = compileBigramFsg(toy, garbage);

  it('has a state per history, a back-off state reaching every word, and valid arcs', () => {
    expect(fsg.stateCount).toBe(4 + toy.vocabulary.length);
    for (const a of fsg.arcs) {
      expect(a.from).toBeGreaterThanOrEqual(0);
      expect(a.to).toBeLessThan(fsg.stateCount);
      expect(a.prob).toBeGreaterThan(0);
      expect(a.prob).toBeLessThanOrEqual(1);
    }
    const fromBackoff = new Set(fsg.arcs.filter((a) => a.from === 2 && a.word).map((a) => a.word));
    for (const w of toy.vocabulary) if (w !== UNKNOWN_WORD) expect(fromBackoff.has(w)).toBe(true);
    for (const g of garbage) expect(fromBackoff.has(g)).toBe(true);
  });

  it('never chains two null arcs (the decoder follows one)', () => {
    const nullFrom = new Set(fsg.arcs.filter((a) => a.word === null).map((a) => a.from));
    for (const a of fsg.arcs.filter((x) => x.word === null))
      expect(nullFrom.has(a.to), `${a.from}→${a.to}`).toBe(false);
  });

  it('lets an utterance end after every word, directly or through the closed back-off chain', () => {
    const toFinal = new Set(
      fsg.arcs.filter((a) => a.to === fsg.final && a.word === null).map((a) => a.from),
    );
    expect(toFinal.size).toBeGreaterThanOrEqual(toy.vocabulary.length);
  });
});
