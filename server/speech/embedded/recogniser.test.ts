/**
 * The embedded recogniser end to end on synthesised speech: the domain model compiles with every
 * word pronounceable, a clean order comes back right and trusted, a remark never becomes a charge,
 * and an order whose quantity is unclear is not trusted.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SoundSwallowerModule } from 'soundswallower';
import { speakClips } from '../../testing/speech.ts';
import { soundsUnfinished } from '../endOfTurn.ts';
import { findSlots } from './confidence.ts';
import { loadSoundSwallower } from './soundswallower.ts';
import {
  cleanHypothesis,
  confirmSlots,
  createRecogniser,
  defaultRecogniserOptions,
  domainModel,
  LISTENED_ANSWERS,
  newDecoder,
  orderOdds,
  sharedChecker,
  unseenWordPairs,
  wordsUnlikeOrders,
} from './recogniser.ts';
import type { Recogniser, Recognition } from './recogniser.ts';
import type { ListeningContext } from '../types.ts';
import { parseIntent } from '../../conversation/brain/intents.ts';

/** The processor reads an order back (charging only on "yes") below this confidence. */
const READ_BACK_BELOW = 0.8;

let ss: SoundSwallowerModule;
let recogniser: Recogniser;

beforeAll(async () => {
  ss = await loadSoundSwallower();
  recogniser = await createRecogniser(ss);
}, 60_000);
afterAll(() => recogniser?.delete());

function decode(
  pcm: Int16Array,
  context: ListeningContext = 'open',
  rec = recogniser,
): Recognition {
  rec.start(context);
  const f = Float32Array.from(pcm, (x) => x / 32768);
  for (let i = 0; i < f.length; i += 1600) rec.write(f.subarray(i, i + 1600));
  return rec.finish();
}

describe('domain language model in the decoder', () => {
  it('only uses words the dictionary can pronounce, and compiles into the decoder', async () => {
    const decoder = await newDecoder(ss, defaultRecogniserOptions);
    try {
      const { fsg, vocabulary } = domainModel((w) => decoder.lookup_word(w) !== null);
      const words = new Set(fsg.arcs.map((a) => a.word).filter((w): w is string => w !== null));
      expect(words.size).toBeGreaterThan(200);
      expect([...words].filter((w) => w.startsWith('<'))).toEqual([]);
      for (const w of words) expect(decoder.lookup_word(w), w).not.toBeNull();
      for (const d of ['margarita', 'old fashioneds', 'ipas', 'tap beer', 'mojitos'])
        expect([...vocabulary.drinks, ...vocabulary.drinkPlurals]).toContain(d);
    } finally {
      decoder.delete();
    }
  }, 60_000);

  it('tells how much a heard sentence sounds like an order (orderOdds), whatever the drink', () => {
    const model = domainModel(() => true);
    const o = defaultRecogniserOptions;
    const likeOrder = (s: string) =>
      orderOdds(model, s.split(' ')) >= o.minOrderOdds &&
      wordsUnlikeOrders(model, s.split(' ')) <= o.maxWordsUnlikeOrders;
    for (const s of [
      'could we get three negronis please',
      'yeah let me have a cosmopolitan',
      'um a pint of ipa for me',
      'one daiquiri and two beers',
      'okay i will have the martini',
      'two mojitos on the rocks for us',
    ])
      expect(likeOrder(s), s).toBe(true);
    // Misheard questions and remarks that kept a drink word.
    for (const s of [
      'what much is the daiquiri',
      "how's in a cosmopolitan",
      'i had two many negronis last night',
      'my husband usually drinks red wine',
      "what's the martini like tonight",
    ])
      expect(likeOrder(s), s).toBe(false);
  });

  it('finds the word pairs of a heard sentence that no sentence of the corpus has', () => {
    const model = domainModel(() => true);
    const unseen = (s: string) => unseenWordPairs(model, s.split(' '));
    // Phrasings written here, not taken from the corpus: every pair of them is one guests use.
    for (const s of [
      'could we get three negronis please',
      'yeah let me have a cosmopolitan',
      'one daiquiri and two beers',
      'can i get a whiskey on the rocks',
      'okay i will have the martini',
    ])
      expect(unseen(s), s).toEqual([]);
    // Misheard orders: the decoder followed the sounds off the language model.
    expect(unseen('rum and a rocks')).toEqual(['a rocks']);
    expect(unseen('well you and and one white')).toContain('and and');
    expect(unseen('let me get the weather and a lemonade')).toEqual(['weather and']);
  });

  it('is built once per process and shared by every recogniser', () => {
    const knows = () => true;
    expect(domainModel(knows)).toBe(domainModel(knows));
  });
});

