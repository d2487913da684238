import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  KeyVault,
  MASTER_KEY_FILE_NAME,
  loadOrCreateMasterKeyFile,
  parseMasterKey,
} from './vault.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'maya-vault-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('KeyVault', () => {
  const vault = new KeyVault(randomBytes(32));

  it('round-trips a key for its own session, and the blob does not contain the key', () => {
    const blob = vault.encrypt('AIzaSecretKey123', 'session-aaaa');
    expect(blob).not.toContain('AIzaSecretKey123');
    expect(blob.startsWith('v1.')).toBe(true);
    expect(vault.decrypt(blob, 'session-aaaa')).toBe('AIzaSecretKey123');
  });

  it('uses a fresh IV each time', () => {
    expect(vault.encrypt('k', 'session-aaaa')).not.toBe(vault.encrypt('k', 'session-aaaa'));
  });

  it('refuses a blob moved to another session, a tampered blob and another master key', () => {
    const blob = vault.encrypt('AIzaSecretKey123', 'session-aaaa');
    expect(() => vault.decrypt(blob, 'session-bbbb')).toThrow();
    const parts = blob.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    expect(() =>
      vault.decrypt(
        [parts[0], parts[1], parts[2], ct.toString('base64url')].join('.'),
        'session-aaaa',
      ),
    ).toThrow();
    expect(() => new KeyVault(randomBytes(32)).decrypt(blob, 'session-aaaa')).toThrow();
    expect(() => vault.decrypt('garbage', 'session-aaaa')).toThrow('not a key blob');
  });
});

describe('master key', () => {
  it('accepts hex and base64, rejects a wrong length', () => {
    const k = randomBytes(32);
    expect(parseMasterKey(k.toString('hex'))).toEqual(k);
    expect(parseMasterKey(k.toString('base64'))).toEqual(k);
    expect(() => parseMasterKey('abcd')).toThrow(/32 bytes/);
  });

  it('generates a key file with mode 0600 once and reuses it', () => {
    const dir = join(tempDir(), 'data');
    const a = loadOrCreateMasterKeyFile(dir);
    const path = join(dir, MASTER_KEY_FILE_NAME);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(a.toString('hex'));
    expect(loadOrCreateMasterKeyFile(dir)).toEqual(a);
  });

  it('prefers MAYA_MASTER_KEY over the file', () => {
    const k = randomBytes(32);
    const dir = tempDir();
    const v = KeyVault.fromConfig({ MAYA_MASTER_KEY: k.toString('hex'), MAYA_DATA_DIR: dir });
    expect(new KeyVault(k).decrypt(v.encrypt('x', 'session-aaaa'), 'session-aaaa')).toBe('x');
    expect(() => statSync(join(dir, MASTER_KEY_FILE_NAME))).toThrow();
  });
});
