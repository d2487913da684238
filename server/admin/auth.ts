/**
 * The back office's token: compared in constant time (timingSafeEqual over SHA-256 digests, so
 * neither the length nor any prefix of the token leaks through timing) and never logged — the logs
 * name an operator by the token's fingerprint (the first 8 hex digits of its SHA-256).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function tokenFingerprint(token: string): string {
  return digest(token).toString('hex').slice(0, 8);
}

export class AdminAuth {
  private readonly expected: Buffer;
  readonly fingerprint: string;

  constructor(token: string) {
    this.expected = digest(token);
    this.fingerprint = tokenFingerprint(token);
  }

  /** The fingerprint of the request's bearer token when it is the admin token; null otherwise. */
  check(req: IncomingMessage): string | null {
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer ([^\s]{1,512})$/.exec(header.trim()) : null;
    if (!m) return null;
    return timingSafeEqual(digest(m[1]!), this.expected) ? this.fingerprint : null;
  }
}