describe('recognising synthesised speech', () => {
  it('hears a clean order right and trusts it', async () => {
    const [clip] = await speakClips(['i would like two old fashioneds and a lemonade please'], {
      leadMs: 300,
      tailMs: 300,
    });
    const r = decode(clip!.pcm);
    expect(r.rejected).toBe(false);
    expect(r.text).toBe('i would like two old fashioneds and a lemonade please');
    expect(r.confidence).toBeGreaterThanOrEqual(READ_BACK_BELOW);
  }, 60_000);

  it('hears a natural phrasing the old grammar rejected', async () => {
    const [clip] = await speakClips(['yeah okay one negroni and one gin on the rocks'], {
      leadMs: 300,
      tailMs: 300,
    });
    const r = decode(clip!.pcm);
    expect(r.rejected).toBe(false);
    expect(r.text).toMatch(/one negroni and one gin on the rocks$/);
  }, 60_000);

  it('never turns a remark into something chargeable', async () => {
    const [clip] = await speakClips(['what time do you close'], { leadMs: 300, tailMs: 300 });
    const r = decode(clip!.pcm);
    const { vocabulary } = domainModel(() => true);
    if (!r.rejected) expect(findSlots(r.text.split(' '), vocabulary)).toEqual([]);
  }, 60_000);

  it('rejects noise', () => {
    let seed = 7;
    const noise = Int16Array.from(
      { length: 16_000 * 2 },
      () => ((seed = (seed * 1_103_515_245 + 12_345) >>> 0) >>> 20) - 2048,
    );
    const r = decode(noise);
    expect(r.rejected || r.text === '').toBe(true);
  }, 30_000);
});

describe('listening for the answer to a read-back', () => {
  const YES = [
    'yes',
    'yeah',
    'yep',
    'yes please',
    'sure',
    "that's right",
    'correct',
    'yeah go ahead',
  ];
  const NOT_YES = ['no', 'nope', 'no thanks', "no that's wrong", 'no thank you', 'no just one'];
  const heardAs = (r: Recognition) => (r.rejected ? 'rejected' : parseIntent(r.text).kind);

  it('hears more yeses when it expects an answer, and never a no or a correction as yes', async () => {
    // A recogniser of its own: the live cepstral mean follows the voices it has heard, and so do results.
    const rec = await createRecogniser(ss);
    const yeses = { open: 0, answer: 0 };
    try {
      for (const voice of ['slt', 'rms'] as const) {
        const clips = await speakClips([...YES, ...NOT_YES], { voice, leadMs: 300, tailMs: 300 });
        for (const context of ['open', 'answer'] as const)
          for (const clip of clips) {
            const heard = heardAs(decode(clip.pcm, context, rec));
            if (YES.includes(clip.text)) yeses[context] += heard === 'yes' ? 1 : 0;
            else expect(heard, `${voice} "${clip.text}" (${context})`).not.toBe('yes');
          }
      }
    } finally {
      rec.delete();
    }
    // Measured: 13 of 16 in the open model, 14 of 16 expecting an answer (bench:answers has more
    // voices). The open model's count rose from 12 when the understanding learnt that a yes with a
    // tail that only points back is a yes ("yes i" for slt's "yeah").
    expect(yeses.answer).toBeGreaterThan(yeses.open);
  }, 120_000);

  it('still hears a new order said instead of an answer', async () => {
    const [clip] = await speakClips(['actually can i get two mojitos'], {
      leadMs: 300,
      tailMs: 300,
    });
    const r = decode(clip!.pcm, 'answer');
    expect(r.text).toBe('actually can i get two mojitos');
    expect(decode(clip!.pcm, 'open').text).toBe(r.text);
  }, 60_000);
});

