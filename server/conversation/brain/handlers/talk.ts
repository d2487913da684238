/**
 * Handlers for the social side of a turn: greetings, thanks, goodbyes, compliments and praise, yes
 * and no with nothing asked, "sorry?", and casual talk answered from the small-talk corpus.
 */
import { reply } from '../turnContext.ts';
import type { HandlerTable } from '../turnContext.ts';

export const talkHandlers = {
  say_again: (ctx) => {
    const last = [...ctx.state.conversation.history].reverse().find((m) => m.role === 'maya');
    if (!last) return reply(ctx.voice.say('greeting', {}, 0), 'neutral');
    return reply(
      ctx.voice.say('said_before', {
        text: last.text.replace(/^(I said|What I said was|Sure —): /, ''),
      }),
      'neutral',
    );
  },
  yes: (ctx) => reply(ctx.voice.say('yes_nothing_pending'), 'happy'),
  no: (ctx) =>
    reply(
      ctx.voice.say(ctx.state.conversation.pending ? 'offer_declined' : 'no_nothing_pending'),
      'neutral',
    ),
  greeting: (ctx) =>
    reply(
      ctx.voice.say('greeting', {}, ctx.state.conversation.turnCount === 0 ? 0 : undefined),
      'neutral',
    ),
  thanks: (ctx) => reply(ctx.voice.say('thanks'), 'happy', { smallTalk: true }),
  wait: (ctx) => reply(ctx.voice.say('take_your_time'), 'neutral'),
  goodbye: (ctx) => reply(ctx.voice.say('goodbye'), 'happy'),
  compliment: (ctx) => reply(ctx.voice.say('compliment'), 'flustered', { smallTalk: true }),
  praise: (ctx) => reply(ctx.voice.say('praise'), 'happy', { smallTalk: true }),
  small_talk: (ctx) => {
    const conv = ctx.state.conversation;
    const { line } = ctx.smallTalk.pick(ctx.text, conv.usedLines, conv.turnCount);
    return reply(line.text, line.emotion ?? 'neutral', { smallTalk: true, usedLine: line.id });
  },
} satisfies Partial<HandlerTable>;
