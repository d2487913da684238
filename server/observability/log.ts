import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

/** Paths that may hold secrets: never written to a log. */
export const REDACT_PATHS = ['apiKey', '*.apiKey', 'keys', '*.keys', 'resumeToken', '*.resumeToken', 'authorization', '*.authorization', 'req.headers.authorization',
  // BYOK: a set_keys message, a key blob, provider auth headers.
  'gemini', '*.gemini', 'cartesia', '*.cartesia', 'blob', '*.blob', 'masterKey', '*.masterKey', '*.headers["x-goog-api-key"]', '*.headers.authorization'];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