describe('an answer the first pass lost', () => {
  // Every first pass rejected (each word over the garbage limit), as a short "yes" in noise often is.
  const strict = { maxGarbagePhonesPerWord: -1 };

  it('is listened for again when Maya asked a question, and found only where an answer was said', async () => {
    const listening = await createRecogniser(ss, strict);
    const deaf = await createRecogniser(ss, { ...strict, listenForAnswer: false });
    try {
      const clips = await speakClips(
        ['yes', 'no thanks', 'what time do you close', 'actually make it three'],
        { leadMs: 300, tailMs: 300 },
      );
      const [yes, noThanks, remark, correction] = clips.map((c) => c.pcm);
      const heard = (r: Recognition) => (r.rejected ? '(rejected)' : r.text);
      // Without the listen nothing is heard; with it the answers are, at the answer confidence.
      expect(heard(decode(yes!, 'answer', deaf))).toBe('(rejected)');
      expect(decode(yes!, 'answer', listening)).toEqual({
        text: 'yes',
        confidence: 0.6,
        rejected: false,
      });
      expect(heard(decode(noThanks!, 'answer', listening))).toBe('no thanks');
      // A remark or a correction is no answer: free phones fit it better than any yes or no.
      expect(heard(decode(remark!, 'answer', listening))).toBe('(rejected)');
      expect(heard(decode(correction!, 'answer', listening))).toBe('(rejected)');
      // Not asked anything, the guest's "yes" is not listened for.
      expect(heard(decode(yes!, 'open', listening))).toBe('(rejected)');
    } finally {
      listening.delete();
      deaf.delete();
    }
  }, 60_000);

  it('listens only for answers the brain takes as a yes or a no', () => {
    for (const answer of LISTENED_ANSWERS)
      expect(['yes', 'no'], answer).toContain(parseIntent(answer).kind);
  });
});

describe('an utterance with much phone-loop garbage', () => {
  it('is kept for a read-back when the second listen hears the same drink, and rejected when it has none', async () => {
    // Every word counted over the garbage limit: each utterance takes the path of one that lost words.
    const strict = { maxGarbagePhonesPerWord: -1 };
    const rescuing = await createRecogniser(ss, strict);
    const rejecting = await createRecogniser(ss, { ...strict, rescueWithSecondListen: false });
    try {
      const [order, remark] = await speakClips(
        ['i would like two old fashioneds please', 'what time do you close'],
        { leadMs: 300, tailMs: 300 },
      );
      const kept = decode(order!.pcm, 'open', rescuing);
      expect(kept).toEqual({
        text: 'i would like two old fashioneds please',
        confidence: defaultRecogniserOptions.confidences.rescued,
        rejected: false,
      });
      expect(kept.confidence).toBeLessThan(READ_BACK_BELOW);
      expect(decode(order!.pcm, 'open', rejecting).rejected).toBe(true);
      expect(decode(remark!.pcm, 'open', rescuing).rejected).toBe(true);
    } finally {
      rescuing.delete();
      rejecting.delete();
    }
  }, 60_000);
});

describe('the second listen, one decoder per thread', () => {
  it('serves recognisers whose utterances overlap, and outlives a recogniser that is deleted', async () => {
    // Every word over the garbage limit: each utterance is kept only through the second listen.
    const strict = { maxGarbagePhonesPerWord: -1 };
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => createRecogniser(ss, strict)));
    const [order, other] = await speakClips(
      ['i would like two old fashioneds please', 'can i get a beer please'],
      { leadMs: 300, tailMs: 300 },
    );
    const f = (pcm: Int16Array) => Float32Array.from(pcm, (x) => x / 32768);
    const [fa, fb] = [f(order!.pcm), f(other!.pcm)];
    const kept = (text: string) => ({
      text,
      confidence: defaultRecogniserOptions.confidences.rescued,
      rejected: false,
    });
    try {
      a!.start();
      b!.start();
      for (let i = 0; i < Math.max(fa.length, fb.length); i += 1600) {
        if (i < fa.length) a!.write(fa.subarray(i, i + 1600));
        if (i < fb.length) b!.write(fb.subarray(i, i + 1600));
      }
      expect(b!.finish()).toEqual(kept('can i get a beer please'));
      expect(a!.finish()).toEqual(kept('i would like two old fashioneds please'));
      a!.delete();
      b!.delete();
      expect(decode(order!.pcm, 'open', c)).toEqual(kept('i would like two old fashioneds please'));
    } finally {
      c!.delete();
    }
  }, 60_000);

  it('is one decoder for every recogniser of a thread, deleted with the last of them', async () => {
    const o = { ...defaultRecogniserOptions, confirmDecoder: { beam: 1e-29 } };
    const first = await sharedChecker.take(ss, o);
    const second = await sharedChecker.take(ss, o);
    expect(second).toBe(first);
    const deleted = vi.spyOn(first, 'delete');
    sharedChecker.give(first);
    await Promise.resolve();
    expect(deleted).not.toHaveBeenCalled();
    sharedChecker.give(second);
    await vi.waitFor(() => expect(deleted).toHaveBeenCalledTimes(1));
    // The next recogniser gets a fresh one.
    const third = await sharedChecker.take(ss, o);
    expect(third).not.toBe(first);
    sharedChecker.give(third);
  }, 60_000);
});

