/**
 * Pure money and payment rules (DOMAIN.md "Money rules", "Payment state machine"). Each takes a
 * session and returns the next one, or throws a DomainError and changes nothing. The state manager
 * applies them atomically through the store; nothing else mutates money.
 */
import { BUNDLED_MENU, normalizeName } from '../../shared/menu.ts';
import type { Menu, Modifier } from '../../shared/menu.ts';
import { doublePriceCents, formatCents, percentOf } from '../../shared/money.ts';
import { MAX_QUANTITY, TIP_PERCENTS, TipPercentSchema } from '../../shared/domain.ts';
import type { OrderLine, PaymentStatus } from '../../shared/domain.ts';
import { DomainError } from '../domain/errors.ts';
import type { PaymentFailure, SessionState } from '../domain/session.ts';

/** Allowed payment transitions; staying put is always allowed. */
export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  pending: ['processing'],
  processing: ['completed', 'pending', 'failed'],
  failed: ['processing'],
  completed: [],
};

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return from === to || PAYMENT_TRANSITIONS[from].includes(to);
}

export function assertTransition(from: PaymentStatus, to: PaymentStatus): void {
  if (!canTransition(from, to))
    throw new DomainError('INVALID_TRANSITION', `A payment cannot go from ${from} to ${to}.`);
}

function clone(s: SessionState): SessionState {
  return structuredClone(s);
}

function retip(s: SessionState): void {
  s.payment.tipCents =
    s.payment.tipPercent === null ? 0 : percentOf(s.payment.tabCents, s.payment.tipPercent);
}

export interface OrderRequest {
  item: string;
  quantity?: number;
  modifiers?: readonly Modifier[];
}

export function unknownItemError(name: string, menu: Menu = BUNDLED_MENU): DomainError {
  const names = menu.suggest(name).map((m) => m.name);
  return new DomainError(
    'ITEM_NOT_FOUND',
    `We don't have "${name}". Closest on the menu: ${names.join(', ')}.`,
    { phrase: 'error_not_on_menu', vars: { name, suggestions: names.join(', ') } },
  );
}

/**
 * Price and validate one order line against `menu` (the live menu) without touching any state. A
 * drink whose menu entry does not allow a double is poured single (and said so by the line).
 */
export function priceLine(req: OrderRequest, menu: Menu = BUNDLED_MENU): OrderLine {
  if (typeof req?.item !== 'string')
    throw new DomainError('ITEM_NOT_FOUND', 'An order needs a drink name.');
  if (req.modifiers !== undefined && !Array.isArray(req.modifiers)) {
    throw new DomainError('ITEM_NOT_FOUND', 'Modifiers must be a list such as ["double"].');
  }
  const menuItem = menu.find(req.item);
  if (!menuItem) throw unknownItemError(req.item, menu);
  const quantity = req.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw new DomainError(
      'INVALID_QUANTITY',
      `Quantity must be a whole number from 1 to ${MAX_QUANTITY}.`,
      { phrase: 'error_INVALID_QUANTITY', vars: { max: MAX_QUANTITY } },
    );
  }
  const modifiers = [...new Set(req.modifiers ?? [])]
    .filter((m) => m !== 'double' || menuItem.doubleAllowed)
    .sort();
  const unit = modifiers.includes('double')
    ? doublePriceCents(menuItem.priceCents)
    : menuItem.priceCents;
  return {
    item: menuItem.name,
    quantity,
    modifiers,
    unitPriceCents: unit,
    lineCents: unit * quantity,
  };
}

