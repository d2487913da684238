/**
 * Handlers that answer a question and never charge: prices, whether we have a drink, what is in it,
 * how two drinks differ, the menu, recommendations, "on the house?", and a guest who overdid it.
 * Answers that name drinks leave them as an offer, so a "yes" next turn orders them.
 */
import { formatCents } from '../../../../shared/money.ts';
import { MAX_QUANTITY } from '../../../../shared/domain.ts';
import { factsOf } from '../drinkFacts.ts';
import { itemFromPhrase } from '../offers.ts';
import { andList, linesOf, recentDrinks, reply, withArticle } from '../turnContext.ts';
import type { HandlerTable, TurnContext } from '../turnContext.ts';
import type { OrderSlot } from '../intent.ts';
import { priceLine } from '../../../state/rules.ts';

const priceOf = (ctx: TurnContext, item: string) => ctx.menu.find(item)?.priceCents ?? 0;
/** What one of a drink costs served so: a double at the price the tab would charge for it. */
const unitPriceOf = (ctx: TurnContext, i: OrderSlot) =>
  ctx.menu.find(i.item)
    ? priceLine({ item: i.item, quantity: 1, modifiers: i.modifiers }, ctx.menu).unitPriceCents
    : 0;

export const questionHandlers = {
  ask_drink: (ctx, intent) => {
    const cost = intent.items.reduce((sum, i) => sum + unitPriceOf(ctx, i) * i.quantity, 0);
    return reply(
      ctx.voice.say('ask_drink', { lines: linesOf(intent.items), cost: formatCents(cost) }),
      'neutral',
      { offer: intent.items },
    );
  },

  ask_price: (ctx, intent) => {
    const each = intent.items.map((i) => ({ ...i, quantity: Math.max(1, i.quantity) }));
    const parts = each.map(
      (i) =>
        `${linesOf([i])} ${i.quantity > 1 ? 'are' : 'is'} ${formatCents(unitPriceOf(ctx, i) * i.quantity)}`,
    );
    const total = each.reduce((sum, i) => sum + unitPriceOf(ctx, i) * i.quantity, 0);
    const prices =
      each.length > 1
        ? ctx.voice.fragment('prices_together', {
            prices: andList(parts),
            total: formatCents(total),
          })
        : parts[0]!;
    const offer = each.filter((i) => i.quantity <= MAX_QUANTITY);
    return reply(ctx.voice.say('ask_price', { prices }), 'neutral', offer.length ? { offer } : {});
  },

  compare: (ctx, intent) => {
    const [a, b] = intent.items as [string, string];
    const fa = factsOf(a, ctx.menu);
    const fb = factsOf(b, ctx.menu);
    const vars = {
      a,
      b,
      aMade: fa.made,
      bMade: fb.made,
      aLike: fa.like,
      bLike: fb.like,
      aCost: formatCents(priceOf(ctx, a)),
      bCost: formatCents(priceOf(ctx, b)),
    };
    return reply(ctx.voice.say('compare', vars), 'thinking');
  },

  whats_in_last: (ctx) => {
    const last = recentDrinks(ctx.state).at(-1);
    if (!last) return reply(ctx.voice.say('whats_in_nothing'), 'neutral');
    const f = factsOf(last.item, ctx.menu);
    return reply(
      ctx.voice.say('whats_in_last', { item: last.item, made: f.made, like: f.like }),
      'neutral',
    );
  },

  drink_talk: (ctx, intent) => {
    const mentioned = [{ item: intent.item, quantity: 1, modifiers: [] }];
    const line = ctx.smallTalk.aboutDrink(intent.item, ctx.state.conversation.usedLines);
    if (line)
      return reply(line.text, line.emotion ?? 'neutral', {
        smallTalk: true,
        usedLine: line.id,
        mentioned,
      });
    const f = factsOf(intent.item, ctx.menu);
    return reply(
      ctx.voice.say('drink_fact', {
        item: intent.item,
        made: f.made,
        like: f.like,
        cost: formatCents(priceOf(ctx, intent.item)),
      }),
      'neutral',
      { mentioned },
    );
  },

  on_the_house: (ctx) => reply(ctx.voice.say('on_the_house'), 'happy'),

  // Empathy and a glass of water — never the recipe of what did the damage.
  overdid: (ctx) =>
    reply(ctx.voice.say('overdid'), 'neutral', {
      offer: [{ item: 'Water', quantity: 1, modifiers: [] }],
    }),

  clarify: (ctx, intent) => reply(ctx.voice.say(`clarify_${intent.about}`), 'thinking'),

  recommend: async (ctx, intent) => {
    const r = await ctx.tools('get_recommendation', { preference: intent.preference });
    const drinks = r.ok ? r.result.drinks : ctx.menu.recommendations.any;
    const d = [
      drinks[0] ?? 'Martini',
      drinks[1] ?? 'Daiquiri',
      drinks[2] ?? 'Old Fashioned',
    ] as const;
    const vars = {
      d0: d[0],
      d1: d[1],
      d2: d[2],
      ad0: withArticle(d[0]),
      ad1: withArticle(d[1]),
      ad2: withArticle(d[2]),
    };
    const key = intent.surprise
      ? 'surprise'
      : intent.preference === 'sober'
        ? 'recommend_sober'
        : 'recommend';
    const text = ctx.voice.say(key, vars);
    const first = itemFromPhrase(vars.d0, ctx.menu);
    // The drinks this reply named, in the order said: "the second one" takes the second of them.
    const choices = d
      .filter((name) => text.includes(name))
      .map((name) => itemFromPhrase(name, ctx.menu))
      .filter((i) => i !== undefined);
    return reply(
      text,
      'thinking',
      first ? { offer: [first], ...(choices.length > 1 && { offerChoices: choices }) } : {},
    );
  },

  menu: (ctx, intent) => {
    if (intent.category) {
      const items = ctx.menu
        .byCategory(intent.category)
        .map((m) =>
          ctx.voice.fragment('menu_item', { name: m.name, price: formatCents(m.priceCents) }),
        );
      return reply(
        ctx.voice.say('menu_category', { category: intent.category, items: andList(items) }),
        'neutral',
      );
    }
    return reply(
      ctx.voice.say('menu', { categories: 'cocktails, beer, spirits, wine and soft drinks' }),
      'neutral',
    );
  },
} satisfies Partial<HandlerTable>;