describe('confidence: the confirmation pass', () => {
  it('agrees with a right hypothesis and disagrees with a wrong quantity', async () => {
    const checker = await newDecoder(ss, defaultRecogniserOptions);
    try {
      const [clip] = await speakClips(['can i get a beer please'], { leadMs: 300, tailMs: 300 });
      const audio = Float32Array.from(clip!.pcm, (x) => x / 32768);
      const { vocabulary } = domainModel((w) => checker.lookup_word(w) !== null);
      const right = confirmSlots(
        checker,
        'can i get a beer please'.split(' '),
        audio,
        vocabulary,
        defaultRecogniserOptions.confirmGarbageWeight,
      );
      expect(right).toMatchObject({ agree: true, checked: true });
      // What a language model pulling "a" towards "two" would have produced:
      const wrong = confirmSlots(
        checker,
        'can i get two beers please'.split(' '),
        audio,
        vocabulary,
        defaultRecogniserOptions.confirmGarbageWeight,
      );
      expect(wrong).toMatchObject({ agree: false, checked: true });
      expect(defaultRecogniserOptions.confidences.disagreement).toBeLessThan(READ_BACK_BELOW);
    } finally {
      checker.delete();
    }
  }, 60_000);

  it('reads back a spoken "two" after a stop ("get two"), and trusts one that is not', async () => {
    const [afterStop, notAfterStop] = await speakClips(
      ['can i get two beers please', 'i will have two beers please'],
      { leadMs: 300, tailMs: 300 },
    );
    const a = decode(afterStop!.pcm);
    expect(a.text).toContain('get two beers');
    expect(a.confidence).toBeLessThan(READ_BACK_BELOW);
    // The reading offered if the guest says no to "two Tap Beers?".
    expect(a.alternatives).toEqual([a.text.replace('get two beers', 'get a beers')]);
    const b = decode(notAfterStop!.pcm);
    expect(b.text).toContain('two beers');
    expect(b.confidence).toBeGreaterThanOrEqual(READ_BACK_BELOW);
  }, 60_000);
});

describe('a serving heard without its drink', () => {
  it('is listened to again for a drink served so, and read back', async () => {
    // Flite's rms voice: "rum" heard "wrong" by the first pass (as in bench:ears' tune split).
    const [clip] = await speakClips(['rum on the rocks please'], { voice: 'rms' });
    const listening = await createRecogniser(ss);
    const deaf = await createRecogniser(ss, { listenForLostDrink: false });
    try {
      const first = decode(clip!.pcm, 'open', deaf);
      expect(findSlots(first.text.split(' '), domainModel(() => true).vocabulary)).toEqual([]);
      expect(first.text).toMatch(/rocks please$/);
      expect(decode(clip!.pcm, 'open', listening)).toEqual({
        text: 'rum on the rocks please',
        confidence: defaultRecogniserOptions.confidences.lostDrink,
        rejected: false,
      });
      // The decoder has its language model back: the next utterance is heard as usual.
      const [next] = await speakClips(["i'd like a margarita please"]);
      expect(decode(next!.pcm, 'open', listening).text).toBe("i'd like a margarita please");
    } finally {
      listening.delete();
      deaf.delete();
    }
  }, 60_000);
});

