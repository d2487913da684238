/** Configuration from the environment, validated once at start-up. Every tunable has its unit in its name. */
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().positive();
/** An empty variable (`STRIPE_SECRET_KEY=`) means "not set". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const ConfigSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the built client lives (vite build output). */
  MAYA_STATIC_DIR: z.string().default('dist/client'),
  MAYA_SESSION_EXPIRY_SECONDS: seconds.default(3600),
  MAYA_CLEANUP_INTERVAL_SECONDS: seconds.default(300),
  /** On SIGTERM, how long in-flight turns may run to completion before sockets close anyway. */
  MAYA_SHUTDOWN_GRACE_SECONDS: seconds.default(10),
  REDIS_URL: optional(z.string().url()),
  // ---- cloud providers (BYOK); an empty value counts as unset ----
  /** Server-wide Gemini key: every guest without their own key uses Gemini with it. */
  GEMINI_API_KEY: optional(z.string()),
  GEMINI_MODEL: z.string().min(1).default('gemini-flash-latest'),
  GEMINI_BASE_URL: optional(z.string().url()),
  /** Server-wide Cartesia key (voice in and out). */
  CARTESIA_API_KEY: optional(z.string()),
  CARTESIA_BASE_URL: optional(z.string().url()),
  CARTESIA_VOICE_ID: z.string().min(1).default('f786b574-daa5-4673-aa0c-cbe3e8534c02'),
  /** PEM file of an extra CA to trust for Cartesia (a TLS-intercepting proxy, or the test stub). */
  CARTESIA_CA_FILE: optional(z.string()),
  /** 32 bytes as hex or base64 that encrypt stored guest keys; default: a generated key file in MAYA_DATA_DIR. */
  MAYA_MASTER_KEY: optional(z.string()),
  MAYA_DATA_DIR: z.string().min(1).default('.maya'),
  /** Token buckets (messages): burst and refill per second; a refill of 0 turns that limit off. */
  MAYA_RATE_SESSION_BURST: z.coerce.number().int().positive().default(20),
  MAYA_RATE_SESSION_PER_SECOND: z.coerce.number().nonnegative().default(2),
  MAYA_RATE_ADDRESS_BURST: z.coerce.number().int().positive().default(100),
  MAYA_RATE_ADDRESS_PER_SECOND: z.coerce.number().nonnegative().default(20),
  /** Behind a reverse proxy: rate-limit by the first X-Forwarded-For address instead of the socket's. */
  MAYA_TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  // ---- payments (server/payments) ----
  /** Stripe secret key; without it Maya uses its built-in sandbox checkout. */
  STRIPE_SECRET_KEY: optional(
    z.string().regex(/^(sk|rk)_[A-Za-z0-9_]+$/, 'must look like sk_... or rk_...'),
  ),
  /** Signing secret of the /webhooks/stripe endpoint (whsec_...); without it only polling is used. */
  STRIPE_WEBHOOK_SECRET: optional(z.string().min(8)),
  /** Stripe API base URL override (a local stub in tests), e.g. http://127.0.0.1:12111. */
  STRIPE_API_URL: optional(z.string().url()),
  /** Public base URL of this server (sandbox checkout page, Stripe success URL); default: the listen address. */
  MAYA_PUBLIC_URL: optional(z.string().url()),
  /** More page origins allowed to open /ws (comma-separated), beside the page's own and MAYA_PUBLIC_URL. */
  MAYA_ALLOWED_ORIGINS: optional(
    z
      .string()
      .refine(
        (v) => v.split(',').every((u) => u.trim() === '' || URL.canParse(u.trim())),
        'must be comma-separated URLs',
      ),
  ),
  /** When set, /metrics answers only to `Authorization: Bearer <token>`. */
  MAYA_METRICS_TOKEN: optional(z.string().min(16, 'use at least 16 characters')),
  MAYA_PAYMENT_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(2000),
  MAYA_PAYMENT_DEADLINE_SECONDS: seconds.default(600),
  MAYA_PAYMENT_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(10).default(15_000),
  /** Namespace of Maya's Redis keys and change channel (several deployments can share one Redis). */
  MAYA_REDIS_KEY_PREFIX: z.string().min(1).max(100).default('maya:'),
  /** A turn lock left by a crashed process frees itself after this long. */
  MAYA_TURN_LOCK_TTL_SECONDS: seconds.default(10),
  /** The bar's menu file (JSON, see README); default: the bundled menu. A broken file stops start-up. */
  MAYA_MENU: optional(z.string().min(1)),
  /** Turns the back office (/admin) on; its bearer token. Absent: /admin answers 404. */
  MAYA_ADMIN_TOKEN: optional(z.string().min(12, 'must be at least 12 characters').max(512)),
  /** Speech worker threads for the embedded recogniser; default: one per core (os.availableParallelism()). */
  MAYA_SPEECH_WORKERS: optional(z.coerce.number().int().min(1).max(256)),
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
