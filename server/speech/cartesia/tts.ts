/**
 * Cartesia TTS over its websocket (one socket per session, opened at construction so the first
 * reply does not pay for the handshake). Each sentence is a context: PCM chunks stream out as they
 * arrive, with word timings for lip-sync and captions; aborting the signal (barge-in) cancels the
 * context on the server.
 */
import type { TextToSpeech, Timing, TtsChunk } from '../types.ts';
import { TTSWS, createCartesiaClient, wsOptions } from './client.ts';
import type { CartesiaConnection } from './client.ts';

/** Katie: a stable, warm English voice recommended for agents (research/sdks.md 2.7). */
export const CARTESIA_DEFAULT_VOICE_ID = 'f786b574-daa5-4673-aa0c-cbe3e8534c02';
export const CARTESIA_DEFAULT_TTS_MODEL = 'sonic-3';
export const CARTESIA_TTS_SAMPLE_RATE_HZ = 24_000;
export type CartesiaSampleRate = 8000 | 16000 | 22050 | 24000 | 44100 | 48000;
/** No event for this long on a live context: treat the service as gone. */
export const CARTESIA_TTS_IDLE_TIMEOUT_MS = 5_000;
/** WebSocket readyState CLOSING (CLOSED is 3). */
const SOCKET_CLOSING = 2;

export interface CartesiaTtsOptions extends CartesiaConnection {
  voiceId?: string | undefined;
  modelId?: string;
  sampleRateHz?: CartesiaSampleRate;
  idleTimeoutMs?: number;
}

export class CartesiaTts implements TextToSpeech {
  readonly name = 'cartesia';
  private ws!: TTSWS;
  private ready!: Promise<void>;
  private lastError: Error | null = null;
  private readonly sampleRate: CartesiaSampleRate;

  constructor(private readonly opts: CartesiaTtsOptions) {
    this.sampleRate = opts.sampleRateHz ?? CARTESIA_TTS_SAMPLE_RATE_HZ;
    this.open();
  }

  private open() {
    const opts = this.opts;
    // Constructed directly with an error listener: client.tts.websocket() would turn a failed
    // handshake into an unhandled rejection (research/sdks.md 2.5).
    this.ws = new TTSWS(createCartesiaClient(opts), wsOptions(opts));
    this.ws.on('error', (e) => {
      this.lastError = e;
    });
    this.ready = this.ws.connect().then(
      () => undefined,
      (e: unknown) =>
        Promise.reject(
          e instanceof Error
            ? e
            : new Error(
                String((e as { message?: unknown })?.message ?? 'Cartesia TTS connection failed'),
              ),
        ),
    );
    this.ready.catch(() => undefined);
  }

  /** Resolves when the socket is open (pre-warm), rejects if it cannot open (bad key, no network). */
  warm(): Promise<void> {
    return this.ready;
  }

  async *synthesize(text: string, signal: AbortSignal): AsyncIterable<TtsChunk> {
    // A socket that closed while idle is replaced here: the SDK would reconnect by itself on the
    // next send, but that also drops the context we are about to register.
    if (this.ws.socket.readyState >= SOCKET_CLOSING) {
      this.ws.close();
      this.open();
    }
    await this.ready;
    if (signal.aborted) return;
    const ctx = this.ws.context({
      model_id: this.opts.modelId ?? CARTESIA_DEFAULT_TTS_MODEL,
      voice: this.opts.voiceId ?? CARTESIA_DEFAULT_VOICE_ID,
      output_format: { container: 'raw', encoding: 'pcm_s16le', sample_rate: this.sampleRate },
      add_timestamps: true,
    });
    const onAbort = () => void ctx.cancel();
    // A dropped socket does not end the SDK's receive(): end it ourselves, then report it.
    let dropped = false;
    const onClose = () => {
      dropped = true;
      this.ws._unregisterContext(ctx.contextId);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const socket = this.ws.socket;
    socket.addEventListener('close', onClose);
    try {
      await ctx.push({ transcript: text });
      await ctx.no_more_inputs();
      let sentSamples = 0;
      let carry: number | null = null;
      let words: Timing[] = [];
      let done = false;
      for await (const ev of ctx.receive({
        timeout: this.opts.idleTimeoutMs ?? CARTESIA_TTS_IDLE_TIMEOUT_MS,
      })) {
        if (signal.aborted) return;
        if (ev.type === 'timestamps' && ev.word_timestamps) {
          const w = ev.word_timestamps;
          // Seconds from the start of the sentence → ms from the next chunk's first sample.
          const base = (sentSamples / this.sampleRate) * 1000;
          words.push(
            ...w.words.map((label, i) => ({
              label,
              startMs: (w.start[i] ?? 0) * 1000 - base,
              endMs: (w.end[i] ?? 0) * 1000 - base,
            })),
          );
        } else if (ev.type === 'chunk' && ev.audio) {
          const { pcm, rest } = toInt16(ev.audio, carry);
          carry = rest;
          if (pcm.length === 0) continue;
          const chunk: TtsChunk = {
            pcm,
            sampleRate: this.sampleRate,
            ...(words.length ? { words } : {}),
          };
          words = [];
          sentSamples += pcm.length;
          yield chunk;
        } else if (ev.type === 'done') {
          done = true;
        }
      }
      if (signal.aborted) return;
      if (words.length) yield { pcm: new Int16Array(0), sampleRate: this.sampleRate, words };
      if (!done)
        throw (
          this.lastError ??
          new Error(
            dropped
              ? 'Cartesia TTS connection dropped mid-sentence'
              : 'Cartesia TTS ended without done',
          )
        );
    } finally {
      signal.removeEventListener('abort', onAbort);
      socket.removeEventListener('close', onClose);
    }
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    this.ws.close();
  }
}

/** Little-endian 16-bit PCM bytes → samples; an odd trailing byte is carried into the next chunk. */
function toInt16(
  bytes: Uint8Array,
  carry: number | null,
): { pcm: Int16Array; rest: number | null } {
  const all = carry === null ? bytes : Uint8Array.of(carry, ...bytes);
  const n = Math.floor(all.length / 2);
  const pcm = new Int16Array(n);
  const view = new DataView(all.buffer, all.byteOffset, all.byteLength);
  for (let i = 0; i < n; i++) pcm[i] = view.getInt16(i * 2, true);
  return { pcm, rest: all.length % 2 ? all[all.length - 1]! : null };
}
