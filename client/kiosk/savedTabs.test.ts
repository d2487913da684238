import { describe, expect, it } from 'vitest';
import { SavedTabs, savedTabsDefaults } from './savedTabs.ts';

class MemoryStorage {
  private map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
}

const tab = (n: number) => ({
  sessionId: `session-${n}-abcdef`,
  resumeToken: `token-${n}-abcdefghijklmnop`,
  totalCents: 1100 * n,
});

describe('saved tabs', () => {
  it('saves a tab under a 4-digit code and gives it back once', () => {
    const tabs = new SavedTabs(new MemoryStorage(), () => 0.0427);
    const code = tabs.save(tab(1), 0);
    expect(code).toBe('0427');
    expect(tabs.take('0427', 1000)).toMatchObject({
      ok: true,
      tab: {
        sessionId: 'session-1-abcdef',
        resumeToken: 'token-1-abcdefghijklmnop',
        totalCents: 1100,
      },
    });
    expect(tabs.take('0427', 1000)).toEqual({ ok: false, reason: 'not-found' });
  });

  it('gives different tabs different codes and keeps a tab’s code when saved again', () => {
    const seq = [0.1, 0.1, 0.2];
    const tabs = new SavedTabs(new MemoryStorage(), () => seq.shift() ?? 0.3);
    const a = tabs.save(tab(1), 0);
    const b = tabs.save(tab(2), 0);
    expect(a).not.toBe(b);
    expect(tabs.save(tab(1), 10)).toBe(a);
    expect(tabs.list(10)).toHaveLength(2);
  });

  it('forgets tabs once the server would have expired them', () => {
    const tabs = new SavedTabs(new MemoryStorage());
    const code = tabs.save(tab(1), 0);
    expect(tabs.take(code, savedTabsDefaults.keepMs + 1)).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });

  it('slows down guessing: after 5 wrong codes even the right one waits a minute', () => {
    const tabs = new SavedTabs(new MemoryStorage(), () => 0.5);
    const code = tabs.save(tab(1), 0);
    for (let i = 0; i < savedTabsDefaults.maxWrongCodes; i++)
      expect(tabs.take('1111', 10).ok).toBe(false);
    expect(tabs.take(code, 20)).toEqual({ ok: false, reason: 'locked' });
    expect(tabs.take(code, 20 + savedTabsDefaults.lockoutMs)).toMatchObject({ ok: true });
  });

  it('survives garbage in storage', () => {
    const storage = new MemoryStorage();
    storage.setItem(savedTabsDefaults.storageKey, '{not json');
    expect(new SavedTabs(storage).list(0)).toEqual([]);
  });
});
