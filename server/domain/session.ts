/**
 * The authoritative session state (DOMAIN.md "Session state") and its schema. Stores keep it as JSON;
 * the schema turns corrupt or foreign data into an INVALID_SESSION error instead of a crash.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  EMOTIONS,
  MAX_QUANTITY,
  OrderLineSchema,
  PAYMENT_STATUSES,
  PHASES,
  START_BALANCE_CENTS,
  TipPercentSchema,
} from '../../shared/domain.ts';
import { MODIFIERS } from '../../shared/menu.ts';
import type { PublicState } from '../../shared/domain.ts';
import { KeyStatusValueSchema } from '../../shared/protocol.ts';

const cents = z.number().int().safe().nonnegative();

/** Why a checkout failed: the guest declined, the provider expired it, or Maya's deadline passed. */
export const PAYMENT_FAILURES = ['declined', 'expired', 'timeout'] as const;
export type PaymentFailure = (typeof PAYMENT_FAILURES)[number];

export const MAX_HISTORY_MESSAGES = 40;

export const HistoryMessageSchema = z.object({
  role: z.enum(['guest', 'maya']),
  text: z.string(),
});
export type HistoryMessage = z.infer<typeof HistoryMessageSchema>;

/** A drink as asked for (not yet priced): what a pending confirmation or offer would add. */
export const OrderItemSchema = z.object({
  item: z.string().min(1).max(60),
  quantity: z.number().int().min(1).max(MAX_QUANTITY),
  modifiers: z.array(z.enum(MODIFIERS)),
});
export type OrderItem = z.infer<typeof OrderItemSchema>;

/** At most this many drinks wait on a yes/no (keeps the session small). */
export const MAX_PENDING_ITEMS = 10;

/**
 * A question Maya asked that a "yes" answers: a low-confidence voice order to confirm before
 * charging, or an offer ("another round?", "want one?"). Any other reply drops it. A `which` question
 * ("Did you mean the Gin or the Rum?") is answered by choosing: "the second one", or a name.
 */
export const PendingSchema = z.object({
  kind: z.enum(['confirm_order', 'offer', 'which']),
  items: z.array(OrderItemSchema).min(1).max(MAX_PENDING_ITEMS),
  /** A read-back swap: on yes, this drink goes and `items` come in its place. */
  replaces: z.string().min(1).max(60).optional(),
  /** A read-back of more of a drink just ordered ("make it two" → "one more Tap Beer?"): on yes, `items` are added. */
  more: z.boolean().optional(),
  /**
   * An offer Maya did not make: a drink she only talked about. Words that take it order it ("I'll
   * have one"); a bare yes, which may only agree with what she said, does not.
   */
  onlyTalkedAbout: z.boolean().optional(),
  /** An offer's drinks to choose from, in the order Maya named them ("the second one" takes that one). */
  choices: z.array(OrderItemSchema).min(2).max(MAX_PENDING_ITEMS).optional(),
  /** Asked again once already: the spoken answer to the first asking was not an answer at all. */
  reasked: z.boolean().optional(),
  /**
   * What another reading of the guest's words would order ("a whiskey" for a doubted "two whiskeys"):
   * if the guest says no, Maya offers it ("One Whiskey, then?") instead of starting over.
   */
  otherReading: z.array(OrderItemSchema).min(1).max(MAX_PENDING_ITEMS).optional(),
  /** This read-back is the other reading, offered after a no. */
  isOtherReading: z.boolean().optional(),
  /**
   * The menu price of each drink (name → cents) when the question was asked: if the menu changes
   * before the yes, Maya says the new price and asks again instead of charging one never told.
   */
  quotedCents: z.record(z.string().max(60), z.number().int().nonnegative()).optional(),
});
export type Pending = z.infer<typeof PendingSchema>;

const KeyEntrySchema = z.object({
  status: KeyStatusValueSchema,
  /** Encrypted key; present only while the status is valid. */
  blob: z.string().optional(),
  message: z.string(),
});
export const SessionKeysSchema = z.object({
  gemini: KeyEntrySchema.optional(),
  cartesia: KeyEntrySchema.optional(),
});
export type SessionKeys = z.infer<typeof SessionKeysSchema>;

