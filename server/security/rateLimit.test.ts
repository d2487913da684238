import { describe, expect, it } from 'vitest';
import { MessageRateLimiter, TokenBuckets } from './rateLimit.ts';

describe('TokenBuckets', () => {
  it('allows a burst of `capacity`, then refills at the rate', () => {
    let now = 0;
    const b = new TokenBuckets({ capacity: 3, refillPerSecond: 2 }, () => now);
    expect([1, 2, 3].map(() => b.take('s').ok)).toEqual([true, true, true]);
    expect(b.take('s')).toEqual({ ok: false, retryAfterMs: 500 });
    now += 500;
    expect(b.take('s').ok).toBe(true);
    expect(b.take('s').ok).toBe(false);
    now += 10_000;
    expect([1, 2, 3, 4].map(() => b.take('s').ok)).toEqual([true, true, true, false]);
  });

  it('keeps keys apart, can be disabled, and forgets idle buckets', () => {
    let now = 0;
    const b = new TokenBuckets({ capacity: 1, refillPerSecond: 1 }, () => now);
    expect(b.take('a').ok).toBe(true);
    expect(b.take('b').ok).toBe(true);
    expect(b.take('a').ok).toBe(false);
    const off = new TokenBuckets({ capacity: 1, refillPerSecond: 0 });
    expect([1, 2, 3].every(() => off.take('x').ok)).toBe(true);
    const idle = new TokenBuckets({ capacity: 1, refillPerSecond: 1 }, () => now);
    for (let i = 0; i < 999; i++) idle.take(`k${i}`);
    expect(idle.size).toBe(999);
    now += 5_000;
    idle.take('z'); // the 1000th take sweeps the refilled ones
    expect(idle.size).toBe(1);
  });
});

describe('MessageRateLimiter', () => {
  it('limits a session and an address independently', () => {
    let now = 0;
    const rl = new MessageRateLimiter(
      {
        perSession: { capacity: 2, refillPerSecond: 1 },
        perAddress: { capacity: 5, refillPerSecond: 1 },
      },
      () => now,
    );
    expect(rl.check('1.2.3.4', 's1').ok).toBe(true);
    expect(rl.check('1.2.3.4', 's1').ok).toBe(true);
    expect(rl.check('1.2.3.4', 's1')).toMatchObject({ ok: false, scope: 'session' });
    expect(rl.check('1.2.3.4', 's2').ok).toBe(true);
    expect(rl.check('1.2.3.4', null).ok).toBe(true);
    expect(rl.check('1.2.3.4', 's3')).toMatchObject({
      ok: false,
      scope: 'address',
      message: expect.stringContaining('wait'),
    });
    expect(rl.check('5.6.7.8', 's3').ok).toBe(true);
    now += 2_000;
    expect(rl.check('1.2.3.4', 's1').ok).toBe(true);
  });
});

describe('client address', () => {
  const req = (remoteAddress: string, xff?: string) => ({
    socket: { remoteAddress },
    headers: xff ? { 'x-forwarded-for': xff } : {},
  });
  it('uses the socket address unless the proxy is trusted', () => {
    const direct = new MessageRateLimiter();
    expect(direct.addressOf(req('10.0.0.1', '1.2.3.4, 10.0.0.1'))).toBe('10.0.0.1');
    const proxied = new MessageRateLimiter({
      perSession: { capacity: 1, refillPerSecond: 1 },
      perAddress: { capacity: 1, refillPerSecond: 1 },
      trustProxy: true,
    });
    expect(proxied.addressOf(req('10.0.0.1', '1.2.3.4, 10.0.0.1'))).toBe('1.2.3.4');
    expect(proxied.addressOf(req('10.0.0.1'))).toBe('10.0.0.1');
    expect(proxied.addressOf(undefined)).toBe('unknown');
  });
});
