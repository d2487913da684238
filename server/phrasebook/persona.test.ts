import { describe, expect, it } from 'vitest';
import { scanOutput } from '../security/scan.ts';
import { Voice, describeLines, loadPhrasebook, tidy } from './persona.ts';
import { SmallTalk } from '../conversation/brain/smallTalk.ts';

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
    expect(v.say('order_added', { lines: 'one Margarita', cost: '$11.00', tabNote: '' }, 0)).toBe(
      "One Margarita, that's $11.00 — coming right up.",
    );
    const seen = new Set(Array.from({ length: 6 }, (_, i) => new Voice(book, i).say('thanks')));
    expect(seen.size).toBeGreaterThan(1);
  });

  it('describes lines the way a person says them', () => {
    expect(describeLines([{ item: 'Margarita', quantity: 1, modifiers: [] }])).toBe(
      'One Margarita',
    );
    expect(
      describeLines([
        { item: 'Tap Beer', quantity: 2, modifiers: [] },
        { item: 'Whiskey', quantity: 1, modifiers: ['double', 'neat'] },
      ]),
    ).toBe('Two Tap Beers and one Whiskey (double, neat)');
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

describe('a voice that varies and reads well', () => {
  it('never picks the variant of a phrase that the session said last', () => {
    let recent: Record<string, number> = {};
    let previous: string | undefined;
    for (let turn = 0; turn < 50; turn++) {
      const v = new Voice(book, turn, recent);
      const said = v.say('thanks');
      expect(said, `turn ${turn}`).not.toBe(previous);
      previous = said;
      recent = { ...recent, ...v.picked };
    }
  });

  it('puts capitals where sentences start and none where a message sits mid-sentence', () => {
    expect(tidy("Sorry — That's $26.00 and your balance is $5.00.  want something smaller?")).toBe(
      "Sorry — that's $26.00 and your balance is $5.00. Want something smaller?",
    );
    expect(tidy('i said: Your tab is $8.00.')).toBe('I said: your tab is $8.00.');
  });

  it('says counts as words up to twenty', () => {
    expect(describeLines([{ item: 'Tap Beer', quantity: 20, modifiers: [] }])).toBe(
      'Twenty Tap Beers',
    );
  });
});