/** atomicOrderUpdate's rule: the balance must cover the lines; deduct, add to tab, retip. */
export function addLines(state: SessionState, lines: readonly OrderLine[]): SessionState {
  const cost = lines.reduce((sum, l) => sum + l.lineCents, 0);
  if (cost > state.payment.balanceCents) {
    throw new DomainError(
      'INSUFFICIENT_FUNDS',
      `That's ${formatCents(cost)} and your balance is ${formatCents(state.payment.balanceCents)}.`,
      {
        phrase: 'error_INSUFFICIENT_FUNDS',
        vars: { cost: formatCents(cost), balance: formatCents(state.payment.balanceCents) },
      },
    );
  }
  const s = clone(state);
  for (const line of lines) {
    // Join a line of the same drink that still has room; a full line (MAX_QUANTITY) starts a new one.
    // A line poured at another price (the menu changed since) stays its own line: its price never changes.
    const same = s.order.find(
      (l) =>
        l.item === line.item &&
        l.unitPriceCents === line.unitPriceCents &&
        l.modifiers.join() === line.modifiers.join() &&
        l.quantity + line.quantity <= MAX_QUANTITY,
    );
    if (same) {
      same.quantity += line.quantity;
      same.lineCents += line.lineCents;
    } else {
      s.order.push({ ...line, modifiers: [...line.modifiers] });
    }
  }
  s.payment.balanceCents -= cost;
  s.payment.tabCents += cost;
  retip(s);
  return afterTabChange(s);
}

export interface Removal {
  item: string;
  /** How many to remove; all of that drink when omitted. */
  quantity?: number;
}

/** Remove drinks from the current round and refund the balance (DOMAIN.md fix). */
export function removeItem(
  state: SessionState,
  removal: Removal,
  menu: Menu = BUNDLED_MENU,
): { state: SessionState; removed: OrderLine[] } {
  if (typeof removal?.item !== 'string')
    throw new DomainError('ITEM_NOT_FOUND', 'Say which drink to remove.');
  // A drink taken off the menu since it was poured can still be taken off the tab, by its name.
  const onTab = state.order.find((l) => normalizeName(l.item) === normalizeName(removal.item));
  const menuItem = menu.find(removal.item) ?? (onTab && { name: onTab.item });
  if (!menuItem) throw unknownItemError(removal.item, menu);
  const s = clone(state);
  let left = removal.quantity ?? Infinity;
  if (
    removal.quantity !== undefined &&
    (!Number.isInteger(left) || left < 1 || left > MAX_QUANTITY)
  ) {
    throw new DomainError(
      'INVALID_QUANTITY',
      `Quantity must be a whole number from 1 to ${MAX_QUANTITY}.`,
      { phrase: 'error_INVALID_QUANTITY', vars: { max: MAX_QUANTITY } },
    );
  }
  const removed: OrderLine[] = [];
  // Newest lines first: "remove one margarita" undoes the latest one.
  for (let i = s.order.length - 1; i >= 0 && left > 0; i--) {
    const line = s.order[i]!;
    if (line.item !== menuItem.name) continue;
    const take = Math.min(line.quantity, left);
    const refund = take * line.unitPriceCents;
    removed.push({ ...line, quantity: take, lineCents: refund });
    line.quantity -= take;
    line.lineCents -= refund;
    s.payment.balanceCents += refund;
    s.payment.tabCents -= refund;
    left -= take;
    if (line.quantity === 0) s.order.splice(i, 1);
  }
  if (removed.length === 0)
    throw new DomainError('ITEM_NOT_FOUND', `There's no ${menuItem.name} on your tab.`, {
      phrase: 'error_not_on_tab',
      vars: { item: menuItem.name },
    });
  retip(s);
  return { state: afterTabChange(s), removed };
}

/**
 * Swap drinks on the tab in one step ("make it a gin instead"): refund `removal`, then charge
 * `lines`, as one state change. If the balance after the refund cannot cover the new drinks, or the
 * old drink is not on the tab, it throws and nothing changes (DOMAIN.md: all or nothing).
 */
export function swapItem(
  state: SessionState,
  removal: Removal,
  requests: readonly OrderRequest[],
  menu: Menu = BUNDLED_MENU,
): { state: SessionState; removed: OrderLine[]; added: OrderLine[] } {
  if (requests.length === 0) throw new DomainError('ITEM_NOT_FOUND', 'Say which drink to swap in.');
  const { state: refunded, removed } = removeItem(state, removal, menu);
  const removedCount = removed.reduce((n, l) => n + l.quantity, 0);
  const lines = requests.map((r) =>
    priceLine({ ...r, quantity: r.quantity ?? removedCount }, menu),
  );
  return { state: addLines(refunded, lines), removed, added: lines };
}

