import { afterEach, describe, expect, it, vi } from 'vitest';
import { currentMouth, useSpeechActivity } from '../audio/speechActivity.ts';
import { useMaya } from '../store.ts';
import { KIOSK_GREETING, kioskSay, setKioskVoice } from './voice.ts';

/** A stand-in for the browser's speechSynthesis that lets the test fire its events. */
class FakeUtterance {
  onstart: (() => void) | null = null;
  onboundary: ((e: { name: string; charIndex: number }) => void) | null = null;
  onend: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly text: string) {}
}

afterEach(() => {
  vi.unstubAllGlobals();
  setKioskVoice({});
});

describe('kiosk voice', () => {
  it('captions the greeting and speaks it with the browser voice, lips following its words', () => {
    const spoken: FakeUtterance[] = [];
    vi.stubGlobal('SpeechSynthesisUtterance', FakeUtterance);
    vi.stubGlobal('speechSynthesis', { speak: (u: FakeUtterance) => spoken.push(u) });
    kioskSay(KIOSK_GREETING);
    expect(useMaya.getState().captions.at(-1)).toMatchObject({
      speaker: 'maya',
      text: KIOSK_GREETING,
    });
    const u = spoken[0]!;
    expect(u.text).toBe(KIOSK_GREETING);

    u.onstart!();
    expect(useSpeechActivity.getState().speaking).toBe(true);
    const t0 = performance.now();
    u.onboundary!({ name: 'word', charIndex: KIOSK_GREETING.indexOf('pour') });
    // Sample the mouth over the word's length: it opens at least once.
    let widest = 0;
    while (performance.now() - t0 < 200) widest = Math.max(widest, currentMouth().open);
    expect(widest).toBeGreaterThan(0.3);

    u.onend!();
    expect(useSpeechActivity.getState().speaking).toBe(false);
    expect(currentMouth().open).toBe(0);
  });

  it('hands the audio over to the voice layer once it registers, and still captions', () => {
    const speak = vi.fn();
    setKioskVoice({ speak });
    kioskSay('Still there?');
    expect(speak).toHaveBeenCalledWith('Still there?');
    expect(useMaya.getState().captions.at(-1)).toMatchObject({
      speaker: 'maya',
      text: 'Still there?',
    });
  });
});