export const SessionStateSchema = z.object({
  id: z.string().min(8).max(64),
  /** Random secret a reconnecting browser presents to take its session back. */
  resumeToken: z.string().min(16),
  version: z.number().int().nonnegative(),
  conversation: z.object({
    phase: z.enum(PHASES),
    turnCount: z.number().int().nonnegative(),
    smallTalkCount: z.number().int().nonnegative(),
    lastOrderTurn: z.number().int().nullable(),
    history: z.array(HistoryMessageSchema).max(MAX_HISTORY_MESSAGES),
    /** Small-talk lines already used this session (never repeated). */
    usedLines: z.array(z.string()).default([]),
    /** The question a "yes" would answer, if any. */
    pending: PendingSchema.nullable().default(null),
    /** What the latest ordering turn added: "same again", "another one", "make that two", "cancel that". */
    lastAdded: z.array(OrderItemSchema).max(MAX_QUANTITY).default([]),
    /** The phrasebook variant last said for each kind of reply, so the next one differs. */
    recentPhrases: z.record(z.string(), z.number().int().nonnegative()).default({}),
  }),
  order: z.array(OrderLineSchema),
  orderHistory: z.array(
    z.object({
      tabNo: z.number().int().min(1),
      lines: z.array(OrderLineSchema),
      tabCents: cents,
      tipCents: cents,
      /** The checkout that paid it: a second confirmation for the same id is a no-op. */
      checkoutId: z.string(),
      paidAt: z.number(),
    }),
  ),
  payment: z.object({
    balanceCents: cents,
    tabCents: cents,
    tipPercent: TipPercentSchema.nullable(),
    tipCents: cents,
    /** Money already paid on completed tabs: balance + tab + paid == start, always. */
    paidCents: cents,
    status: z.enum(PAYMENT_STATUSES),
    tabNo: z.number().int().min(1),
    attempt: z.number().int().nonnegative(),
    providerRef: z.object({ checkoutId: z.string(), url: z.string() }).nullable(),
    idempotencyKey: z.string().nullable(),
    needsReconciliation: z.boolean(),
    /** Why the last checkout failed (set with status `failed`; sessions stored before it read as null). */
    failure: z.enum(PAYMENT_FAILURES).nullable().default(null),
  }),
  emotion: z.enum(EMOTIONS),
  /** BYOK: the guest's own keys, AES-256-GCM encrypted (server/keys); the client sees only statuses. */
  keys: SessionKeysSchema.optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  expiresAt: z.number(),
});
export type SessionState = z.infer<typeof SessionStateSchema>;

export function newSessionId(): string {
  return randomBytes(12).toString('base64url');
}

export function newSession(id: string, now: number, expirySeconds: number): SessionState {
  return {
    id,
    resumeToken: randomBytes(24).toString('base64url'),
    version: 0,
    conversation: {
      phase: 'greeting',
      turnCount: 0,
      smallTalkCount: 0,
      lastOrderTurn: null,
      history: [],
      usedLines: [],
      pending: null,
      lastAdded: [],
      recentPhrases: {},
    },
    order: [],
    orderHistory: [],
    payment: {
      balanceCents: START_BALANCE_CENTS,
      tabCents: 0,
      tipPercent: null,
      tipCents: 0,
      paidCents: 0,
      status: 'pending',
      tabNo: 1,
      attempt: 0,
      providerRef: null,
      idempotencyKey: null,
      needsReconciliation: false,
      failure: null,
    },
    emotion: 'neutral',
    createdAt: now,
    updatedAt: now,
    expiresAt: now + expirySeconds * 1000,
  };
}

/** What the client is allowed to see of a session. */
export function toPublicState(s: SessionState): PublicState {
  return {
    version: s.version,
    phase: s.conversation.phase,
    emotion: s.emotion,
    order: s.order,
    payment: {
      balanceCents: s.payment.balanceCents,
      tabCents: s.payment.tabCents,
      tipPercent: s.payment.tipPercent,
      tipCents: s.payment.tipCents,
      totalCents: s.payment.tabCents + s.payment.tipCents,
      status: s.payment.status,
      tabNo: s.payment.tabNo,
      checkoutUrl: s.payment.providerRef?.url ?? null,
    },
  };
}

/**
 * A pinned session is never expired or dropped: money is in flight (a checkout is open) or the
 * provider said paid and the tab still has to be reconciled (DOMAIN.md "Sessions").
 */
export function isPinned(s: SessionState): boolean {
  return s.payment.status === 'processing' || s.payment.needsReconciliation;
}

/** Live sessions can be read and written; the others are waiting for the sweeper. */
export function isLive(s: SessionState, now: number): boolean {
  return s.expiresAt > now || isPinned(s);
}
