/** The ears bench's pure parts: verdicts from outcomes, the row of figures, and the SNR of noisy clips. */
import { describe, expect, it } from 'vitest';
import { judge, linesMatch, percentile, summarise } from './score.ts';
import type { Visit } from './score.ts';
import { layOut, mixAtSnr, rms } from './voices.ts';
import { loadSet } from './set.ts';

const order = {
  kind: 'order' as const,
  expect: {
    lines: [
      { item: 'Whiskey', quantity: 2, modifiers: ['on the rocks' as const] },
      { item: 'Mojito', quantity: 1 },
    ],
    tabCents: 2700,
  },
};
const remark = { kind: 'remark' as const, expect: { lines: [], tabCents: 0 } };
const line = (item: string, quantity: number, modifiers: string[] = []) => ({
  item,
  quantity,
  modifiers,
});

describe('judge', () => {
  it('calls an exact charge right, and right after a read-back read_back', () => {
    const lines = [line('Mojito', 1, ['shaken']), line('Whiskey', 2, ['on the rocks'])];
    expect(judge(order, { tabCents: 2700, lines, readBack: false })).toBe('right');
    expect(judge(order, { tabCents: 2700, lines, readBack: true })).toBe('read_back');
  });
  it('adds up split lines of one item', () => {
    expect(
      linesMatch(order.expect.lines, [
        line('Whiskey', 1, ['on the rocks']),
        line('Whiskey', 1, ['on the rocks']),
        line('Mojito', 1),
      ]),
    ).toBe(true);
  });
  it('calls a wrong item, quantity, modifier or price wrong', () => {
    expect(
      judge(order, {
        tabCents: 2700,
        lines: [line('Whiskey', 2), line('Mojito', 1)],
        readBack: false,
      }),
    ).toBe('wrong');
    expect(
      judge(order, {
        tabCents: 1600,
        lines: [line('Whiskey', 2, ['on the rocks'])],
        readBack: false,
      }),
    ).toBe('wrong');
    expect(
      judge(order, {
        tabCents: 2700,
        lines: [line('Whiskey', 2, ['on the rocks']), line('Mojito', 1), line('Water', 1)],
        readBack: false,
      }),
    ).toBe('wrong');
    expect(
      judge(order, {
        tabCents: 3100,
        lines: [line('Whiskey', 2, ['on the rocks']), line('Mojito', 1)],
        readBack: false,
      }),
    ).toBe('wrong');
  });
  it('tells an uncharged order from a remark, and catches a charge on a remark', () => {
    expect(judge(order, { tabCents: 0, lines: [], readBack: true })).toBe('not_charged');
    expect(judge(remark, { tabCents: 0, lines: [], readBack: true })).toBe('no_charge');
    expect(judge(remark, { tabCents: 1100, lines: [line('Margarita', 1)], readBack: false })).toBe(
      'false_charge',
    );
  });
});

