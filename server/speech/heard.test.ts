import { describe, expect, it } from 'vitest';
import { heardPart } from './heard.ts';

const sentence = (text: string, durationMs: number) => ({ text, durationMs, words: [] });

describe('what the guest heard of an interrupted reply', () => {
  const reply = [
    sentence('One Margarita, coming up.', 1000),
    sentence('Anything else for you tonight?', 2000),
  ];

  it('keeps whole sentences that played and cuts the one that was playing at a word', () => {
    expect(heardPart(reply, 2000)).toBe('One Margarita, coming up. Anything else…');
  });

  it('keeps nothing when nothing had sounded, and everything when all had played', () => {
    expect(heardPart(reply, 0)).toBe('');
    expect(heardPart(reply, 5000)).toBe('One Margarita, coming up. Anything else for you tonight?');
  });

  it('uses word timings when the voice gives them', () => {
    const timed = [
      {
        text: 'Two Negronis, that is twenty two dollars.',
        durationMs: 3000,
        words: [
          { label: 'Two', startMs: 0, endMs: 300 },
          { label: 'Negronis,', startMs: 300, endMs: 900 },
          { label: 'that', startMs: 900, endMs: 1100 },
        ],
      },
    ];
    expect(heardPart(timed, 1000)).toBe('Two Negronis,…');
  });
});
