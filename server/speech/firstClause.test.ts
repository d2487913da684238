import { describe, expect, it } from 'vitest';
import { firstClauseApart } from './session.ts';

describe('the first audio of a reply', () => {
  it('speaks a long first sentence in two parts so the first audio leaves sooner', () => {
    expect(
      firstClauseApart(
        [
          "One Margarita, that's eleven dollars, coming right up.",
          'Your tab is now twenty two dollars.',
        ],
        5,
      ),
    ).toEqual([
      'One Margarita,',
      "that's eleven dollars, coming right up.",
      'Your tab is now twenty two dollars.',
    ]);
    expect(firstClauseApart(['Hi, there.'], 5)).toEqual(['Hi, there.']);
    expect(firstClauseApart(['How about a Martini?', 'The rest.'], 5)).toEqual([
      'How about a Martini?',
      'The rest.',
    ]);
  });
});
