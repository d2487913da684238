/**
 * The tool registry: each tool is defined once (name, description, zod parameters, handler on the
 * state manager) and serves both the embedded brain and LLM function calling.
 */
import { z } from 'zod';
import { BUNDLED_MENU, MENU_CATEGORIES, MODIFIERS, PREFERENCES } from '../../shared/menu.ts';
import type { Menu } from '../../shared/menu.ts';
import { MAX_QUANTITY, TipPercentSchema } from '../../shared/domain.ts';
import type { DomainErrorCode, OrderLine } from '../../shared/domain.ts';
import { DomainError } from '../domain/errors.ts';
import { line } from '../phrasebook/lines.ts';
import type { StateManager } from '../state/manager.ts';
import type { SessionState } from '../domain/session.ts';
import type { PaymentService } from '../payments/service.ts';
import type { ToolResult } from './ports.ts';

export interface ToolContext {
  sessionId: string;
  manager: StateManager;
  /** The payment service; without it the payment tools answer PAYMENT_UNAVAILABLE. */
  payments?: PaymentService;
  /** The menu of this turn (the live one when it began); the bundled menu when absent (tests). */
  menu?: Menu;
}

const menuOf = (ctx: ToolContext): Menu => ctx.menu ?? BUNDLED_MENU;

function paymentsOf(ctx: ToolContext): PaymentService {
  if (!ctx.payments)
    throw new DomainError('PAYMENT_UNAVAILABLE', 'Payments are not available right now.');
  return ctx.payments;
}

export interface ToolDefinition<P extends z.ZodType = z.ZodType, R = unknown> {
  name: string;
  description: string;
  /** Changes the session (money, tab, tip or payment): a turn that ran it must not run it again on a fallback. */
  mutates: boolean;
  parameters: P;
  handler: (ctx: ToolContext, args: z.infer<P>) => Promise<R>;
}

/** Keeps each tool's literal name, so arguments and results can be typed by name (ToolArgs, ToolReturn). */
function defineTool<const N extends string, P extends z.ZodType, R>(
  def: ToolDefinition<P, R> & { name: N },
): ToolDefinition<P, R> & { name: N } {
  return def;
}

const itemName = z
  .string()
  .min(1)
  .max(60)
  .describe('Drink name as the guest said it, e.g. "margarita" or "old fashioneds".');

export interface BillView {
  lines: OrderLine[];
  tabCents: number;
  tipPercent: number | null;
  tipCents: number;
  totalCents: number;
  balanceCents: number;
}

function bill(s: SessionState): BillView {
  const p = s.payment;
  return {
    lines: s.order,
    tabCents: p.tabCents,
    tipPercent: p.tipPercent,
    tipCents: p.tipCents,
    totalCents: p.tabCents + p.tipCents,
    balanceCents: p.balanceCents,
  };
}

