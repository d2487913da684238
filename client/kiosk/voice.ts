/**
 * What the kiosk needs from the voice layer: a spoken greeting, spoken notices, hands-free listening.
 * The voice layer registers its implementation with `setKioskVoice`; until then Maya's words appear
 * as captions (always on) and are spoken by the browser's own voice where it has one, with the
 * mouth moving on that voice's word boundaries.
 */
import { useMaya } from '../store.ts';
import { setMouthSource, useSpeechActivity } from '../audio/speechActivity.ts';
import { mouthAt } from '../avatar/lipsync.ts';
import type { SpeechCue } from '../avatar/lipsync.ts';

/** Audio only: captions are the kiosk's job (always on), see `kioskSay`. */
export interface KioskVoice {
  /** Speak a line of Maya's out loud (greeting, idle warning, "your tab is saved"), moving her lips. */
  speak(text: string): void;
  /** Open the microphone and keep it open (no push-to-talk on a kiosk). */
  startListening(): void;
}

export const KIOSK_GREETING = "Hi, I'm Maya! What can I pour for you tonight?";

export const localVoiceDefaults = {
  /** Rough length of one character of speech, to size a word's mouth movement from its boundary event. */
  secondsPerChar: 0.065,
} as const;

/** The browser's own voice (speechSynthesis), lips driven by its word-boundary events on the speech clock. */
export function speakLocally(text: string): void {
  if (typeof speechSynthesis === 'undefined' || typeof SpeechSynthesisUtterance === 'undefined')
    return;
  const utterance = new SpeechSynthesisUtterance(text);
  let cues: SpeechCue[] = [];
  const now = () => performance.now() / 1000;
  const finish = () => {
    cues = [];
    setMouthSource(() => ({ open: 0 }));
    useSpeechActivity.getState().setSpeaking(false);
  };
  utterance.onstart = () => {
    setMouthSource(() => mouthAt(cues, now()));
    useSpeechActivity.getState().setSpeaking(true);
  };
  utterance.onboundary = (e: SpeechSynthesisEvent) => {
    if (e.name && e.name !== 'word') return;
    const word = text.slice(e.charIndex).match(/^[\w'’-]+/)?.[0] ?? '';
    const start = now();
    cues = [
      {
        startS: start,
        endS: start + Math.max(0.12, word.length * localVoiceDefaults.secondsPerChar),
        word,
      },
    ];
  };
  utterance.onend = finish;
  utterance.onerror = finish;
  try {
    speechSynthesis.speak(utterance);
  } catch {
    finish();
  }
}

const fallbackVoice: KioskVoice = {
  speak: speakLocally,
  startListening: () => {},
};

let voice: KioskVoice = fallbackVoice;

/** The voice layer plugs in here (server TTS with phone timings, the microphone). */
export function setKioskVoice(implementation: Partial<KioskVoice>): void {
  voice = { ...fallbackVoice, ...implementation };
}

export function kioskVoice(): KioskVoice {
  return voice;
}

/** Maya says a kiosk line: captioned (always), and spoken. */
export function kioskSay(text: string): void {
  useMaya.getState().mayaSaid(text);
  voice.speak(text);
}
