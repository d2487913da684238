/**
 * The websocket client: says hello (resuming the session kept in sessionStorage), feeds every server
 * message to the store, and reconnects with exponential backoff plus jitter when the link drops.
 */
import { PROTOCOL_VERSION, parseServerMessage } from '../../shared/protocol.ts';
import type { ClientMessage, ServerMessage } from '../../shared/protocol.ts';
import { useMaya } from '../store.ts';
import { useKeys } from '../keys/keyStore.ts';

const SESSION_KEY = 'maya.session';
const backoff = { initialMs: 250, maxMs: 5000 } as const;

export interface SavedSession {
  sessionId: string;
  resumeToken: string;
}

function loadSaved(): SavedSession | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as SavedSession) : null;
  } catch {
    return null;
  }
}

export class MayaConnection {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private ready = false;
  private pending: ClientMessage[] = [];
  private readonly messageListeners = new Set<(msg: ServerMessage) => void>();
  private readonly audioListeners = new Set<(data: ArrayBuffer) => void>();

  constructor(private readonly url: () => string) {}

  connect(): void {
    const ws = new WebSocket(this.url());
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      this.attempt = 0;
      const saved = loadSaved();
      ws.send(
        JSON.stringify({
          type: 'hello',
          protocol: PROTOCOL_VERSION,
          ...(saved ?? {}),
        } satisfies ClientMessage),
      );
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') {
        if (ev.data instanceof ArrayBuffer) for (const l of this.audioListeners) l(ev.data);
        return;
      }
      const parsed = parseServerMessage(ev.data);
      const msg = parsed.ok ? parsed.message : parsed.error;
      if (msg.type === 'welcome') {
        sessionStorage.setItem(
          SESSION_KEY,
          JSON.stringify({ sessionId: msg.sessionId, resumeToken: msg.resumeToken }),
        );
        this.ready = true;
        for (const m of this.pending.splice(0)) ws.send(JSON.stringify(m));
      }
      if (msg.type === 'key_status') useKeys.getState().receive(msg);
      useMaya.getState().receive(msg);
      for (const l of this.messageListeners) l(msg);
    };
    ws.onclose = () => {
      this.ready = false;
      useMaya.getState().setConnection('reconnecting');
      const delay =
        Math.min(backoff.maxMs, backoff.initialMs * 2 ** this.attempt++) *
        (0.5 + Math.random() / 2);
      setTimeout(() => this.connect(), delay);
    };
  }

  send(msg: ClientMessage): void {
    if (this.ready && this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
    else this.pending.push(msg);
  }

  /** The session this tab is on (id and resume token), if any. */
  currentSession(): SavedSession | null {
    return loadSaved();
  }

  /** Start a new session on this socket (kiosk: the next guest); the old one stays resumable by its token. */
  startFresh(): void {
    sessionStorage.removeItem(SESSION_KEY);
    this.rehello({ type: 'hello', protocol: PROTOCOL_VERSION });
  }

  /** Switch this socket to a saved session (kiosk: a guest coming back with their tab code). */
  resume(saved: SavedSession): void {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(saved));
    this.rehello({ type: 'hello', protocol: PROTOCOL_VERSION, ...saved });
  }

  private rehello(hello: ClientMessage): void {
    // Nothing queued for the old session may leak into the new one.
    this.pending = [];
    if (this.ws?.readyState === WebSocket.OPEN) {
      this.ready = false;
      this.ws.send(JSON.stringify(hello));
    }
    // Not open: the reconnect's hello reads sessionStorage, which is already updated.
  }

  /** Every server message (after the store has it); returns an unsubscribe function. */
  onMessage(listener: (msg: ServerMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** Binary frames from the server: reply audio, announced by the preceding `reply_audio` message. */
  onAudio(listener: (data: ArrayBuffer) => void): () => void {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }

  /** Send one microphone frame; dropped (not queued) while disconnected, as live audio goes stale. */
  sendAudio(pcm: ArrayBuffer): boolean {
    if (!this.ready || this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(pcm);
    return true;
  }

  say(text: string): void {
    useMaya.getState().guestSaid(text);
    this.send({ type: 'user_text', text });
  }
}

export const connection = new MayaConnection(
  () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
);