/** Remove the most recently added line entirely ("no, cancel that"). */
export function removeLastLine(state: SessionState): { state: SessionState; removed: OrderLine[] } {
  const last = state.order.at(-1);
  if (!last)
    throw new DomainError('ITEM_NOT_FOUND', 'There is nothing on your tab to cancel.', {
      phrase: 'error_nothing_to_cancel',
    });
  const s = clone(state);
  s.order.pop();
  s.payment.balanceCents += last.lineCents;
  s.payment.tabCents -= last.lineCents;
  retip(s);
  return { state: afterTabChange(s), removed: [last] };
}

/**
 * Set the tip. With `toggle`, choosing the tip already set removes it (the overlay buttons and
 * "add a 20% tip" said twice). `null` removes the tip.
 */
export function setTip(state: SessionState, percent: number | null, toggle = true): SessionState {
  const tip = TipPercentSchema.nullable().safeParse(percent);
  if (!tip.success) {
    throw new DomainError(
      'INVALID_TIP_PERCENTAGE',
      `Tips can be ${TIP_PERCENTS.join(', ')} percent, or none.`,
      { phrase: 'error_INVALID_TIP_PERCENTAGE', vars: { percents: TIP_PERCENTS.join(', ') } },
    );
  }
  const s = clone(state);
  s.payment.tipPercent = toggle && tip.data === s.payment.tipPercent ? null : tip.data;
  retip(s);
  // A new tip changes the total: an open checkout for the old total is cancelled like a tab change.
  return s.payment.tipPercent === state.payment.tipPercent ? s : afterTabChange(s);
}

/** A tab change while a checkout is open cancels it (DOMAIN.md: ordering while processing). */
function afterTabChange(s: SessionState): SessionState {
  if (s.payment.status === 'processing') {
    s.payment.status = 'pending';
    s.payment.providerRef = null;
    s.payment.idempotencyKey = null;
  }
  return s;
}

/** Check the money invariant: balance + tab + paid == start, nothing negative. */
export function moneyInvariantHolds(s: SessionState, startCents: number): boolean {
  const p = s.payment;
  const lines = s.order.reduce((sum, l) => sum + l.lineCents, 0);
  return (
    p.balanceCents >= 0 &&
    p.tabCents >= 0 &&
    p.tipCents >= 0 &&
    lines === p.tabCents &&
    p.balanceCents + p.tabCents + p.paidCents === startCents &&
    p.tipCents === (p.tipPercent === null ? 0 : percentOf(p.tabCents, p.tipPercent))
  );
}

// ---- payment ------------------------------------------------------------------------------------

/** The idempotency key of a checkout attempt: unique per session, tab and attempt (DOMAIN.md). */
export function idempotencyKeyFor(s: SessionState): string {
  return `tab-${s.id}-${s.payment.tabNo}-${s.payment.attempt}`;
}

/**
 * Start (or retry) paying: pending|failed → processing, with a fresh attempt and idempotency key.
 * Already processing → unchanged (the same open checkout is reused). An empty tab cannot be paid.
 */
export function beginCheckout(state: SessionState): SessionState {
  if (state.payment.status === 'processing') return state;
  if (state.payment.tabCents === 0)
    throw new DomainError('PAYMENT_FAILED', 'There is nothing to pay: your tab is empty.', {
      phrase: 'error_nothing_to_pay',
    });
  assertTransition(state.payment.status, 'processing');
  const s = clone(state);
  s.payment.status = 'processing';
  s.payment.attempt += 1;
  s.payment.idempotencyKey = idempotencyKeyFor(s);
  s.payment.providerRef = null;
  return s;
}

