/**
 * A local stand-in for Cartesia on 127.0.0.1 speaking its real wire protocol (research/sdks.md 2.3–2.6)
 * over HTTPS + WSS with a self-signed certificate (the SDK always uses wss: for TTS):
 * - REST `GET /voices/:id` with `Authorization: Bearer` (the cheap key check), 401 on a bad key;
 * - TTS `/tts/websocket`: generation requests per context (continuations, flush, cancel) answered with
 *   `chunk` (base64 pcm_s16le), `timestamps` (word timings, seconds) and `done`;
 * - STT `/stt/websocket` (manual finalize): binary PCM in, `transcript` partials, and on "finalize" a
 *   final transcript then `flush_done`.
 * Each word of text becomes WORD_MS of a tone, so audio length is predictable.
 */
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { makeSelfSignedCert } from '../tls.ts';

export const STUB_WORD_MS = 150;
const TONE_HZ = 220;

export interface CartesiaStubOptions {
  validKeys?: string[];
  /** Delay before the first chunk of each transcript piece (model latency). */
  firstChunkDelayMs?: number;
  /** Delay between chunks. */
  chunkDelayMs?: number;
}

export interface CartesiaStub {
  baseUrl: string;
  /** PEM of the stub's self-signed certificate: pass as `ca`. */
  ca: string;
  /** TTS requests received (JSON), in order. */
  ttsRequests: Record<string, unknown>[];
  /** Contexts the client cancelled. */
  cancelled: string[];
  /** Query parameters of every STT websocket opened (model, encoding, keyterm…). */
  sttQueries: URLSearchParams[];
  /** What STT "hears": the final transcript of the next utterances, in order ("|" splits it into deltas). */
  sttTranscripts: string[];
  sttBytes: () => number;
  /** TTS websockets currently open. */
  openTtsSockets: () => number;
  /** Close every open websocket from the server side (e.g. an idle timeout). */
  dropSockets(): void;
  /** Kill websockets after this many TTS chunks in total (null: never). */
  dieAfterTtsChunks(n: number | null): void;
  /** Kill STT websockets after this many audio bytes (null: never). */
  dieAfterSttBytes(n: number | null): void;
  /** Answer REST with this status (e.g. 429) until cleared. */
  failRest(status: number | null): void;
  close(): Promise<void>;
}

function authKey(req: IncomingMessage, url: URL): string | undefined {
  const h = req.headers.authorization;
  if (typeof h === 'string' && h.startsWith('Bearer ')) return h.slice('Bearer '.length);
  return url.searchParams.get('api_key') ?? url.searchParams.get('access_token') ?? undefined;
}

function tone(samples: number, sampleRate: number, offset: number): Buffer {
  const buf = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++)
    buf.writeInt16LE(
      Math.round(8000 * Math.sin((2 * Math.PI * TONE_HZ * (offset + i)) / sampleRate)),
      i * 2,
    );
  return buf;
}