export const TOOLS = [
  defineTool({
    name: 'get_menu',
    mutates: false,
    description: 'List the menu: every drink with its category and price in cents.',
    parameters: z.object({ category: z.enum(MENU_CATEGORIES).optional() }),
    handler: async (ctx, { category }) =>
      menuOf(ctx)
        .items.filter((m) => !category || m.category === category)
        .map(({ name, category: c, priceCents }) => ({ name, category: c, priceCents })),
  }),
  defineTool({
    name: 'get_recommendation',
    mutates: false,
    description: 'Recommend drinks for a preference: sober, classy, fruity, strong or any.',
    parameters: z.object({ preference: z.enum(PREFERENCES).default('any') }),
    handler: async (ctx, { preference }) => ({
      preference,
      drinks: menuOf(ctx).recommendations[preference],
    }),
  }),
  defineTool({
    name: 'add_to_order',
    mutates: true,
    description: "Add drinks to the guest's tab. Charges the balance at once.",
    parameters: z.object({
      item: itemName,
      quantity: z.number().int().min(1).max(MAX_QUANTITY).default(1),
      modifiers: z.array(z.enum(MODIFIERS)).default([]),
    }),
    handler: async (ctx, args) => {
      const { state, result } = await ctx.manager.atomicOrderUpdate(ctx.sessionId, [args]);
      return { added: result ?? [], ...bill(state) };
    },
  }),
  defineTool({
    name: 'remove_from_order',
    mutates: true,
    description:
      'Remove drinks from the current tab and refund them. Omit quantity to remove all of that drink.',
    parameters: z.object({
      item: itemName,
      quantity: z.number().int().min(1).max(MAX_QUANTITY).optional(),
    }),
    handler: async (ctx, args) => {
      const { state, result } = await ctx.manager.removeFromOrder(ctx.sessionId, args);
      return { removed: result ?? [], ...bill(state) };
    },
  }),
  defineTool({
    name: 'swap_in_order',
    mutates: true,
    description:
      'Replace a drink on the tab with another in one step ("make it a gin instead"): refunds the old drink and charges the new one, or changes nothing if the new one cannot be afforded. Omit quantity to swap as many as were removed.',
    parameters: z.object({
      remove_item: itemName,
      remove_quantity: z.number().int().min(1).max(MAX_QUANTITY).optional(),
      item: itemName,
      quantity: z.number().int().min(1).max(MAX_QUANTITY).optional(),
      modifiers: z.array(z.enum(MODIFIERS)).default([]),
    }),
    handler: async (ctx, { remove_item, remove_quantity, item, quantity, modifiers }) => {
      const removal =
        remove_quantity === undefined
          ? { item: remove_item }
          : { item: remove_item, quantity: remove_quantity };
      const { state, result } = await ctx.manager.atomicSwap(ctx.sessionId, removal, [
        { item, modifiers, ...(quantity === undefined ? {} : { quantity }) },
      ]);
      return { removed: result?.removed ?? [], added: result?.added ?? [], ...bill(state) };
    },
  }),
  defineTool({
    name: 'get_order',
    mutates: false,
    description: 'The drinks on the current tab.',
    parameters: z.object({}),
    handler: async (ctx) => (await ctx.manager.get(ctx.sessionId)).order,
  }),
  defineTool({
    name: 'get_balance',
    mutates: false,
    description: "The guest's remaining balance in cents.",
    parameters: z.object({}),
    handler: async (ctx) => ({
      balanceCents: (await ctx.manager.get(ctx.sessionId)).payment.balanceCents,
    }),
  }),
  defineTool({
    name: 'get_bill',
    mutates: false,
    description: 'The bill: lines, tab, tip and total in cents. Does not start payment.',
    parameters: z.object({}),
    handler: async (ctx) => bill(await ctx.manager.get(ctx.sessionId)),
  }),
  defineTool({
    name: 'set_tip',
    mutates: true,
    description: 'Set the tip to 10, 15 or 20 percent of the tab, or null for no tip.',
    parameters: z.object({ percent: TipPercentSchema.nullable() }),
    handler: async (ctx, { percent }) =>
      bill((await ctx.manager.setTip(ctx.sessionId, percent, false)).state),
  }),
  defineTool({
    name: 'create_payment',
    mutates: true,
    description:
      'Start paying the tab (tab + tip): opens a checkout and returns its URL and the total in cents. Shows the same checkout again if one is open.',
    parameters: z.object({}),
    handler: async (ctx) => {
      const { checkoutUrl, totalCents, alreadyOpen } = await paymentsOf(ctx).createPayment(
        ctx.sessionId,
      );
      return { checkoutUrl, totalCents, alreadyOpen };
    },
  }),
  defineTool({
    name: 'check_payment_status',
    mutates: false,
    description:
      "Whether the guest's payment went through: status pending | processing | completed | failed, the open checkout URL and the total.",
    parameters: z.object({}),
    handler: async (ctx) => paymentsOf(ctx).checkStatus(ctx.sessionId),
  }),
  defineTool({
    name: 'cancel_payment',
    mutates: true,
    description: 'Cancel the payment in progress (the checkout is closed; the tab stays open).',
    parameters: z.object({}),
    handler: async (ctx) => ({
      cancelled: true as const,
      ...bill(await paymentsOf(ctx).cancelPayment(ctx.sessionId)),
    }),
  }),
] as const;

export type ToolName = (typeof TOOLS)[number]['name'];

/** Tools that change the session, by name (the cloud fallback never runs them twice). */
export const MUTATING_TOOLS: ReadonlySet<string> = new Set(
  TOOLS.filter((t) => t.mutates).map((t) => t.name),
);
type ToolByName<N extends ToolName> = Extract<(typeof TOOLS)[number], { name: N }>;
export type ToolArgs<N extends ToolName> = z.input<ToolByName<N>['parameters']>;
export type ToolReturn<N extends ToolName> = Awaited<ReturnType<ToolByName<N>['handler']>>;

