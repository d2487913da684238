/**
 * Speech per active session: Cartesia (TTS socket opened as soon as the session asks, so the first
 * reply is warm) when the session or the operator has a Cartesia key, else the embedded engines.
 * Rebuilt when the key changes; `release` closes the socket when the session goes away.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { SpeechToText, TextToSpeech } from '../types.ts';
import { cloudSpeechFor } from './index.ts';

export interface SessionSpeech {
  tts: TextToSpeech;
  stt: SpeechToText;
  /** Cartesia (with the embedded engine behind it) rather than embedded only. */
  cloud: boolean;
}

export interface CloudSpeechSessionsDeps {
  keyFor: (sessionId: string) => Promise<string | null>;
  config: Pick<Config, 'CARTESIA_BASE_URL' | 'CARTESIA_VOICE_ID'>;
  ca?: string | undefined;
  /** The embedded engines for a session (the default, and the fallback behind Cartesia). */
  embedded: (sessionId: string) => { tts: TextToSpeech; stt: SpeechToText };
  onFallback: (sessionId: string, what: 'tts' | 'stt', err: unknown) => void;
  /** The live menu's drink names, boosted in Cartesia STT. */
  keyterms?: () => readonly string[];
}

export class CloudSpeechSessions {
  private readonly live = new Map<string, { fingerprint: string | null; speech: SessionSpeech }>();
  /** One lookup at a time per session, so two callers never open two Cartesia sockets. */
  private readonly pending = new Map<string, Promise<SessionSpeech>>();

  constructor(private readonly deps: CloudSpeechSessionsDeps) {}

  speechFor(sessionId: string): Promise<SessionSpeech> {
    const inFlight = this.pending.get(sessionId);
    if (inFlight) return inFlight;
    const lookup = this.lookup(sessionId).finally(() => this.pending.delete(sessionId));
    this.pending.set(sessionId, lookup);
    return lookup;
  }

  private async lookup(sessionId: string): Promise<SessionSpeech> {
    const key = await this.deps.keyFor(sessionId);
    const fingerprint = key
      ? createHash('sha256').update(key).digest('base64url').slice(0, 16)
      : null;
    const current = this.live.get(sessionId);
    if (current && current.fingerprint === fingerprint) return current.speech;
    if (current) await closeCloud(current.speech);
    const embedded = this.deps.embedded(sessionId);
    const speech: SessionSpeech = key
      ? {
          ...cloudSpeechFor({
            apiKey: key,
            config: this.deps.config,
            ca: this.deps.ca,
            embedded,
            onFallback: (what, err) => this.deps.onFallback(sessionId, what, err),
            ...(this.deps.keyterms && { keyterms: this.deps.keyterms }),
          }),
          cloud: true,
        }
      : { ...embedded, cloud: false };
    this.live.set(sessionId, { fingerprint, speech });
    return speech;
  }

  async release(sessionId: string): Promise<void> {
    const current = this.live.get(sessionId);
    this.live.delete(sessionId);
    if (current) await closeCloud(current.speech);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.live.keys()].map((id) => this.release(id)));
  }

  get size(): number {
    return this.live.size;
  }
}

/** Close a session's Cartesia socket; the embedded engines are shared by every session and stay open. */
async function closeCloud(speech: SessionSpeech): Promise<void> {
  if (speech.cloud) await speech.tts.close();
}
