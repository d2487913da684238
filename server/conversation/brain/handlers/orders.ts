/**
 * Handlers that change the tab: orders, swaps, removals, quantity and modifier corrections, repeats.
 * Every change goes through a registry tool (one atomic state change each) and is repeated back with
 * what it cost, so a misheard order is caught at once.
 */
import { formatCents } from '../../../../shared/money.ts';
import type { Modifier } from '../../../../shared/menu.ts';
import { MAX_QUANTITY } from '../../../../shared/domain.ts';
import type { OrderLine } from '../../../../shared/domain.ts';
import type { OrderItem } from '../../../domain/session.ts';
import type { BillView } from '../../tools.ts';
import { offMenuFor } from '../cousins.ts';
import type { Intent } from '../intents.ts';
import { asWritten } from '../../understanding/text.ts';
import { fragment } from '../../../phrasebook/lines.ts';
import {
  billText,
  centsOf,
  distinctItems,
  isFirstOrder,
  linesOf,
  mergeLines,
  orList,
  recentDrinks,
  reply,
} from '../turnContext.ts';
import type { HandlerTable, Reply, TurnContext } from '../turnContext.ts';

type Swap = Extract<Intent, { kind: 'swap' }>;

const validCount = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_QUANTITY;

function quantityInvalid(ctx: TurnContext, quantities: readonly number[] = []): Reply {
  if (quantities.some((q) => q < 1)) return reply(ctx.voice.say('quantity_too_small'), 'neutral');
  if (quantities.some((q) => Number.isNaN(q)))
    return reply(ctx.voice.say('quantity_not_whole'), 'neutral');
  return reply(ctx.voice.say('quantity_invalid', { max: MAX_QUANTITY }), 'neutral');
}

function failed(ctx: TurnContext, r: { error: string; message: string }): Reply {
  if (r.error === 'INSUFFICIENT_FUNDS')
    return reply(ctx.voice.say('insufficient_funds', { message: r.message }), 'neutral');
  if (r.error === 'INVALID_QUANTITY') return quantityInvalid(ctx);
  return reply(ctx.voice.say('order_failed', { message: r.message }), 'neutral');
}

