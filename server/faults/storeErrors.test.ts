import { describe, expect, it } from 'vitest';
import { isStoreUnavailable } from '../transport/ws.ts';

describe('isStoreUnavailable', () => {
  it('recognises an unreachable store, and nothing else', () => {
    const maxRetries = Object.assign(new Error('Reached the max retries per request limit (which is 2).'), { name: 'MaxRetriesPerRequestError' });
    expect(isStoreUnavailable(maxRetries)).toBe(true);
    expect(isStoreUnavailable(new Error('connect ECONNREFUSED 127.0.0.1:6390'))).toBe(true);
    expect(isStoreUnavailable(new Error('Connection is closed.'))).toBe(true);
    expect(isStoreUnavailable(new Error("Cannot read properties of undefined (reading 'payment')"))).toBe(false);
    expect(isStoreUnavailable('ECONNREFUSED')).toBe(false);
  });
});
