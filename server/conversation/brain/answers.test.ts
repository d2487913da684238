/**
 * Answers to a read-back said with more words than the yes / no lists know: the first word says
 * which, and a tail that only points back ("that is it", "not that") does not change it; a tail that
 * orders, corrects, asks or turns the answer round makes it something else.
 */
import { describe, expect, it } from 'vitest';
import { parseIntent } from './intents.ts';

const kind = (s: string) => parseIntent(s).kind;

describe('a yes or a no with a tail that points back', () => {
  it.each([
    'yes that is right',
    'yeah that is it',
    'yes that is it',
    'yep that s the one',
    "yep that's the one",
    'yes it is',
    'um yes that is what i said',
    'you got it',
    'spot on',
  ])('"%s" is a yes', (s) => expect(kind(s)).toBe('yes'));

  it.each([
    'nope not that',
    'not quite',
    'no that is wrong',
    'no it isn t',
    "no that's not what i said",
  ])('"%s" is a no', (s) => expect(kind(s)).toBe('no'));

  it('is no answer when the tail orders, corrects, asks or turns it round', () => {
    expect(kind('no, one')).toBe('set_quantity');
    expect(kind('yes and a beer')).toBe('order');
    expect(kind('no i want a mojito')).toBe('order');
    expect(kind("yeah what's in it")).not.toMatch(/^(yes|no)$/);
    expect(kind('yes not that')).not.toMatch(/^(yes|no)$/);
    expect(kind('no that is right')).not.toMatch(/^(yes|no)$/);
    expect(kind('not that one the other one')).not.toMatch(/^(yes|no)$/);
  });
});
