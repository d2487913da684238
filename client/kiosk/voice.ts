/**
 * What the kiosk needs from the voice layer: a spoken greeting, spoken notices, hands-free listening.
 * The voice layer registers its implementation with `setKioskVoice`; until then Maya's words appear
 * as captions (always on) and are spoken by the browser's own voice where it has one.
 */
import { useMaya } from '../store.ts';

export interface KioskVoice {
  /** Say the greeting when a guest walks up and starts talking. */
  greet(): void;
  /** Say a kiosk notice (idle warning, "your tab is saved"). */
  say(text: string): void;
  /** Open the microphone and keep it open (no push-to-talk on a kiosk). */
  startListening(): void;
}

export const KIOSK_GREETING = "Hi, I'm Maya! What can I pour for you tonight?";

function captionAndSpeak(text: string): void {
  useMaya.getState().mayaSaid(text);
  try {
    if (typeof speechSynthesis !== 'undefined') speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  } catch {
    // No local voice: the caption is there.
  }
}

const fallbackVoice: KioskVoice = {
  greet: () => captionAndSpeak(KIOSK_GREETING),
  say: captionAndSpeak,
  startListening: () => {},
};

let voice: KioskVoice = fallbackVoice;

export function setKioskVoice(implementation: Partial<KioskVoice>): void {
  voice = { ...fallbackVoice, ...implementation };
}

export function kioskVoice(): KioskVoice {
  return voice;
}
