/**
 * Test hooks for Playwright, in the e2e build only (`vite build --mode e2e`, see main.tsx) and
 * installed only when the page is opened with `?e2e=1`: lets a test drive
 * what the voice layer would (speaking, mouth, "a guest started talking") without a microphone.
 * They touch client-side mirrors only; the server stays the source of truth.
 */
import { useMaya } from '../store.ts';
import { currentMouth, setMouthSource, useSpeechActivity } from '../audio/speechActivity.ts';
import type { MouthShape } from '../audio/speechActivity.ts';

export interface MayaTestHooks {
  store: typeof useMaya;
  speech: typeof useSpeechActivity;
  setMouth(shape: MouthShape): void;
  /** What the avatar's mouth is told this frame (from the voice layer's timings or loudness). */
  mouth(): MouthShape;
  extra: Record<string, unknown>;
}

declare global {
  interface Window {
    __mayaTest?: MayaTestHooks;
  }
}

export function installTestHooks(search: string = location.search): MayaTestHooks | null {
  if (new URLSearchParams(search).get('e2e') !== '1') return null;
  const hooks: MayaTestHooks = {
    store: useMaya,
    speech: useSpeechActivity,
    setMouth: (shape) => setMouthSource(() => shape),
    mouth: currentMouth,
    extra: {},
  };
  window.__mayaTest = hooks;
  return hooks;
}

/** Register a named hook (e.g. the kiosk's "guest started talking") when test hooks are on. */
export function registerTestHook(name: string, value: unknown): void {
  if (window.__mayaTest) window.__mayaTest.extra[name] = value;
}

// Installed as soon as anything imports this module, before the app registers its hooks.
if (typeof location !== 'undefined' && typeof window !== 'undefined') installTestHooks();
