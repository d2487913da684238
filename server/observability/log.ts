import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

/** Paths that may hold secrets: never written to a log. */
export const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'keys',
  '*.keys',
  'resumeToken',
  '*.resumeToken',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  // BYOK: a set_keys message, a key blob, provider auth headers.
  'gemini',
  '*.gemini',
  'cartesia',
  '*.cartesia',
  'blob',
  '*.blob',
  'masterKey',
  '*.masterKey',
  '*.headers["x-goog-api-key"]',
  '*.headers.authorization',
];

/** 13–19 digits, optionally grouped by spaces or dashes: what a card number looks like in text. */
const CARD_LIKE = /\b\d(?:[ -]?\d){12,18}\b/g;

export function scrubCardNumbers<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return value.replace(CARD_LIKE, '[card redacted]') as T;
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => scrubCardNumbers(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubCardNumbers(v, depth + 1);
  return out as T;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { log: (obj) => scrubCardNumbers(obj) },
      hooks: {
        // Messages too: a guest may read a card number out loud and it lands in a log line's text.
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrubCardNumbers(a) : a)) as Parameters<
              typeof method
            >,
          );
        },
      },
    },
    destination,
  );
}
