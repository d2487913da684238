/**
 * Encryption of guests' own API keys at rest (DOMAIN.md "Security"): AES-256-GCM under a server
 * master key, with the session id as associated data so a blob copied into another session does
 * not decrypt there. The master key comes from MAYA_MASTER_KEY, or from a key file generated once
 * under the data dir with mode 0600.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MASTER_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BLOB_VERSION = 'v1';
export const MASTER_KEY_FILE_NAME = 'master.key';
const KEY_FILE_MODE = 0o600;

/** Parse a master key given as 64 hex characters or base64/base64url of 32 bytes. */
export function parseMasterKey(text: string): Buffer {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (bytes.length !== MASTER_KEY_BYTES)
    throw new Error(
      `MAYA_MASTER_KEY must be ${MASTER_KEY_BYTES} bytes as hex (64 characters) or base64.`,
    );
  return bytes;
}

/** The master key file under `dataDir`, created (mode 0600) when missing; a wider mode is tightened. */
export function loadOrCreateMasterKeyFile(dataDir: string): Buffer {
  const path = join(dataDir, MASTER_KEY_FILE_NAME);
  if (existsSync(path)) {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, KEY_FILE_MODE);
    return parseMasterKey(readFileSync(path, 'utf8'));
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(MASTER_KEY_BYTES);
  // 'wx' fails if another process created it meanwhile; then read theirs.
  try {
    writeFileSync(path, key.toString('hex') + '\n', { mode: KEY_FILE_MODE, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      return parseMasterKey(readFileSync(path, 'utf8'));
    throw e;
  }
  return key;
}

export class KeyVault {
  private readonly masterKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== MASTER_KEY_BYTES) throw new Error('master key must be 32 bytes');
    this.masterKey = Buffer.from(masterKey);
  }

  static fromConfig(config: {
    MAYA_MASTER_KEY?: string | undefined;
    MAYA_DATA_DIR: string;
  }): KeyVault {
    return new KeyVault(
      config.MAYA_MASTER_KEY
        ? parseMasterKey(config.MAYA_MASTER_KEY)
        : loadOrCreateMasterKeyFile(config.MAYA_DATA_DIR),
    );
  }

  /** Encrypt `secret` for one session: "v1.<iv>.<tag>.<ciphertext>" in base64url. */
  encrypt(secret: string, sessionId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    cipher.setAAD(Buffer.from(sessionId, 'utf8'));
    const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [BLOB_VERSION, iv, cipher.getAuthTag(), ct]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** Decrypt a blob made for `sessionId`; throws on tampering, another session's blob or another master key. */
  decrypt(blob: string, sessionId: string): string {
    const [version, iv, tag, ct] = blob.split('.');
    if (version !== BLOB_VERSION || !iv || !tag || ct === undefined)
      throw new Error('not a key blob');
    const decipher = createDecipheriv('aes-256-gcm', this.masterKey, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(sessionId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ct, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}