describe('a request whose words cannot end where the guest fell silent', () => {
  it('is read back, not charged: the end of it was lost', async () => {
    // Said as a guest who trails off (or whose last words the decoder lost): it must not be
    // charged as if the drinks heard were the whole order.
    const clips = await speakClips(
      ["i'll have a negroni and", 'one classic brew and one', 'a whiskey sour with'],
      { leadMs: 300, tailMs: 300 },
    );
    const { vocabulary } = domainModel(() => true);
    for (const clip of clips) {
      const r = decode(clip.pcm);
      expect(findSlots(r.text.split(' '), vocabulary).some((s) => s.kind === 'drink')).toBe(true);
      expect(soundsUnfinished(r.text)).toBe(true);
      expect(r.confidence).toBe(defaultRecogniserOptions.confidences.cutShort);
      expect(r.doubt).toBe('cutShort');
      expect(r.confidence).toBeLessThan(READ_BACK_BELOW);
    }
  }, 60_000);
});

describe('the final if the utterance ended here (peekFinish)', () => {
  it('does not end the utterance: the guest goes on after a pause and the whole request is heard', async () => {
    const [first, rest, whole] = await speakClips(
      ["i'd like a", 'margarita please', "i'd like a margarita please"],
      { leadMs: 300, tailMs: 300 },
    );
    const write = (pcm: Int16Array) => {
      const f = Float32Array.from(pcm, (x) => x / 32768);
      for (let i = 0; i < f.length; i += 1600) recogniser.write(f.subarray(i, i + 1600));
    };
    const straight = decode(whole!.pcm);
    recogniser.start();
    write(first!.pcm);
    const peeked = recogniser.peekFinish();
    expect(peeked.text).toBe("i'd like a");
    // Asked again with nothing written since: the same answer, and the turn may end on it.
    expect(recogniser.peekFinish()).toBe(peeked);
    write(rest!.pcm);
    expect(recogniser.partial()).toContain('margarita');
    const resumed = recogniser.finish();
    expect(resumed.text).toContain("i'd like a margarita");
    expect(resumed.text).toBe(straight.text);
    expect(resumed.rejected).toBe(false);
    // A finish straight after a peek is the peek's result.
    recogniser.start();
    write(whole!.pcm);
    const peek = recogniser.peekFinish();
    expect(recogniser.finish()).toBe(peek);
    expect(peek.text).toBe(straight.text);
    // The next utterance starts afresh.
    expect(decode(whole!.pcm).text).toBe(straight.text);
  }, 60_000);
});

describe('explaining doubts (benches weigh each one)', () => {
  it('lists every doubt that holds, the first of them the one whose confidence is given', async () => {
    const explaining = await createRecogniser(ss, { explainDoubts: true });
    try {
      const [cut, clean] = await speakClips(
        ['one classic brew and one', 'can i get a beer please'],
        {
          leadMs: 300,
          tailMs: 300,
        },
      );
      const r = decode(cut!.pcm, 'open', explaining);
      expect(r.doubts).toContain('cutShort');
      expect(r.doubt).toBe(r.doubts![0]);
      expect(r.confidence).toBe(defaultRecogniserOptions.confidences[r.doubt!]);
      // The same utterance without explaining: the same first doubt, and no list.
      expect(decode(cut!.pcm)).toEqual({
        text: r.text,
        confidence: r.confidence,
        rejected: false,
        doubt: r.doubt,
      });
      const trusted = decode(clean!.pcm, 'open', explaining);
      expect(trusted).toEqual({
        text: 'can i get a beer please',
        confidence: defaultRecogniserOptions.confidences.agreed,
        rejected: false,
        doubts: [],
      });
    } finally {
      explaining.delete();
    }
  }, 60_000);
});

describe('cleaning a hypothesis', () => {
  it('drops a lone article after a request that is complete without it, and keeps one that is not', () => {
    const clean = (raw: string) => cleanHypothesis(raw).text;
    expect(clean('could i get a perfect manhattan a')).toBe('could i get a perfect manhattan');
    expect(clean('two beers please the')).toBe('two beers please');
    // Cut short: the article is what the guest said last.
    expect(clean('two mojitos and a')).toBe('two mojitos and a');
    expect(clean("i'd like a")).toBe("i'd like a");
    expect(clean('a')).toBe('a');
  });
});
