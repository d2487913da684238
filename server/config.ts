/** Configuration from the environment, validated once at start-up. Every tunable has its unit in its name. */
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().positive();

export const ConfigSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the built client lives (vite build output). */
  MAYA_STATIC_DIR: z.string().default('dist/client'),
  MAYA_SESSION_EXPIRY_SECONDS: seconds.default(3600),
  MAYA_CLEANUP_INTERVAL_SECONDS: seconds.default(300),
  REDIS_URL: z.string().url().optional(),
  /** Namespace of Maya's Redis keys and change channel (several deployments can share one Redis). */
  MAYA_REDIS_KEY_PREFIX: z.string().min(1).max(100).default('maya:'),
  /** A turn lock left by a crashed process frees itself after this long. */
  MAYA_TURN_LOCK_TTL_SECONDS: seconds.default(10),
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
