/**
 * Domain vocabulary shared by client and server: phases, emotions, payment statuses, error codes and
 * the public view of a session (what the client mirrors). Schemas are zod so both sides validate.
 */
import { z } from 'zod';
import { MODIFIERS } from './menuFile.ts';

export const EMOTIONS = ['neutral', 'happy', 'flustered', 'thinking', 'mixing', 'upset'] as const;
export type Emotion = (typeof EMOTIONS)[number];

export const PHASES = ['greeting', 'order_taking', 'small_talk', 'reorder_prompt'] as const;
export type Phase = (typeof PHASES)[number];

export const PAYMENT_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const TIP_PERCENTS = [10, 15, 20] as const;
/** The one schema of a tip percent: the protocol, the session, the tools and the rules all use it. */
export const TipPercentSchema = z.literal(TIP_PERCENTS);
export type TipPercent = z.infer<typeof TipPercentSchema>;

export const START_BALANCE_CENTS = 100_000;
export const MAX_QUANTITY = 20;

/** Domain error codes (DOMAIN.md "Tools"). */
export const DOMAIN_ERROR_CODES = [
  'ITEM_NOT_FOUND',
  'INVALID_QUANTITY',
  'INSUFFICIENT_FUNDS',
  'CONCURRENT_MODIFICATION',
  'INVALID_TIP_PERCENTAGE',
  'INVALID_TRANSITION',
  'PAYMENT_FAILED',
  'PAYMENT_TIMEOUT',
  'PAYMENT_UNAVAILABLE',
  'INVALID_SESSION',
  'RATE_LIMITED',
] as const;

/** Transport error codes: what the websocket answers to a bad message. */
export const PROTOCOL_ERROR_CODES = [
  'BAD_JSON',
  'UNKNOWN_TYPE',
  'INVALID_MESSAGE',
  'MESSAGE_TOO_LARGE',
  'HELLO_REQUIRED',
  'UNSUPPORTED_PROTOCOL',
  'INTERNAL',
  /** The session store (Redis) cannot be reached; nothing was written, the guest may retry. */
  'STORE_UNAVAILABLE',
  /** This server is shutting down; reconnect (resume) to continue the tab. */
  'SHUTTING_DOWN',
] as const;

export const ERROR_CODES = [...DOMAIN_ERROR_CODES, ...PROTOCOL_ERROR_CODES] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];
export type ErrorCode = (typeof ERROR_CODES)[number];

const cents = z.number().int().safe();
/** A drink's name as the menu had it when poured (the menu is live: a line outlives a rename or a removal). */
const menuItemName = z.string().min(1).max(60);

export const OrderLineSchema = z.object({
  item: menuItemName,
  quantity: z.number().int().min(1).max(MAX_QUANTITY),
  modifiers: z.array(z.enum(MODIFIERS)),
  unitPriceCents: cents.nonnegative(),
  lineCents: cents.nonnegative(),
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

export const PaymentViewSchema = z.object({
  balanceCents: cents.nonnegative(),
  tabCents: cents.nonnegative(),
  tipPercent: TipPercentSchema.nullable(),
  tipCents: cents.nonnegative(),
  totalCents: cents.nonnegative(),
  status: z.enum(PAYMENT_STATUSES),
  tabNo: z.number().int().min(1),
  checkoutUrl: z.string().url().nullable(),
});
export type PaymentView = z.infer<typeof PaymentViewSchema>;

/** The public view of a session: everything the client may see, nothing secret. */
export const PublicStateSchema = z.object({
  version: z.number().int().nonnegative(),
  phase: z.enum(PHASES),
  emotion: z.enum(EMOTIONS),
  order: z.array(OrderLineSchema),
  payment: PaymentViewSchema,
});
export type PublicState = z.infer<typeof PublicStateSchema>;

/**
 * A short, typeable link to a tab's open checkout (the server redirects it to the provider's long
 * URL): shown under the payment QR code.
 */
export function tabLinkPath(sessionId: string): string {
  return `/t/${sessionId}`;
}
