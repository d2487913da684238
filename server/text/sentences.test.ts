import { describe, expect, it } from 'vitest';
import { SentenceSplitter, splitSentences } from './sentences.ts';

describe('SentenceSplitter', () => {
  it('emits each sentence as soon as the text after it starts', () => {
    const s = new SentenceSplitter();
    expect(s.push('Two Negronis, ')).toEqual([]);
    expect(s.push("that's $22.00. Com")).toEqual(["Two Negronis, that's $22.00."]);
    expect(s.push('ing right up! Anything')).toEqual(['Coming right up!']);
    expect(s.push(' else?')).toEqual([]);
    expect(s.flush()).toEqual(['Anything else?']);
    expect(s.flush()).toEqual([]);
  });

  it('keeps prices, abbreviations and ellipses inside sentences', () => {
    expect(splitSentences('A Martini is $13.00 tonight. Ask Dr. Maya, e.g. me… Cheers!')).toEqual([
      'A Martini is $13.00 tonight.',
      'Ask Dr. Maya, e.g. me…',
      'Cheers!',
    ]);
  });

  it('handles quotes after the stop and text with no stop at all', () => {
    expect(splitSentences('She said "cheers." Then left')).toEqual([
      'She said "cheers."',
      'Then left',
    ]);
    expect(splitSentences('   ')).toEqual([]);
  });

  it('splits a reply at its stops but not at decimal points or dashes', () => {
    expect(
      splitSentences("One Margarita, that's $11.00 — coming right up. Your tab is now $22.00."),
    ).toEqual(["One Margarita, that's $11.00 — coming right up.", 'Your tab is now $22.00.']);
    expect(splitSentences('Hi! What can I get you?  ')).toEqual(['Hi!', 'What can I get you?']);
  });

  it('gives the same sentences however the text is chunked', () => {
    const text = 'Hi there! One Mojito, $11.00. Your tab is $22.00 now. Enjoy?';
    const whole = splitSentences(text);
    for (let size = 1; size < 8; size++) {
      const s = new SentenceSplitter();
      const got: string[] = [];
      for (let i = 0; i < text.length; i += size) got.push(...s.push(text.slice(i, i + size)));
      got.push(...s.flush());
      expect(got).toEqual(whole);
    }
  });
});
