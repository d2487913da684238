/**
 * Speech activity on the client: is Maya speaking, what is the microphone doing, and how open is
 * her mouth right now. The audio layer writes it; the avatar and the status line read it.
 * The mouth is read every animation frame, so it is a function (no React re-render per frame).
 */
import { create } from 'zustand';

export type MicState = 'off' | 'starting' | 'listening' | 'muted' | 'denied' | 'no-device';

export interface MouthShape {
  /** 0 (closed) .. 1 (wide open). */
  open: number;
  /** Optional viseme (client/avatar/lipsync.ts: "aa", "PP", "FF", "word", ...) from phone or word timings. */
  viseme?: string;
}

export interface SpeechActivity {
  speaking: boolean;
  mic: MicState;
  /** Microphone input level 0..1 for the level meter. */
  micLevel: number;
  setSpeaking(speaking: boolean): void;
  setMic(mic: MicState): void;
  setMicLevel(level: number): void;
}

export const useSpeechActivity = create<SpeechActivity>((set) => ({
  speaking: false,
  mic: 'off',
  micLevel: 0,
  setSpeaking: (speaking) => set({ speaking }),
  setMic: (mic) => set({ mic }),
  setMicLevel: (micLevel) => set({ micLevel }),
}));

const closed: MouthShape = { open: 0 };
let mouthSource: () => MouthShape = () => closed;

/** The playback layer registers where the mouth comes from (timings on the playback clock, or amplitude). */
export function setMouthSource(source: () => MouthShape): void {
  mouthSource = source;
}

/** Called by the avatar once per frame. */
export function currentMouth(): MouthShape {
  return mouthSource();
}
