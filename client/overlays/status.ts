/** The one-line status under Maya's name: what she is doing right now, in a guest's words. */
import type { ConnectionStatus } from '../store.ts';
import type { MicState } from '../audio/speechActivity.ts';

export type StatusKey =
  | 'connecting'
  | 'reconnecting'
  | 'speaking'
  | 'thinking'
  | 'listening'
  | 'muted'
  | 'mic-blocked'
  | 'ready';

export interface StatusInput {
  connection: ConnectionStatus;
  thinking: boolean;
  speaking: boolean;
  mic: MicState;
}

/** Highest priority first: a broken link beats everything; Maya talking beats her listening. */
export function statusOf({ connection, thinking, speaking, mic }: StatusInput): {
  key: StatusKey;
  label: string;
} {
  if (connection === 'connecting') return { key: 'connecting', label: 'connecting…' };
  if (connection === 'reconnecting') return { key: 'reconnecting', label: 'reconnecting…' };
  if (speaking) return { key: 'speaking', label: 'speaking' };
  if (thinking) return { key: 'thinking', label: 'thinking…' };
  if (mic === 'listening') return { key: 'listening', label: 'listening' };
  if (mic === 'muted') return { key: 'muted', label: 'muted' };
  if (mic === 'denied' || mic === 'no-device')
    return {
      key: 'mic-blocked',
      label:
        mic === 'denied' ? 'microphone blocked — type instead' : 'no microphone — type instead',
    };
  return { key: 'ready', label: 'ready' };
}
