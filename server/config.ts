/** Configuration from the environment, validated once at start-up. Every tunable has its unit in its name. */
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().positive();
const optionalText = z.string().optional().transform((v) => (v ? v : undefined));
const optionalUrl = z.union([z.literal(''), z.string().url()]).optional().transform((v) => (v ? v : undefined));

export const ConfigSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the built client lives (vite build output). */
  MAYA_STATIC_DIR: z.string().default('dist/client'),
  MAYA_SESSION_EXPIRY_SECONDS: seconds.default(3600),
  MAYA_CLEANUP_INTERVAL_SECONDS: seconds.default(300),
  REDIS_URL: z.string().url().optional(),
  // ---- cloud providers (BYOK); an empty value counts as unset ----
  /** Server-wide Gemini key: every guest without their own key uses Gemini with it. */
  GEMINI_API_KEY: optionalText,
  GEMINI_MODEL: z.string().min(1).default('gemini-flash-latest'),
  GEMINI_BASE_URL: optionalUrl,
  /** Server-wide Cartesia key (voice in and out). */
  CARTESIA_API_KEY: optionalText,
  CARTESIA_BASE_URL: optionalUrl,
  CARTESIA_VOICE_ID: z.string().min(1).default('f786b574-daa5-4673-aa0c-cbe3e8534c02'),
  /** PEM file of an extra CA to trust for Cartesia (a TLS-intercepting proxy, or the test stub). */
  CARTESIA_CA_FILE: optionalText,
  /** 32 bytes as hex or base64 that encrypt stored guest keys; default: a generated key file in MAYA_DATA_DIR. */
  MAYA_MASTER_KEY: optionalText,
  MAYA_DATA_DIR: z.string().min(1).default('.maya'),
  /** Token buckets (messages): burst and refill per second; a refill of 0 turns that limit off. */
  MAYA_RATE_SESSION_BURST: z.coerce.number().int().positive().default(20),
  MAYA_RATE_SESSION_PER_SECOND: z.coerce.number().nonnegative().default(2),
  MAYA_RATE_ADDRESS_BURST: z.coerce.number().int().positive().default(100),
  MAYA_RATE_ADDRESS_PER_SECOND: z.coerce.number().nonnegative().default(20),
  /** Behind a reverse proxy: rate-limit by the first X-Forwarded-For address instead of the socket's. */
  MAYA_TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
