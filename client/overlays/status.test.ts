import { describe, expect, it } from 'vitest';
import { statusOf } from './status.ts';

const base = { connection: 'open', thinking: false, speaking: false, mic: 'off' } as const;

describe('status line', () => {
  it('names what Maya is doing, most important first', () => {
    expect(statusOf({ ...base, connection: 'reconnecting', speaking: true }).key).toBe(
      'reconnecting',
    );
    expect(statusOf({ ...base, speaking: true, thinking: true, mic: 'listening' }).key).toBe(
      'speaking',
    );
    expect(statusOf({ ...base, thinking: true, mic: 'listening' }).key).toBe('thinking');
    expect(statusOf({ ...base, mic: 'listening' }).label).toBe('listening');
    expect(statusOf({ ...base, mic: 'muted' }).label).toBe('muted');
    expect(statusOf({ ...base, mic: 'denied' }).label).toMatch(/type instead/);
    expect(statusOf(base).label).toBe('ready');
  });
});
