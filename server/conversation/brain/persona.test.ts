import { describe, expect, it } from 'vitest';
import { scanOutput } from '../../security/scan.ts';
import { Voice, describeLines, loadPhrasebook } from './persona.ts';
import { SmallTalk } from './smallTalk.ts';

const book = loadPhrasebook();
const corpus = SmallTalk.load();

describe('phrasebook', () => {
  it('every phrase passes the output scan and is short and spoken', () => {
    for (const [key, variants] of Object.entries(book.phrases)) {
      expect(variants.length, key).toBeGreaterThanOrEqual(1);
      for (const v of variants) {
        expect(scanOutput(v).ok, `${key}: ${v}`).toBe(true);
        expect(v.length, `${key}: ${v}`).toBeLessThanOrEqual(140);
      }
    }
  });

  it('fills placeholders, capitalising {Name} forms, and varies with the seed', () => {
    const v = new Voice(book, 0);
    expect(v.say('order_added', { lines: 'one Margarita', cost: '$11.00', tabNote: '' }, 0)).toBe("One Margarita, that's $11.00 — coming right up.");
    const seen = new Set(Array.from({ length: 6 }, (_, i) => new Voice(book, i).say('thanks')));
    expect(seen.size).toBeGreaterThan(1);
  });

  it('describes lines the way a person says them', () => {
    expect(describeLines([{ item: 'Margarita', quantity: 1, modifiers: [] }])).toBe('One Margarita');
    expect(describeLines([{ item: 'Tap Beer', quantity: 2, modifiers: [] }, { item: 'Whiskey', quantity: 1, modifiers: ['double', 'neat'] }])).toBe(
      'Two Tap Beers and one Whiskey (double, neat)',
    );
  });
});

describe('small-talk corpus and retrieval', () => {
  it('has at least 60 short, unique, speakable lines', () => {
    expect(corpus.lines.length).toBeGreaterThanOrEqual(60);
    expect(new Set(corpus.lines.map((l) => l.id)).size).toBe(corpus.lines.length);
    expect(new Set(corpus.lines.map((l) => l.text)).size).toBe(corpus.lines.length);
    for (const l of corpus.lines) expect(scanOutput(l.text).ok, l.text).toBe(true);
  });

  it('ranks the relevant line first', () => {
    expect(corpus.pick("how's your night going?", [], 0).line.id).toBe('p-night');
    expect(corpus.pick('tell me a joke', [], 0).line.kind).toBe('joke');
    expect(corpus.pick('the weather is awful', [], 0).line.id).toBe('p-weather');
    expect(corpus.pick('are you a robot', [], 0).line.id).toBe('p-ai');
    expect(corpus.aboutDrink('Negroni', [])?.id).toBe('f-negroni');
  });

  it('skips used lines and falls back to a generic line when nothing is relevant', () => {
    const first = corpus.pick('tell me a joke', [], 0).line;
    const second = corpus.pick('tell me a joke', [first.id], 0).line;
    expect(second.id).not.toBe(first.id);
    const generic = corpus.pick('zzz qqq', [], 3);
    expect(generic.relevant).toBe(false);
    expect(generic.line.kind).toBe('generic');
  });
});
