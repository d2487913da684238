/**
 * The websocket transport at /ws: hello/welcome with resume, typed turns, state pushes, coded errors.
 * A bad message never closes the connection or harms the session.
 */
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { WebSocket, RawData } from 'ws';
import type { Logger } from 'pino';
import {
  MAX_TEXT_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  parseClientMessage,
} from '../../shared/protocol.ts';
import type { ClientMessage, ErrorMessage, ServerMessage } from '../../shared/protocol.ts';
import { DomainError } from '../domain/errors.ts';
import type { StateManager } from '../state/manager.ts';
import { StoreUnavailableError } from '../store/types.ts';
import { toPublicState } from '../domain/session.ts';
import type { SessionState } from '../domain/session.ts';
import type { Processor } from '../conversation/processor.ts';
import type { Metrics } from '../observability/metrics.ts';
import { speechStageObserver } from '../observability/speechStages.ts';
import type { IncomingMessage } from 'node:http';
import type { SessionKeyService } from '../keys/sessionKeys.ts';
import type { MessageRateLimiter } from '../security/rateLimit.ts';
import type { PaymentService } from '../payments/service.ts';
import type { SessionObserver } from '../payments/announcer.ts';
import { pressPaymentButton } from '../payments/buttons.ts';
import { SpeechSession } from '../speech/session.ts';
import type { SpeechEngines } from '../speech/session.ts';
import type { Vad } from '../speech/types.ts';
import { SPEECH_FALLBACK_NOTICE } from '../speech/withFallback.ts';

/** Hard ceiling enforced by `ws` itself (the socket closes past it); our own caps are far below. */
export const WS_MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Largest binary (audio) frame accepted: 100 ms of 16 kHz s16 is 3,200 bytes. */
export const MAX_BINARY_FRAME_BYTES = 16 * 1024;

export interface TransportDeps {
  manager: StateManager;
  processor: Processor;
  log: Logger;
  metrics: Metrics;
  /** BYOK keys per session (absent: set_keys is refused). */
  keys?: SessionKeyService;
  /** Token buckets per session and per client address (absent: no limit). */
  rateLimiter?: MessageRateLimiter;
  /** The Pay / Cancel buttons. */
  payments?: PaymentService;
  /** Out-of-turn announcements derived from committed changes (payment succeeded / failed). */
  observer?: SessionObserver;
  /** Speech engines; without them binary (audio) frames are refused with a coded error. */
  speech?: TransportSpeech;
}

export interface TransportSpeech {
  createVad: () => Promise<Vad>;
  /** A session's engines: Cartesia (embedded behind it) with a key, else the embedded ones. */
  enginesFor: (sessionId: string) => Promise<SpeechEngines>;
  /** Nothing of this session is connected to this process any more: free its cloud sockets. */
  release?: (sessionId: string) => void;
}

