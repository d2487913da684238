/**
 * Unpaid tabs left at the kiosk, kept on the kiosk under a short code so the guest can come back
 * and resume: the code maps to the session id and resume token (the server keeps the session until
 * it expires). Storage is injected so it is testable without a browser.
 */
import type { SavedSession } from '../net/connection.ts';

export interface SavedTab extends SavedSession {
  code: string;
  totalCents: number;
  savedAtMs: number;
}

export const savedTabsDefaults = {
  storageKey: 'maya.kiosk.savedTabs',
  /** Matches the server's default session expiry (MAYA_SESSION_EXPIRY_SECONDS = 3600). */
  keepMs: 3_600_000,
  codeDigits: 4,
  /** Guessing codes is slowed down: after this many wrong codes in a row, wait `lockoutMs`. */
  maxWrongCodes: 5,
  lockoutMs: 60_000,
} as const;

export type TakeResult =
  | { ok: true; tab: SavedTab }
  | { ok: false; reason: 'not-found' | 'locked' };

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export class SavedTabs {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly random: () => number = Math.random,
    private readonly keepMs: number = savedTabsDefaults.keepMs,
  ) {}

  list(nowMs: number): SavedTab[] {
    let all: SavedTab[] = [];
    try {
      const parsed: unknown = JSON.parse(
        this.storage.getItem(savedTabsDefaults.storageKey) ?? '[]',
      );
      if (Array.isArray(parsed)) all = parsed.filter(isSavedTab);
    } catch {
      all = [];
    }
    return all.filter((t) => nowMs - t.savedAtMs < this.keepMs);
  }

  /** Save a tab and return its new code (unique among live saved tabs). The same session keeps its code. */
  save(tab: Omit<SavedTab, 'code' | 'savedAtMs'>, nowMs: number): string {
    const live = this.list(nowMs);
    const existing = live.find((t) => t.sessionId === tab.sessionId);
    const code = existing?.code ?? this.newCode(new Set(live.map((t) => t.code)));
    const rest = live.filter((t) => t.sessionId !== tab.sessionId);
    this.write([...rest, { ...tab, code, savedAtMs: nowMs }]);
    return code;
  }

  private wrongCodes = 0;
  private lockedUntilMs = 0;

  /** The tab under `code`, removed from the list (it is being resumed); wrong guesses lock for a while. */
  take(code: string, nowMs: number): TakeResult {
    if (nowMs < this.lockedUntilMs) return { ok: false, reason: 'locked' };
    const live = this.list(nowMs);
    const found = live.find((t) => t.code === code.trim());
    if (!found) {
      if (++this.wrongCodes >= savedTabsDefaults.maxWrongCodes) {
        this.wrongCodes = 0;
        this.lockedUntilMs = nowMs + savedTabsDefaults.lockoutMs;
      }
      return { ok: false, reason: 'not-found' };
    }
    this.wrongCodes = 0;
    this.write(live.filter((t) => t !== found));
    return { ok: true, tab: found };
  }

  private newCode(taken: Set<string>): string {
    const max = 10 ** savedTabsDefaults.codeDigits;
    for (let i = 0; i < 1000; i++) {
      const code = String(Math.floor(this.random() * max)).padStart(
        savedTabsDefaults.codeDigits,
        '0',
      );
      if (!taken.has(code)) return code;
    }
    throw new Error('no free tab code');
  }

  private write(tabs: SavedTab[]): void {
    this.storage.setItem(savedTabsDefaults.storageKey, JSON.stringify(tabs));
  }
}

function isSavedTab(v: unknown): v is SavedTab {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Record<string, unknown>;
  return (
    typeof t.code === 'string' &&
    typeof t.sessionId === 'string' &&
    typeof t.resumeToken === 'string' &&
    typeof t.savedAtMs === 'number' &&
    typeof t.totalCents === 'number'
  );
}
