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

export function createKeyService(config: Config, manager: StateManager, log: Logger): SessionKeyService {
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
        : validateCartesiaKey(key, { baseUrl: config.CARTESIA_BASE_URL, ca, voiceId: config.CARTESIA_VOICE_ID }),
  });
}