function suggestions(ctx: TurnContext, name: string): string {
  const names = offMenuFor(ctx.menu).closest(name);
  return names.length > 1
    ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`
    : (names[0] ?? fragment('suggest_anything'));
}

/** An off-menu name said back: known drinks with capitals ("a Sazerac"), anything else as typed. */
function offMenuName(ctx: TurnContext, name: string): string {
  const said = asWritten(name, ctx.understood.written ?? new Map());
  return offMenuFor(ctx.menu).isKnown(name)
    ? said.replace(/(^|\s)(\p{L})/gu, (_, space: string, ch: string) => space + ch.toUpperCase())
    : said;
}

export function unknownDrink(ctx: TurnContext, name: string): Reply {
  const said = offMenuName(ctx, name);
  const aName = offMenuFor(ctx.menu).isKnown(name)
    ? `${/^[aeiou]/i.test(said) ? 'an' : 'a'} ${said}`
    : said;
  return reply(
    ctx.voice.say('unknown_drink', { name: said, aName, suggestions: suggestions(ctx, name) }),
    'thinking',
  );
}

/** Who a drink is for, said back to the guest: "my sister" → "your sister", "me" → "you". */
export function yours(recipient: string): string {
  return recipient.replace(/^(my|our)\b/, 'your').replace(/^(me|us)$/, 'you');
}

/** "one Manhattan and one Martini for her": the added lines, each with who it is for when said. */
function addedText(perSlot: readonly { lines: OrderLine[]; for?: string }[]): string {
  if (!perSlot.some((p) => p.for)) return linesOf(mergeLines(perSlot.flatMap((p) => p.lines)));
  const parts = perSlot.map((p) => `${linesOf(p.lines)}${p.for ? ` for ${yours(p.for)}` : ''}`);
  return parts.length <= 1
    ? parts.join('')
    : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** Order drinks and say what was added and what it cost (shared with confirmed read-backs). */
export async function orderAndReply(
  ctx: TurnContext,
  items: readonly (OrderItem & { for?: string })[],
): Promise<Reply> {
  const { voice, tools } = ctx;
  if (items.some((i) => !validCount(i.quantity)))
    return quantityInvalid(
      ctx,
      items.map((i) => i.quantity),
    );
  const added: OrderLine[] = [];
  const perSlot: { lines: OrderLine[]; for?: string }[] = [];
  let last: BillView | undefined;
  for (const slot of items) {
    const r = await tools('add_to_order', {
      item: slot.item,
      quantity: slot.quantity,
      modifiers: slot.modifiers,
    });
    if (!r.ok) {
      if (added.length)
        return reply(
          voice.say('order_partly_failed', { lines: linesOf(added), problem: r.message }),
          'mixing',
        );
      if (r.error === 'ITEM_NOT_FOUND') return unknownDrink(ctx, slot.item);
      return failed(ctx, r);
    }
    added.push(...r.result.added);
    perSlot.push({ lines: r.result.added, ...(slot.for ? { for: slot.for } : {}) });
    last = r.result;
  }
  const cost = centsOf(added);
  const tabNote =
    last && last.tabCents !== cost
      ? voice.fragment('tab_note', { tab: formatCents(last.tabCents) })
      : '';
  return reply(
    voice.say(
      'order_added',
      { lines: addedText(perSlot), cost: formatCents(cost), tabNote },
      isFirstOrder(ctx.state) ? 0 : undefined,
    ),
    'mixing',
  );
}

async function removeAndReply(
  ctx: TurnContext,
  targets: readonly { item: string; quantity: number | undefined }[],
): Promise<Reply> {
  const removed: OrderLine[] = [];
  let last: BillView | undefined;
  let failure: string | undefined;
  for (const t of targets) {
    const r = await ctx.tools(
      'remove_from_order',
      t.quantity === undefined ? { item: t.item } : { item: t.item, quantity: t.quantity },
    );
    if (!r.ok) {
      failure ??= r.message;
      continue;
    }
    removed.push(...r.result.removed);
    last = r.result;
  }
  if (!last)
    return reply(
      failure
        ? ctx.voice.say('order_failed', { message: failure })
        : ctx.voice.say('nothing_to_remove'),
      'neutral',
    );
  return reply(
    ctx.voice.say('removed', {
      lines: linesOf(mergeLines(removed)),
      refund: formatCents(centsOf(removed)),
      bill: billText(ctx.voice, last),
    }),
    'neutral',
  );
}

/**
 * One drink for another in one step: refund the old, charge the new (swap_in_order). Without a
 * drink named to replace, the one just ordered goes; with nothing on the tab, it is a plain order.
 */
export async function swapAndReply(ctx: TurnContext, intent: Swap): Promise<Reply> {
  const { state, voice } = ctx;
  const from = intent.from ?? recentDrinks(state).at(-1)?.item;
  const onTab = state.order.filter((l) => l.item === from);
  if (!from || onTab.length === 0)
    return orderAndReply(ctx, [
      { item: intent.to.item, quantity: intent.to.quantity ?? 1, modifiers: intent.to.modifiers },
    ]);
  const fromLast = state.conversation.lastAdded.filter((l) => l.item === from);
  const basis = fromLast.length ? fromLast : onTab;
  const count = basis.reduce((n, l) => n + l.quantity, 0);
  // A spirit for a spirit keeps how it was served ("vodka on the rocks" → "make it a gin instead").
  const old = basis.at(-1)!;
  const sameKind = ctx.menu.find(from)?.category === ctx.menu.find(intent.to.item)?.category;
  const modifiers = intent.to.modifiers.length || !sameKind ? intent.to.modifiers : old.modifiers;
  if (
    from === intent.to.item &&
    (intent.to.quantity ?? count) === count &&
    modifiers.join() === old.modifiers.join()
  ) {
    return reply(
      voice.say('quantity_same', {
        count: linesOf([{ item: from, quantity: count, modifiers: [] }]),
      }),
      'neutral',
    );
  }
  if (intent.to.quantity !== undefined && !validCount(intent.to.quantity))
    return quantityInvalid(ctx);
  const r = await ctx.tools('swap_in_order', {
    remove_item: from,
    remove_quantity: Math.min(count, MAX_QUANTITY),
    item: intent.to.item,
    ...(intent.to.quantity === undefined ? {} : { quantity: intent.to.quantity }),
    modifiers: [...modifiers],
  });
  if (!r.ok) return failed(ctx, r);
  const { removed, added } = r.result;
  return reply(
    voice.say('swapped', {
      removed: linesOf(mergeLines(removed)),
      added: linesOf(added),
      cost: formatCents(centsOf(added)),
      bill: billText(voice, r.result),
    }),
    'mixing',
  );
}

export const orderHandlers = {
  order: async (ctx, intent) => {
    // A negative, zero or too large count is never charged, not even the rest of the order.
    if (intent.items.some((i) => !validCount(i.quantity)))
      return quantityInvalid(
        ctx,
        intent.items.map((i) => i.quantity),
      );
    const ordered = await orderAndReply(ctx, intent.items);
    if (!intent.unknown?.length) return ordered;
    const name = intent.unknown.map((u) => offMenuName(ctx, u)).join(' or ');
    const missing = ctx.voice.say('unknown_in_order', {
      name,
      suggestions: suggestions(ctx, intent.unknown[0]!),
    });
    return { ...ordered, text: `${ordered.text} ${missing}` };
  },

  swap: swapAndReply,

  unknown_drink: (ctx, intent) => unknownDrink(ctx, intent.name),

  cannot_make: (ctx, intent) =>
    reply(
      ctx.voice.say('cannot_make', {
        item: intent.item,
        asked: intent.asked,
        lines: linesOf(intent.items),
      }),
      'neutral',
      {
        offer: intent.items.map(({ item, quantity, modifiers }) => ({ item, quantity, modifiers })),
      },
    ),

  did_you_mean: (ctx, intent) =>
    reply(
      ctx.voice.say('did_you_mean', { a: intent.options[0] ?? '', b: intent.options[1] ?? '' }),
      'thinking',
    ),

  remove: (ctx, intent) => {
    let item = intent.item;
    if (!item) {
      const candidates = distinctItems(recentDrinks(ctx.state));
      if (candidates.length === 0) return reply(ctx.voice.say('nothing_to_remove'), 'neutral');
      if (candidates.length > 1)
        return reply(ctx.voice.say('clarify_which', { options: orList(candidates) }), 'thinking');
      item = candidates[0]!;
    }
    return removeAndReply(ctx, [{ item, quantity: intent.quantity }]);
  },

  cancel_last: (ctx) => {
    const { lastAdded } = ctx.state.conversation;
    const targets = lastAdded.length ? lastAdded : ctx.state.order.slice(-1);
    if (targets.length === 0) return reply(ctx.voice.say('nothing_to_remove'), 'neutral');
    return removeAndReply(
      ctx,
      targets.map((t) => ({ item: t.item, quantity: t.quantity })),
    );
  },

  cancel_all: (ctx) => {
    if (ctx.state.order.length === 0) return reply(ctx.voice.say('nothing_to_remove'), 'neutral');
    return removeAndReply(
      ctx,
      distinctItems(ctx.state.order).map((item) => ({ item, quantity: undefined })),
    );
  },

  set_quantity: async (ctx, intent) => {
    const { state, voice, tools } = ctx;
    const pool = recentDrinks(state);
    // "sorry, I meant two IPAs" after a tap beer: a swap, not more IPAs.
    if (
      intent.item &&
      !pool.some((l) => l.item === intent.item) &&
      distinctItems(state.conversation.lastAdded).length === 1
    ) {
      return swapAndReply(ctx, {
        kind: 'swap',
        to: { item: intent.item, quantity: intent.quantity, modifiers: [] },
      });
    }
    const candidates = intent.item ? [intent.item] : distinctItems(pool);
    if (candidates.length === 0) return reply(voice.say('nothing_to_repeat'), 'neutral');
    if (candidates.length > 1)
      return reply(voice.say('clarify_which', { options: orList(candidates) }), 'thinking');
    if (!validCount(intent.quantity)) return quantityInvalid(ctx);
    const item = candidates[0]!;
    const fromLast = state.conversation.lastAdded.filter((l) => l.item === item);
    const basis = fromLast.length ? fromLast : state.order.filter((l) => l.item === item);
    const current = basis.reduce((s, l) => s + l.quantity, 0);
    const count = linesOf([{ item, quantity: intent.quantity, modifiers: [] }]);
    if (current === intent.quantity) return reply(voice.say('quantity_same', { count }), 'neutral');
    if (current === 0 || intent.quantity > current) {
      const r = await tools('add_to_order', {
        item,
        quantity: intent.quantity - current,
        modifiers: basis.at(-1)?.modifiers ?? [],
      });
      if (!r.ok) return failed(ctx, r);
      const change = voice.fragment('change_added', {
        lines: linesOf(r.result.added),
        cost: formatCents(centsOf(r.result.added)),
      });
      return reply(
        voice.say('quantity_changed', { count, change, bill: billText(voice, r.result) }),
        'mixing',
      );
    }
    const r = await tools('remove_from_order', { item, quantity: current - intent.quantity });
    if (!r.ok) return failed(ctx, r);
    const change = voice.fragment('change_removed', {
      lines: linesOf(r.result.removed),
      refund: formatCents(centsOf(r.result.removed)),
    });
    return reply(
      voice.say('quantity_changed', { count, change, bill: billText(voice, r.result) }),
      'neutral',
    );
  },

  modify_last: async (ctx, intent) => {
    const { voice } = ctx;
    const target = intent.item
      ? ctx.state.order.filter((l) => l.item === intent.item).at(-1)
      : recentDrinks(ctx.state).at(-1);
    // "make the whiskey a double" with no whiskey on the tab: a double whiskey is what they want.
    if (!target && intent.item)
      return orderAndReply(ctx, [{ item: intent.item, quantity: 1, modifiers: intent.modifiers }]);
    if (!target) return reply(voice.say('nothing_to_repeat'), 'neutral');
    if (intent.modifiers.length === 0)
      return reply(
        voice.say('clarify_which', { options: 'a double, neat or on the rocks' }),
        'thinking',
      );
    // "make the lemonade a double": a drink the menu pours no double of stays as it is (and costs the same).
    const doubleRefused =
      intent.modifiers.includes('double') && ctx.menu.find(target.item)?.doubleAllowed === false;
    if (doubleRefused && intent.modifiers.every((m) => m === 'double'))
      return reply(voice.say('no_double', { item: target.item }), 'neutral');
    // "on the rocks" replaces "neat" and the other way round.
    const keep = target.modifiers.filter(
      (m) =>
        !(intent.modifiers.includes('neat') && m === 'on the rocks') &&
        !(intent.modifiers.includes('on the rocks') && m === 'neat'),
    );
    const modifiers = [...new Set([...keep, ...intent.modifiers])] as Modifier[];
    // One atomic swap of the drink for itself with the new modifiers: a failure changes nothing.
    const r = await ctx.tools('swap_in_order', {
      remove_item: target.item,
      remove_quantity: target.quantity,
      item: target.item,
      quantity: target.quantity,
      modifiers,
    });
    if (!r.ok) return failed(ctx, r);
    return reply(
      voice.say('modified', { lines: linesOf(r.result.added), bill: billText(voice, r.result) }),
      'mixing',
    );
  },

  repeat_last: (ctx, intent) => {
    const pool = ctx.state.conversation.lastAdded.length
      ? ctx.state.conversation.lastAdded
      : ctx.state.order.slice(-1);
    const candidates = distinctItems(pool);
    if (candidates.length === 0) return reply(ctx.voice.say('nothing_to_repeat'), 'neutral');
    if (candidates.length > 1)
      return reply(ctx.voice.say('clarify_which', { options: orList(candidates) }), 'thinking');
    const last = pool.filter((p) => p.item === candidates[0]).at(-1)!;
    return orderAndReply(ctx, [
      { item: last.item, quantity: intent.quantity, modifiers: last.modifiers },
    ]);
  },

  repeat_round: (ctx) => {
    const { lastAdded } = ctx.state.conversation;
    const round: OrderItem[] = lastAdded.length
      ? lastAdded
      : (ctx.state.orderHistory.at(-1)?.lines ?? []).map(({ item, quantity, modifiers }) => ({
          item,
          quantity,
          modifiers,
        }));
    if (round.length === 0) return reply(ctx.voice.say('nothing_to_repeat'), 'neutral');
    return orderAndReply(ctx, round);
  },
} satisfies Partial<HandlerTable>;
