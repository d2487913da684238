/**
 * The wire protocol: every JSON message between browser and server, both directions, validated by
 * both sides. Binary frames are audio (client → server: 16 kHz mono s16le PCM microphone frames).
 * Extend, don't rename: outside tools and tests rely on these names.
 */
import { z } from 'zod';
import { EMOTIONS, ERROR_CODES, PublicStateSchema, TipPercentSchema } from './domain.ts';
import { SPEECH_CONTROL_SCHEMAS, SPEECH_EVENT_SCHEMAS } from './speech.ts';

/** 2: replies are spoken while the model still writes, so `reply_audio` no longer counts the sentences; `reply_end` marks the last. */
export const PROTOCOL_VERSION = 2;
/** Largest JSON text message the server accepts, in bytes. */
export const MAX_TEXT_MESSAGE_BYTES = 16 * 1024;
/** Longest guest utterance accepted as text. */
export const MAX_USER_TEXT_CHARS = 500;

const sessionId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const resumeToken = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/);

// ---- client → server -------------------------------------------------------------------------
export const HelloSchema = z.object({
  type: z.literal('hello'),
  protocol: z.number().int().positive().optional(),
  sessionId: sessionId.optional(),
  resumeToken: resumeToken.optional(),
});
export const UserTextSchema = z.object({
  type: z.literal('user_text'),
  text: z.string().trim().min(1).max(MAX_USER_TEXT_CHARS),
});
/** The overlay's tip buttons (tapping the selected one again removes the tip). */
export const SetTipSchema = z.object({
  type: z.literal('set_tip'),
  percent: TipPercentSchema.nullable(),
});
/** The overlay's Pay button: open a checkout for the tab + tip (same as saying "I'd like to pay"). */
export const PaySchema = z.object({ type: z.literal('pay') });
/** Cancel the checkout in progress; the tab stays open. */
export const CancelPaymentSchema = z.object({ type: z.literal('cancel_payment') });

/** Longest API key accepted. */
export const MAX_API_KEY_CHARS = 256;
/** A guest's own key; an empty string removes it (back to the embedded default), absent leaves it as is. */
const apiKeyInput = z
  .string()
  .trim()
  .max(MAX_API_KEY_CHARS)
  .regex(/^[\x21-\x7e]*$/, 'a key is printable ASCII without spaces');
/** BYOK: the key dialog. The keys never come back from the server; only their status does. */
export const SetKeysSchema = z.object({
  type: z.literal('set_keys'),
  gemini: apiKeyInput.optional(),
  cartesia: apiKeyInput.optional(),
});

export const ClientMessageSchema = z.discriminatedUnion('type', [
  HelloSchema,
  UserTextSchema,
  SetTipSchema,
  SetKeysSchema,
  PaySchema,
  CancelPaymentSchema,
  ...SPEECH_CONTROL_SCHEMAS,
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export const CLIENT_MESSAGE_TYPES = ClientMessageSchema.options.map((o) => o.shape.type.value);

// ---- server → client -------------------------------------------------------------------------
export const WelcomeSchema = z.object({
  type: z.literal('welcome'),
  protocol: z.number().int().positive(),
  sessionId,
  resumeToken,
  resumed: z.boolean(),
  state: PublicStateSchema,
});
export const StateMessageSchema = z.object({ type: z.literal('state'), state: PublicStateSchema });
export const ReplySchema = z.object({
  type: z.literal('reply'),
  text: z.string(),
  emotion: z.enum(EMOTIONS),
});
export const ErrorMessageSchema = z.object({
  type: z.literal('error'),
  code: z.enum(ERROR_CODES),
  message: z.string(),
});

/** Why a key was refused (DOMAIN.md "Security"). */
export const KEY_PROBLEMS = ['invalid', 'quota', 'network', 'other'] as const;
export type KeyProblem = (typeof KEY_PROBLEMS)[number];
export const KeyStatusValueSchema = z.union([
  z.literal('missing'),
  z.literal('valid'),
  z.templateLiteral(['invalid:', z.enum(KEY_PROBLEMS)]),
]);
export type KeyStatusValue = z.infer<typeof KeyStatusValueSchema>;
export const KEY_PROVIDERS = ['gemini', 'cartesia'] as const;
export type KeyProvider = (typeof KEY_PROVIDERS)[number];
/** The status of the session's own keys (never the keys), with a message for the guest per provider. */
export const KeyStatusSchema = z.object({
  type: z.literal('key_status'),
  gemini: KeyStatusValueSchema,
  cartesia: KeyStatusValueSchema,
  messages: z.object({ gemini: z.string(), cartesia: z.string() }),
  /** The operator configured a server-wide key: a missing guest key still means cloud, not embedded. */
  serverKeys: z.object({ gemini: z.boolean(), cartesia: z.boolean() }),
});
export type KeyStatusMessage = z.infer<typeof KeyStatusSchema>;

export const ServerMessageSchema = z.discriminatedUnion('type', [
  WelcomeSchema,
  StateMessageSchema,
  ReplySchema,
  ErrorMessageSchema,
  KeyStatusSchema,
  ...SPEECH_EVENT_SCHEMAS,
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: ErrorMessage };

/** Parse one raw client text frame into a typed message, or a coded error explaining why not. */
export function parseClientMessage(raw: string): ParseResult<ClientMessage> {
  if (
    raw.length > MAX_TEXT_MESSAGE_BYTES ||
    new TextEncoder().encode(raw).length > MAX_TEXT_MESSAGE_BYTES
  ) {
    return fail('MESSAGE_TOO_LARGE', `Messages are limited to ${MAX_TEXT_MESSAGE_BYTES} bytes.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return fail('BAD_JSON', 'That message is not valid JSON.');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail('INVALID_MESSAGE', 'A message must be a JSON object with a "type".');
  }
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string' || !(CLIENT_MESSAGE_TYPES as string[]).includes(type)) {
    return fail(
      'UNKNOWN_TYPE',
      `Unknown message type ${JSON.stringify(type)}; expected one of ${CLIENT_MESSAGE_TYPES.join(', ')}.`,
    );
  }
  const parsed = ClientMessageSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'message';
    return fail(
      'INVALID_MESSAGE',
      `Invalid "${type}" message: ${where}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  return { ok: true, message: parsed.data };
}

/** Parse one server frame on the client (or in tests); a bad frame is a bug, reported as INTERNAL. */
export function parseServerMessage(raw: string): ParseResult<ServerMessage> {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return fail('BAD_JSON', 'Server sent invalid JSON.');
  }
  const parsed = ServerMessageSchema.safeParse(data);
  return parsed.success
    ? { ok: true, message: parsed.data }
    : fail('INTERNAL', 'Server sent an unexpected message.');
}

function fail(code: ErrorMessage['code'], message: string): { ok: false; error: ErrorMessage } {
  return { ok: false, error: { type: 'error', code, message } };
}
