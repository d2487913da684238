/**
 * Rate limits (DOMAIN.md "Security"): a token bucket per session and one per client address. Over
 * the limit a message is refused with RATE_LIMITED and the connection stays open. Buckets refill
 * continuously; idle full buckets are forgotten so memory stays bounded.
 */

export interface BucketLimits {
  /** Burst size: messages allowed at once. */
  capacity: number;
  /** Sustained rate; 0 disables this limit. */
  refillPerSecond: number;
}

export interface RateLimitOptions {
  perSession: BucketLimits;
  perAddress: BucketLimits;
  /** Behind a reverse proxy: take the client address from the first X-Forwarded-For entry. */
  trustProxy?: boolean;
}

/** Generous for a person talking (a turn every few seconds), tight for a script hammering the bar. */
export const DEFAULT_RATE_LIMITS = {
  perSession: { capacity: 20, refillPerSecond: 2 },
  perAddress: { capacity: 100, refillPerSecond: 20 },
} as const satisfies RateLimitOptions;

/** Forget buckets idle for longer than this (they would be full again anyway). */
const SWEEP_EVERY_TAKES = 1000;

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private takes = 0;

  constructor(
    private readonly limits: BucketLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Take `cost` tokens for `key`: ok, or how long until there would be enough. */
  take(key: string, cost = 1): { ok: true } | { ok: false; retryAfterMs: number } {
    const { capacity, refillPerSecond } = this.limits;
    if (refillPerSecond <= 0) return { ok: true };
    const now = this.now();
    if (++this.takes % SWEEP_EVERY_TAKES === 0) this.sweep(now);
    const b = this.buckets.get(key) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * refillPerSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= cost) {
      b.tokens -= cost;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((cost - b.tokens) / refillPerSecond) * 1000) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number) {
    const { capacity, refillPerSecond } = this.limits;
    for (const [k, b] of this.buckets)
      if (b.tokens + ((now - b.at) / 1000) * refillPerSecond >= capacity) this.buckets.delete(k);
  }
}

export type RateDecision =
  | { ok: true }
  | { ok: false; scope: 'session' | 'address'; retryAfterMs: number; message: string };

/** Both limits for one incoming message. The address bucket is charged first (it guards the server). */
export class MessageRateLimiter {
  private readonly sessions: TokenBuckets;
  private readonly addresses: TokenBuckets;
  private readonly trustProxy: boolean;

  constructor(opts: RateLimitOptions = DEFAULT_RATE_LIMITS, now: () => number = Date.now) {
    this.sessions = new TokenBuckets(opts.perSession, now);
    this.addresses = new TokenBuckets(opts.perAddress, now);
    this.trustProxy = opts.trustProxy ?? false;
  }

  /** The client address of an upgrade request (the proxy's view of it only when trusted). */
  addressOf(
    req:
      | {
          socket: { remoteAddress?: string | undefined };
          headers: Record<string, string | string[] | undefined>;
        }
      | undefined,
  ): string {
    if (!req) return 'unknown';
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    return (this.trustProxy && first) || req.socket.remoteAddress || 'unknown';
  }

  check(address: string, sessionId: string | null): RateDecision {
    const a = this.addresses.take(address);
    if (!a.ok)
      return {
        ok: false,
        scope: 'address',
        retryAfterMs: a.retryAfterMs,
        message: `Too many messages from your network; please wait ${seconds(a.retryAfterMs)}.`,
      };
    if (sessionId) {
      const s = this.sessions.take(sessionId);
      if (!s.ok)
        return {
          ok: false,
          scope: 'session',
          retryAfterMs: s.retryAfterMs,
          message: `Slow down a little, please; try again in ${seconds(s.retryAfterMs)}.`,
        };
    }
    return { ok: true };
  }
}

function seconds(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s === 1 ? 'a second' : `${s} seconds`;
}