describe('summarise', () => {
  it('counts verdicts, cut-offs and latency percentiles', () => {
    const v = (verdict: Visit['verdict'], extra: Partial<Visit> = {}): Visit => ({
      itemId: 'x',
      voiceId: 'v',
      split: 'heldout',
      verdict,
      ...extra,
    });
    const row = summarise([
      v('right', { latencyMs: 100 }),
      v('read_back', { latencyMs: 300, cutOff: true }),
      v('wrong', { latencyMs: 200, cutOff: false }),
      v('not_charged'),
      v('no_charge'),
      v('false_charge'),
    ]);
    expect(row).toMatchObject({
      orders: 4,
      right: 2,
      readBack: 1,
      wrong: 1,
      notCharged: 1,
      remarks: 2,
      falseCharges: 1,
      paused: 2,
      cutOffs: 1,
      latencyP50: 200,
      latencyP95: 300,
    });
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe('mixAtSnr', () => {
  it('sets the noise level to within ±0.5 dB of the target, speech RMS measured over speech only', () => {
    const speech = Int16Array.from({ length: 16_000 }, (_, i) =>
      Math.round(6000 * Math.sin(i / 7) * Math.sin(i / 900)),
    );
    const clip = layOut([speech.slice(0, 8000), speech.slice(8000)], 600);
    let seed = 7;
    const noise = Int16Array.from(
      { length: clip.pcm.length },
      () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), (seed / 2 ** 31 - 0.5) * 8000),
    );
    for (const snr of [5, 15, 25]) {
      const mixed = mixAtSnr(clip.pcm, noise, snr, [
        [clip.speechStart, clip.pause!.firstEnd],
        [clip.pause!.secondStart, clip.speechEnd],
      ]);
      const added = mixed.map((s, i) => s - clip.pcm[i]!);
      const speechRms = Math.sqrt(
        (rms(clip.pcm, clip.speechStart, clip.pause!.firstEnd) ** 2 * 8000 +
          rms(clip.pcm, clip.pause!.secondStart, clip.speechEnd) ** 2 * 8000) /
          16_000,
      );
      const measured = 20 * Math.log10(speechRms / rms(added));
      expect(Math.abs(measured - snr)).toBeLessThan(0.5);
      expect(rms(added, 0, clip.speechStart)).toBeGreaterThan(0); // the noise covers the lead silence too
    }
  });
});

describe('the test set', () => {
  it('loads, uses exact menu names, and has its shape', () => {
    const items = loadSet();
    expect(items.filter((i) => i.kind === 'order').length).toBeGreaterThanOrEqual(70);
    expect(items.filter((i) => i.kind === 'remark').length).toBeGreaterThanOrEqual(18);
    expect(items.filter((i) => i.pause).length).toBeGreaterThanOrEqual(10);
    // Of the first set (tune and held-out, written together); the fresh split came later.
    const first = items.filter((i) => i.split !== 'fresh');
    const tune = items.filter((i) => i.split === 'tune').length / first.length;
    expect(items.filter((i) => i.split === 'fresh').length).toBeGreaterThanOrEqual(30);
    expect(tune).toBeGreaterThan(0.35);
    expect(tune).toBeLessThan(0.45);
  });
});

describe('readBackMatches', () => {
  it('agrees only with a read-back that names the drinks with their counts', async () => {
    const { readBackMatches } = await import('./score.ts');
    expect(readBackMatches('Just to check — one Brandy?', [{ item: 'Brandy', quantity: 1 }])).toBe(
      true,
    );
    expect(readBackMatches('A Brandy — right?', [{ item: 'Brandy', quantity: 1 }])).toBe(true);
    expect(readBackMatches('Two Brandies — right?', [{ item: 'Brandy', quantity: 1 }])).toBe(false);
    expect(readBackMatches('Two IPAs — right?', [{ item: 'IPA', quantity: 2 }])).toBe(true);
    expect(readBackMatches('Two Brandies — right?', [{ item: 'Brandy', quantity: 2 }])).toBe(true);
    expect(readBackMatches('Three IPAs — right?', [{ item: 'IPA', quantity: 2 }])).toBe(false);
    expect(readBackMatches('One Mojito — right?', [{ item: 'Margarita', quantity: 1 }])).toBe(
      false,
    );
    // A drink the guest did not order, next to the one they did: no.
    expect(
      readBackMatches('Two IPAs and a Brandy on the rocks — right?', [
        { item: 'Brandy', quantity: 1 },
      ]),
    ).toBe(false);
    expect(
      readBackMatches('Six Tap Beers and a Merlot — right?', [{ item: 'Tap Beer', quantity: 6 }]),
    ).toBe(false);
    // The same drink twice is added up.
    expect(
      readBackMatches('Just to check — six Tap Beers and one Tap Beer?', [
        { item: 'Tap Beer', quantity: 6 },
      ]),
    ).toBe(false);
    expect(
      readBackMatches('Just to check — six Tap Beers and one Tap Beer?', [
        { item: 'Tap Beer', quantity: 7 },
      ]),
    ).toBe(true);
  });
});