export async function startCartesiaStub(opts: CartesiaStubOptions = {}): Promise<CartesiaStub> {
  const tls = makeSelfSignedCert();
  const validKeys = new Set(opts.validKeys ?? ['good-cartesia-key']);
  const ttsRequests: Record<string, unknown>[] = [];
  const cancelled: string[] = [];
  const sttTranscripts: string[] = [];
  const sttQueries: URLSearchParams[] = [];
  let ttsChunksSent = 0;
  let dieAfterChunks: number | null = null;
  let dieAfterBytes: number | null = null;
  let sttBytes = 0;
  let restFailure: number | null = null;
  const sockets = new Set<Socket>();

  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://stub');
    if (restFailure) {
      res
        .writeHead(restFailure, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: `stub failure ${restFailure}` }));
      return;
    }
    const key = authKey(req, url);
    if (!key || !validKeys.has(key)) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'Invalid API key' }));
      return;
    }
    const m = /^\/voices\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: m[1], name: 'Stub Voice', language: 'en', is_public: true }));
      return;
    }
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: 'not found' }));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'https://stub');
    const key = authKey(req, url);
    if (!key || !validKeys.has(key)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (url.pathname === '/tts/websocket') serveTts(ws);
      else if (url.pathname === '/stt/websocket') {
        sttQueries.push(url.searchParams);
        serveStt(ws, Number(url.searchParams.get('sample_rate') ?? 16000));
      } else ws.close(1008, 'unknown path');
    });
  });

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  let openTts = 0;
  function serveTts(ws: WebSocket) {
    openTts++;
    ws.on('close', () => openTts--);
    // Per context: pieces are synthesised in order; a cancelled context stops at once.
    const chains = new Map<string, Promise<void>>();
    const offsets = new Map<string, number>();
    const live = new Set<string>();
    const send = (msg: Record<string, unknown>) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString()) as {
        context_id: string;
        transcript?: string;
        continue?: boolean;
        cancel?: boolean;
        flush?: boolean;
        add_timestamps?: boolean;
        output_format?: { encoding?: string; sample_rate?: number };
      };
      ttsRequests.push(msg);
      const ctx = msg.context_id;
      if (msg.cancel) {
        cancelled.push(ctx);
        live.delete(ctx);
        return;
      }
      live.add(ctx);
      const prev = chains.get(ctx) ?? Promise.resolve();
      const next = prev.then(async () => {
        const sampleRate = msg.output_format?.sample_rate ?? 24000;
        const words = (msg.transcript ?? '').split(/\s+/).filter(Boolean);
        if (words.length && opts.firstChunkDelayMs) await sleep(opts.firstChunkDelayMs);
        for (const word of words) {
          if (!live.has(ctx) || ws.readyState !== ws.OPEN) return;
          const samples = Math.round((STUB_WORD_MS / 1000) * sampleRate);
          const offset = offsets.get(ctx) ?? 0;
          send({
            type: 'chunk',
            context_id: ctx,
            status_code: 206,
            done: false,
            step_time: 1,
            data: tone(samples, sampleRate, offset).toString('base64'),
          });
          offsets.set(ctx, offset + samples);
          if (msg.add_timestamps) {
            send({
              type: 'timestamps',
              context_id: ctx,
              status_code: 206,
              done: false,
              word_timestamps: {
                words: [word],
                start: [offset / sampleRate],
                end: [(offset + samples) / sampleRate],
              },
            });
          }
          if (dieAfterChunks !== null && ++ttsChunksSent >= dieAfterChunks) {
            ws.terminate();
            return;
          }
          if (opts.chunkDelayMs) await sleep(opts.chunkDelayMs);
        }
        if (msg.continue === false || msg.continue === undefined) {
          if (live.has(ctx)) send({ type: 'done', context_id: ctx, status_code: 200, done: true });
          live.delete(ctx);
        }
      });
      chains.set(ctx, next);
    });
  }

  function serveStt(ws: WebSocket, sampleRate: number) {
    let heardBytes = 0;
    let partialSent = false;
    const requestId = `stt-${Date.now()}`;
    const send = (msg: Record<string, unknown>) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ request_id: requestId, ...msg }));
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        const n = (data as Buffer).length;
        heardBytes += n;
        sttBytes += n;
        if (dieAfterBytes !== null && sttBytes >= dieAfterBytes) {
          ws.terminate();
          return;
        }
        // After ~100 ms of audio, a partial hypothesis: the first word of what will be heard.
        if (!partialSent && heardBytes >= sampleRate * 2 * 0.1) {
          partialSent = true;
          send({
            type: 'transcript',
            is_final: false,
            text: (sttTranscripts[0] ?? '').split(' ')[0] ?? '',
          });
        }
        return;
      }
      const cmd = data.toString();
      if (cmd === 'finalize') {
        // "|" splits a transcript into several final deltas, as the service sends long utterances.
        const pieces = (sttTranscripts.shift() ?? '').split('|');
        for (const text of pieces)
          send({
            type: 'transcript',
            is_final: true,
            text,
            duration: heardBytes / (sampleRate * 2),
          });
        send({ type: 'flush_done' });
        heardBytes = 0;
        partialSent = false;
      } else if (cmd === 'close') {
        send({ type: 'done' });
        ws.close(1000);
      }
    });
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `https://127.0.0.1:${port}`,
    ca: tls.cert,
    ttsRequests,
    cancelled,
    sttTranscripts,
    sttQueries,
    sttBytes: () => sttBytes,
    openTtsSockets: () => openTts,
    dropSockets: () => {
      for (const c of wss.clients) c.close(1001, 'idle');
    },
    dieAfterTtsChunks: (n) => {
      dieAfterChunks = n;
      ttsChunksSent = 0;
    },
    dieAfterSttBytes: (n) => {
      dieAfterBytes = n;
      sttBytes = 0;
    },
    failRest: (s) => {
      restFailure = s;
    },
    close: async () => {
      for (const c of wss.clients) c.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      tls.cleanup();
    },
  };
}
