import { describe, expect, it } from 'vitest';
import { moneyToWords, numberToWords, speakable, withoutMarks } from './speakable.ts';

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
    expect(speakable("**One Margarita** (neat), that's $11.00 — coming right up.")).toBe(
      "One Margarita neat, that's eleven dollars, coming right up.",
    );
    expect(speakable('# Menu\n- `Negroni` <b>now</b> [pay here](https://x.test/pay)')).toBe(
      'Menu - Negroni now pay here',
    );
  });

  it('says nothing for a sentence of punctuation alone', () => {
    expect(speakable('…')).toBe('');
    expect(speakable(' — ')).toBe('');
  });

  it('strips markup marks from streamed fragments, nothing else', () => {
    expect(withoutMarks('**One Mar')).toBe('One Mar');
    expect(withoutMarks('garita** — $11.00, `now`')).toBe('garita — $11.00, now');
  });
});