export function createWsTransport({
  manager,
  processor,
  log,
  metrics,
  keys,
  rateLimiter,
  payments,
  observer,
  speech,
}: TransportDeps) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES });
  const bySession = new Map<string, Set<WebSocket>>();
  // The speech pipeline of each socket that has sent audio.
  const voiceOf = new WeakMap<WebSocket, SpeechSession>();
  const voicesOf = (sessionId: string) =>
    [...(bySession.get(sessionId) ?? [])].flatMap((ws) => voiceOf.get(ws) ?? []);
  // Graceful shutdown: once false, new messages are refused; handlers already running are awaited.
  let accepting = true;
  const inFlight = new Set<Promise<unknown>>();

  const send = (ws: WebSocket, msg: ServerMessage) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(msg));
    metrics.wsMessages.inc({ direction: 'out', type: msg.type });
    if (msg.type === 'error') metrics.errors.inc({ code: msg.code });
  };
  const sendError = (ws: WebSocket, code: ErrorMessage['code'], message: string) =>
    send(ws, { type: 'error', code, message });

  // Every committed change reaches every socket bound to that session (with Redis: from any process).
  const unsubscribe = manager.store.onChange((state: SessionState) => {
    for (const ws of bySession.get(state.id) ?? [])
      send(ws, { type: 'state', state: toPublicState(state) });
    const said = observer?.changed(state);
    if (!said) return;
    const { error, ...reply } = said;
    for (const ws of bySession.get(state.id) ?? []) {
      send(ws, { type: 'reply', ...reply });
      if (error) sendError(ws, error.code, error.message);
    }
  });

  wss.on('connection', (ws: WebSocket, req?: IncomingMessage) => {
    let sessionId: string | null = null;
    metrics.openSockets.inc();
    const address = rateLimiter?.addressOf(req) ?? 'unknown';
    // Created by the first audio frame; from then on Maya also speaks her replies on this socket.
    let voice: SpeechSession | null = null;
    const observeStages = speechStageObserver(metrics);
    const startVoice = (id: string, engines: TransportSpeech) =>
      new SpeechSession({
        createVad: engines.createVad,
        engines: () => engines.enginesFor(id),
        runTurn: async (text, meta, onSentence, signal) => {
          const turn = await metrics.time('turn', () =>
            processor.handleTurn(id, text, { ...meta, onSentence, signal }),
          );
          voice?.expectAnswer(awaitsAnswer(turn.state));
          send(ws, { type: 'reply', text: turn.text, emotion: turn.emotion });
          return turn;
        },
        replyHeard: (said, heard) => {
          processor
            .replyHeard(id, said, heard)
            .catch((err: unknown) =>
              log.warn({ err, sessionId: id }, 'could not trim the history to what was heard'),
            );
        },
        send: (msg) => {
          observeStages(msg);
          send(ws, msg);
        },
        sendAudio: (pcm) => {
          if (ws.readyState === ws.OPEN)
            ws.send(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength), { binary: true });
        },
        log: log.child({ sessionId: id }),
      });

    const bind = (id: string) => {
      if (sessionId) bySession.get(sessionId)?.delete(ws);
      sessionId = id;
      const set = bySession.get(id) ?? new Set<WebSocket>();
      set.add(ws);
      bySession.set(id, set);
      metrics.connectedSessions.set(bySession.size);
    };

    const hello = async (msg: Extract<ClientMessage, { type: 'hello' }>) => {
      if (msg.protocol !== undefined && msg.protocol !== PROTOCOL_VERSION) {
        sendError(
          ws,
          'UNSUPPORTED_PROTOCOL',
          `This server speaks protocol ${PROTOCOL_VERSION}, not ${msg.protocol}.`,
        );
        return;
      }
      let state: SessionState | null = null;
      if (msg.sessionId) {
        const existing = await manager.store.get(msg.sessionId).catch(() => null);
        if (existing && msg.resumeToken && tokensEqual(existing.resumeToken, msg.resumeToken))
          state = existing;
        else
          sendError(
            ws,
            'INVALID_SESSION',
            'That session has expired or cannot be resumed; starting a new tab.',
          );
      }
      const resumed = state !== null;
      // A guest who comes back counts as activity: the idle-expiry clock restarts (a fresh copy is a write).
      if (state) state = (await manager.mutate(state.id, (s) => ({ ...s }))).state;
      state ??= await manager.createSession();
      bind(state.id);
      observer?.bound(state);
      log.info({ sessionId: state.id, resumed }, 'hello');
      send(ws, {
        type: 'welcome',
        protocol: PROTOCOL_VERSION,
        sessionId: state.id,
        resumeToken: state.resumeToken,
        resumed,
        state: toPublicState(state),
      });
      // The key dialog shows which keys are in use: the guest's own (after a resume) or the bar's.
      if (keys && (keys.hasOperatorKeys() || (resumed && (await keys.hasKeys(state.id)))))
        send(ws, await keys.status(state.id));
    };

    const handle = async (msg: ClientMessage) => {
      if (msg.type === 'hello') return hello(msg);
      if (!sessionId) return sendError(ws, 'HELLO_REQUIRED', 'Say hello first: {"type":"hello"}.');
      const id = sessionId;
      switch (msg.type) {
        case 'user_text': {
          // With voice on, Maya speaks each sentence as soon as the brain has written it.
          const spoken = voice?.replyStream();
          try {
            const turn = await metrics.time('turn', () =>
              processor.handleTurn(
                id,
                msg.text,
                spoken ? { onSentence: (s) => spoken.push(s), signal: spoken.signal } : {},
              ),
            );
            voice?.expectAnswer(awaitsAnswer(turn.state));
            send(ws, { type: 'reply', text: turn.text, emotion: turn.emotion });
            spoken?.settle(turn.text);
          } finally {
            spoken?.end();
          }
          return;
        }
        case 'barge_in':
        case 'end_of_speech':
        case 'playback':
          voice?.control(msg);
          return;
        case 'set_tip':
          await processor.serialised(id, () => manager.setTip(id, msg.percent, true));
          return;
        case 'set_keys': {
          if (!keys) return sendError(ws, 'INVALID_MESSAGE', 'This server does not take keys.');
          const given = {
            ...(msg.gemini !== undefined ? { gemini: msg.gemini } : {}),
            ...(msg.cartesia !== undefined ? { cartesia: msg.cartesia } : {}),
          };
          send(ws, await keys.setKeys(id, given));
          // A new Cartesia key (or none) changes the voice of every socket of this session.
          if (given.cartesia !== undefined) for (const v of voicesOf(id)) v.refreshEngines();
          return;
        }
        case 'pay':
        case 'cancel_payment': {
          if (!payments)
            return sendError(
              ws,
              'PAYMENT_UNAVAILABLE',
              'Payments are not available on this server.',
            );
          const said = await processor.serialised(id, () =>
            pressPaymentButton(payments, manager, id, msg.type),
          );
          send(ws, { type: 'reply', ...said });
          voice?.speak(said.text);
          return;
        }
      }
    };

    ws.on('message', (data: RawData, isBinary: boolean) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary) {
        if (buf.length > MAX_BINARY_FRAME_BYTES)
          return sendError(
            ws,
            'MESSAGE_TOO_LARGE',
            `Audio frames are limited to ${MAX_BINARY_FRAME_BYTES} bytes.`,
          );
        if (!speech)
          return sendError(
            ws,
            'INVALID_MESSAGE',
            'Voice input is not enabled on this server; send {"type":"user_text"} instead.',
          );
        if (!sessionId)
          return sendError(ws, 'HELLO_REQUIRED', 'Say hello first: {"type":"hello"}.');
        if (buf.length % 2 !== 0)
          return sendError(
            ws,
            'INVALID_MESSAGE',
            'Audio frames are 16-bit samples: an even number of bytes.',
          );
        if (!voice) {
          voice = startVoice(sessionId, speech);
          voiceOf.set(ws, voice);
        }
        // Copy: the Int16Array needs its own aligned buffer.
        voice.pushAudio(new Int16Array(new Uint8Array(buf).buffer));
        return;
      }
      if (buf.length > MAX_TEXT_MESSAGE_BYTES)
        return sendError(
          ws,
          'MESSAGE_TOO_LARGE',
          `Messages are limited to ${MAX_TEXT_MESSAGE_BYTES} bytes.`,
        );
      const allowed = rateLimiter?.check(address, sessionId) ?? { ok: true };
      if (!allowed.ok) return sendError(ws, 'RATE_LIMITED', allowed.message);
      const parsed = parseClientMessage(buf.toString('utf8'));
      metrics.wsMessages.inc({
        direction: 'in',
        type: parsed.ok ? parsed.message.type : 'invalid',
      });
      if (!parsed.ok) return send(ws, parsed.error);
      if (!accepting)
        return sendError(
          ws,
          'SHUTTING_DOWN',
          'Maya is closing up this server; reconnect in a moment and your tab will be there.',
        );
      const handled = handle(parsed.message).catch((e: unknown) => {
        if (e instanceof DomainError) return sendError(ws, e.code, e.message);
        if (e instanceof StoreUnavailableError) {
          log.warn({ err: e, sessionId }, 'store unavailable');
          return sendError(
            ws,
            'STORE_UNAVAILABLE',
            "We're having trouble reaching the tab; please try again.",
          );
        }
        log.error({ err: e, sessionId }, 'message failed');
        sendError(ws, 'INTERNAL', 'Something went wrong on our side; your tab is safe.');
      });
      inFlight.add(handled);
      void handled.finally(() => inFlight.delete(handled));
    });

    ws.on('close', () => {
      metrics.openSockets.dec();
      voice?.close();
      if (!sessionId) return;
      const set = bySession.get(sessionId);
      set?.delete(ws);
      if (set?.size === 0) {
        bySession.delete(sessionId);
        observer?.unbound(sessionId);
        speech?.release?.(sessionId);
      }
      metrics.connectedSessions.set(bySession.size);
    });
    ws.on('error', (err) => log.warn({ err, sessionId }, 'socket error'));
  });

  return {
    wss,
    connectedSessions: () => bySession.size,
    /**
     * A session's cloud speech failed and the embedded engine took over. The voice says so itself
     * (inside the reply); a recogniser switch is announced here, on every socket of the session.
     */
    speechFellBack: (sessionId: string, what: 'tts' | 'stt') => {
      if (what === 'stt') for (const v of voicesOf(sessionId)) v.announce(SPEECH_FALLBACK_NOTICE);
    },
    /** Stop taking new messages; those already being handled carry on (see `drain`). */
    stopAccepting: () => {
      accepting = false;
    },
    get accepting() {
      return accepting;
    },
    /** Wait for every message being handled to finish (reply sent), at most `timeoutMs`; true when drained. */
    drain: async (timeoutMs: number): Promise<boolean> => {
      const deadline = Date.now() + timeoutMs;
      while (inFlight.size > 0) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all(inFlight),
          new Promise<void>((r) => (timer = setTimeout(r, left))),
        ]);
        clearTimeout(timer);
      }
      return true;
    },
    close: async () => {
      unsubscribe();
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}

function tokensEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** A read-back is open ("Just to check — two IPAs?"): the guest's next words are most likely a yes or a no. */
const awaitsAnswer = (state: SessionState) => state.conversation.pending?.kind === 'confirm_order';
