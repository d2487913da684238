import { describe, expect, it } from 'vitest';
import { moneyToWords, numberToWords, speakable, splitSentences } from './speakable.ts';
import { firstClauseApart } from './session.ts';

describe('text cleaning before speech', () => {
  it('reads money and percentages in words', () => {
    expect(speakable('That is $12.50.')).toBe('That is twelve dollars fifty.');
    expect(speakable('A 15% tip')).toBe('A fifteen percent tip');
    expect(speakable('Your balance is $1,000.00')).toBe('Your balance is one thousand dollars');
    expect(moneyToWords('0.50')).toBe('fifty cents');
    expect(moneyToWords('1.01')).toBe('one dollar one');
    expect(numberToWords(1205)).toBe('one thousand two hundred five');
  });

  it('reads no markup aloud', () => {
    expect(speakable('**One Margarita** (neat), that\'s $11.00 — coming right up.')).toBe("One Margarita neat, that's eleven dollars, coming right up.");
    expect(speakable('# Menu\n- `Negroni` <b>now</b> [pay here](https://x.test/pay)')).toBe('Menu - Negroni now pay here');
  });

  it('splits a reply into sentences but not at decimal points', () => {
    expect(splitSentences("One Margarita, that's $11.00 — coming right up. Your tab is now $22.00.")).toEqual([
      "One Margarita, that's $11.00 — coming right up.",
      'Your tab is now $22.00.',
    ]);
    expect(splitSentences('Hi! What can I get you?  ')).toEqual(['Hi!', 'What can I get you?']);
  });

  it('speaks a long first sentence in two parts so the first audio leaves sooner', () => {
    expect(firstClauseApart(["One Margarita, that's eleven dollars, coming right up.", 'Your tab is now twenty two dollars.'], 5)).toEqual([
      'One Margarita,',
      "that's eleven dollars, coming right up.",
      'Your tab is now twenty two dollars.',
    ]);
    expect(firstClauseApart(['Hi, there.'], 5)).toEqual(['Hi, there.']);
    expect(firstClauseApart(['How about a Martini?', 'The rest.'], 5)).toEqual(['How about a Martini?', 'The rest.']);
  });
});
