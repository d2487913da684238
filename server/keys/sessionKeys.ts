/**
 * BYOK per session. Keys are checked once when the guest gives them, kept only when valid,
 * encrypted with the session id bound in (a blob is useless in any other session), and decrypted
 * only on the server when a brain or voice is built for that same session. Operators may instead
 * set server-wide keys by env; a guest's own valid key wins.
 *
 * Why in the session state rather than a separate store: the keys then live and expire with the
 * session, follow it to any process when sessions are in Redis, and need no second cleanup path.
 */
import type { Logger } from 'pino';
import type { KeyProvider, KeyStatusMessage, KeyStatusValue } from '../../shared/protocol.ts';
import { KEY_PROVIDERS } from '../../shared/protocol.ts';
import type { StateManager } from '../state/manager.ts';
import type { SessionKeys as StoredKeys } from '../domain/session.ts';
import type { KeyVault } from './vault.ts';
import type { KeyCheck } from './validate.ts';

export type KeyValidator = (provider: KeyProvider, key: string) => Promise<KeyCheck>;

export interface SessionKeysDeps {
  manager: StateManager;
  /** Created on first use, so a server that never sees a key never writes a key file. */
  vault: () => KeyVault;
  validate: KeyValidator;
  /** Server-wide keys from the environment. */
  operatorKeys: Partial<Record<KeyProvider, string | undefined>>;
  log: Logger;
}

const PROVIDER_NAMES: Record<KeyProvider, string> = { gemini: 'Gemini', cartesia: 'Cartesia' };

function missingMessage(provider: KeyProvider, operator: boolean): string {
  return operator
    ? `Using the bar's own ${PROVIDER_NAMES[provider]} key.`
    : `No ${PROVIDER_NAMES[provider]} key: Maya uses her built-in ${provider === 'gemini' ? 'brain' : 'voice'}.`;
}

export class SessionKeyService {
  constructor(private readonly deps: SessionKeysDeps) {}

  /** Check and store the keys the guest gave ('' removes one); answers with the new status. */
  async setKeys(
    sessionId: string,
    given: Partial<Record<KeyProvider, string>>,
  ): Promise<KeyStatusMessage> {
    const updates: Partial<StoredKeys> = {};
    const removed: KeyProvider[] = [];
    await Promise.all(
      KEY_PROVIDERS.map(async (p) => {
        const key = given[p];
        if (key === undefined) return;
        if (key === '') {
          removed.push(p);
          return;
        }
        const check = await this.deps.validate(p, key);
        updates[p] = check.ok
          ? {
              status: 'valid',
              blob: this.deps.vault().encrypt(key, sessionId),
              message: `${PROVIDER_NAMES[p]} key accepted: Maya is using it.`,
            }
          : { status: `invalid:${check.problem}`, message: check.message };
        this.deps.log.info({ sessionId, provider: p, status: updates[p]!.status }, 'key checked');
      }),
    );
    const { state } = await this.deps.manager.mutate(sessionId, (s) => {
      const keys: StoredKeys = { ...s.keys, ...updates };
      for (const p of removed) delete keys[p];
      return { ...s, keys };
    });
    return this.statusOf(state.keys);
  }

  async status(sessionId: string): Promise<KeyStatusMessage> {
    return this.statusOf((await this.deps.manager.get(sessionId)).keys);
  }

  /** Does the session hold any key entry (so a resumed guest should hear its status)? */
  async hasKeys(sessionId: string): Promise<boolean> {
    const keys = (await this.deps.manager.get(sessionId)).keys;
    return !!keys && KEY_PROVIDERS.some((p) => keys[p]);
  }

  /** Has the operator set any server-wide key (so every guest should see which are in use)? */
  hasOperatorKeys(): boolean {
    return KEY_PROVIDERS.some((p) => !!this.deps.operatorKeys[p]);
  }

  /** The key to use for this session: its own valid key, else the operator's, else null (embedded). */
  async keyFor(sessionId: string, provider: KeyProvider): Promise<string | null> {
    const entry = (await this.deps.manager.get(sessionId)).keys?.[provider];
    if (entry?.status === 'valid' && entry.blob) {
      try {
        return this.deps.vault().decrypt(entry.blob, sessionId);
      } catch (err) {
        // Master key changed or data tampered with: treat as no key rather than fail the turn.
        this.deps.log.warn(
          { sessionId, provider, err: (err as Error).message },
          'stored key could not be decrypted',
        );
      }
    }
    return this.deps.operatorKeys[provider] || null;
  }

  private statusOf(keys: StoredKeys | undefined): KeyStatusMessage {
    const value = (p: KeyProvider): KeyStatusValue => keys?.[p]?.status ?? 'missing';
    const message = (p: KeyProvider) =>
      keys?.[p]?.message ?? missingMessage(p, !!this.deps.operatorKeys[p]);
    return {
      type: 'key_status',
      gemini: value('gemini'),
      cartesia: value('cartesia'),
      messages: { gemini: message('gemini'), cartesia: message('cartesia') },
      serverKeys: {
        gemini: !!this.deps.operatorKeys.gemini,
        cartesia: !!this.deps.operatorKeys.cartesia,
      },
    };
  }
}
