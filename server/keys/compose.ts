/** Builds the BYOK key service from configuration (validators pointed at the configured endpoints). */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { StateManager } from '../state/manager.ts';
import { SessionKeyService } from './sessionKeys.ts';
import { validateCartesiaKey, validateGeminiKey } from './validate.ts';
import { KeyVault } from './vault.ts';

export function cartesiaCa(config: Config): string | undefined {
  return config.CARTESIA_CA_FILE ? readFileSync(config.CARTESIA_CA_FILE, 'utf8') : undefined;
}

/**
 * Check the operator's server-wide keys once at start-up and log the outcome (never the key): a
 * wrong key or model id shows in the log at once instead of at the first guest's turn.
 */
export async function checkOperatorKeys(config: Config, log: Logger): Promise<void> {
  const checks: Promise<void>[] = [];
  if (config.GEMINI_API_KEY) {
    checks.push(
      validateGeminiKey(config.GEMINI_API_KEY, {
        model: config.GEMINI_MODEL,
        baseUrl: config.GEMINI_BASE_URL,
      }).then((r) =>
        r.ok
          ? log.info({ provider: 'gemini', model: config.GEMINI_MODEL }, 'operator key ok')
          : log.warn(
              { provider: 'gemini', problem: r.problem, detail: r.message },
              'operator key refused',
            ),
      ),
    );
  }
  if (config.CARTESIA_API_KEY) {
    checks.push(
      validateCartesiaKey(config.CARTESIA_API_KEY, {
        baseUrl: config.CARTESIA_BASE_URL,
        ca: cartesiaCa(config),
        voiceId: config.CARTESIA_VOICE_ID,
      }).then((r) =>
        r.ok
          ? log.info({ provider: 'cartesia' }, 'operator key ok')
          : log.warn(
              { provider: 'cartesia', problem: r.problem, detail: r.message },
              'operator key refused',
            ),
      ),
    );
  }
  await Promise.all(checks);
}

export function createKeyService(
  config: Config,
  manager: StateManager,
  log: Logger,
): SessionKeyService {
  let vault: KeyVault | undefined;
  const ca = cartesiaCa(config);
  return new SessionKeyService({
    manager,
    log,
    vault: () => (vault ??= KeyVault.fromConfig(config)),
    operatorKeys: { gemini: config.GEMINI_API_KEY, cartesia: config.CARTESIA_API_KEY },
    validate: (provider, key) =>
      provider === 'gemini'
        ? validateGeminiKey(key, { model: config.GEMINI_MODEL, baseUrl: config.GEMINI_BASE_URL })
        : validateCartesiaKey(key, {
            baseUrl: config.CARTESIA_BASE_URL,
            ca,
            voiceId: config.CARTESIA_VOICE_ID,
          }),
  });
}