/** Record the provider's checkout for the attempt in progress (ignored if the attempt moved on). */
export function attachCheckout(
  state: SessionState,
  idempotencyKey: string,
  ref: { checkoutId: string; url: string },
): SessionState {
  if (state.payment.status !== 'processing' || state.payment.idempotencyKey !== idempotencyKey) {
    throw new DomainError('INVALID_TRANSITION', 'That checkout attempt is no longer current.');
  }
  const s = clone(state);
  s.payment.providerRef = { ...ref };
  return s;
}

/**
 * atomicPaymentComplete's rule. The first confirmation of the open checkout completes the tab:
 * the round goes to history, tab and tip reset, a new tab opens (pending, tabNo + 1). A repeated
 * confirmation of an already-completed checkout returns the state unchanged (a no-op).
 */
export function completePayment(
  state: SessionState,
  checkoutId: string,
  now: number,
): SessionState {
  if (state.orderHistory.some((h) => h.checkoutId === checkoutId)) return state;
  const p = state.payment;
  assertTransition(p.status, 'completed');
  if (p.providerRef?.checkoutId !== checkoutId) {
    throw new DomainError(
      'PAYMENT_FAILED',
      `Checkout ${checkoutId} is not the open checkout of this tab.`,
    );
  }
  const s = clone(state);
  s.orderHistory.push({
    tabNo: p.tabNo,
    lines: s.order,
    tabCents: p.tabCents,
    tipCents: p.tipCents,
    checkoutId,
    paidAt: now,
  });
  s.order = [];
  s.payment = {
    ...s.payment,
    paidCents: p.paidCents + p.tabCents,
    tabCents: 0,
    tipCents: 0,
    tipPercent: null,
    status: 'pending', // completed, and at once a new tab opens
    tabNo: p.tabNo + 1,
    attempt: 0,
    providerRef: null,
    idempotencyKey: null,
    needsReconciliation: false,
  };
  return s;
}

/** The provider said declined / expired, or polling gave up: processing → failed. */
export function failPayment(
  state: SessionState,
  checkoutId: string | null,
  failure: PaymentFailure | null = null,
): SessionState {
  const p = state.payment;
  if (p.status === 'failed') return state;
  assertTransition(p.status, 'failed');
  if (checkoutId !== null && p.providerRef?.checkoutId !== checkoutId) {
    throw new DomainError(
      'PAYMENT_FAILED',
      `Checkout ${checkoutId} is not the open checkout of this tab.`,
    );
  }
  const s = clone(state);
  s.payment.status = 'failed';
  s.payment.failure = failure;
  return s;
}

/** The guest cancels paying: processing → pending, the checkout is dropped. */
export function cancelCheckout(state: SessionState): SessionState {
  if (state.payment.status === 'pending') return state;
  assertTransition(state.payment.status, 'pending');
  const s = clone(state);
  s.payment.status = 'pending';
  s.payment.providerRef = null;
  s.payment.idempotencyKey = null;
  return s;
}

/** The provider says paid but the tab could not be updated: flag it for the reconciler. */
export function markNeedsReconciliation(state: SessionState): SessionState {
  if (state.payment.needsReconciliation) return state;
  const s = clone(state);
  s.payment.needsReconciliation = true;
  return s;
}

/**
 * Drive the payment state machine towards `to` with the rule that makes that move: processing →
 * beginCheckout, completed → completePayment, failed → failPayment, pending → cancelCheckout.
 * Staying put is a no-op; a move that is not drawn in DOMAIN.md is INVALID_TRANSITION.
 */
export function transitionPayment(
  state: SessionState,
  to: PaymentStatus,
  ctx: { checkoutId: string | null; now: number },
): SessionState {
  const from = state.payment.status;
  if (from === to) return state;
  assertTransition(from, to);
  switch (to) {
    case 'processing':
      return beginCheckout(state);
    case 'completed':
      if (ctx.checkoutId === null)
        throw new DomainError('PAYMENT_FAILED', 'Completing a payment needs the checkout id.');
      return completePayment(state, ctx.checkoutId, ctx.now);
    case 'failed':
      return failPayment(state, ctx.checkoutId);
    case 'pending':
      return cancelCheckout(state);
  }
}