const byName = new Map<string, ToolDefinition>(
  TOOLS.map((t) => [t.name, t as unknown as ToolDefinition]),
);

/** Run a tool by name with untrusted arguments (from the brain or an LLM): validate, execute, code errors. */
export async function runTool(
  ctx: ToolContext,
  name: string,
  rawArgs: unknown,
): Promise<ToolResult> {
  const tool = byName.get(name);
  if (!tool)
    return { ok: false, error: 'ITEM_NOT_FOUND', message: `There is no tool called ${name}.` };
  const args = tool.parameters.safeParse(rawArgs ?? {});
  if (!args.success) {
    const issue = args.error.issues[0];
    const code: DomainErrorCode =
      issue?.path[0] === 'quantity'
        ? 'INVALID_QUANTITY'
        : issue?.path[0] === 'percent'
          ? 'INVALID_TIP_PERCENTAGE'
          : 'ITEM_NOT_FOUND';
    return {
      ok: false,
      error: code,
      message: `Bad arguments for ${name}: ${issue?.path.join('.')}: ${issue?.message}`,
    };
  }
  try {
    return { ok: true, result: await tool.handler(ctx, args.data) };
  } catch (e) {
    // What the guest hears is the phrasebook's template for the failure, not the log message.
    if (e instanceof DomainError)
      return { ok: false, error: e.code, message: line(e.spoken.phrase, e.spoken.vars) };
    throw e;
  }
}

/** Typed convenience for in-process callers (the embedded brain). */
export function callTool<N extends ToolName>(
  ctx: ToolContext,
  name: N,
  args: ToolArgs<N>,
): Promise<ToolResult<ToolReturn<N>>> {
  return runTool(ctx, name, args) as Promise<ToolResult<ToolReturn<N>>>;
}

/** A tool runner whose arguments and results are typed by the registry (one cast, here). */
export type TypedToolRunner = <N extends ToolName>(
  name: N,
  args: ToolArgs<N>,
) => Promise<ToolResult<ToolReturn<N>>>;

export function typedTools(
  run: (name: string, args: unknown) => Promise<ToolResult>,
): TypedToolRunner {
  return <N extends ToolName>(name: N, args: ToolArgs<N>) =>
    run(name, args) as Promise<ToolResult<ToolReturn<N>>>;
}

/** One tool call with its result typed by the tool's name: narrowing on `name` types `result`. */
export type ToolCall = {
  [N in ToolName]: { name: N; result: ToolResult<ToolReturn<N>> };
}[ToolName];

const TOOL_NAMES: ReadonlySet<string> = new Set(TOOLS.map((t) => t.name));
const isToolName = (name: string): name is ToolName => TOOL_NAMES.has(name);

/** A call `runTool` ran, typed by the registry (its handler made the result); null for a name it does not know. */
export function typedCall(name: string, result: ToolResult): ToolCall | null {
  return isToolName(name) ? ({ name, result } as ToolCall) : null;
}

/** What a turn's calls changed on the tab: lines added, lines removed, and the last tab they reported. */
export interface TabChanges {
  added: OrderLine[];
  removed: OrderLine[];
  tabCents?: number;
}

export function tabChanges(calls: readonly { name: string; result: ToolResult }[]): TabChanges {
  const out: TabChanges = { added: [], removed: [] };
  for (const raw of calls) {
    const c = typedCall(raw.name, raw.result);
    if (!c) continue;
    switch (c.name) {
      case 'add_to_order':
        if (c.result.ok) out.added.push(...c.result.result.added);
        break;
      case 'remove_from_order':
        if (c.result.ok) out.removed.push(...c.result.result.removed);
        break;
      case 'swap_in_order':
        if (c.result.ok) {
          out.removed.push(...c.result.result.removed);
          out.added.push(...c.result.result.added);
        }
        break;
      default:
    }
    if (
      c.result.ok &&
      typeof c.result.result === 'object' &&
      c.result.result !== null &&
      'tabCents' in c.result.result
    )
      out.tabCents = c.result.result.tabCents;
  }
  return out;
}
