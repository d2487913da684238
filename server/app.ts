/**
 * The composition root: picks the implementation of every adapter from configuration and wires the
 * http server, the websocket transport, the processor and the store together.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { createLogger } from './observability/log.ts';
import { staticHandler } from './http/static.ts';
import { SECURITY_HEADERS, allowedOrigins, bearerMatches, originAllowed } from './http/security.ts';
import { createWsTransport } from './transport/ws.ts';
import { MemorySessionStore } from './store/memory.ts';
import { RedisSessionStore } from './store/redis.ts';
import { SessionSweeper } from './state/sweeper.ts';
import type { SessionStore } from './store/types.ts';
import { StateManager } from './state/manager.ts';
import { Processor } from './conversation/processor.ts';
import { EmbeddedBrain } from './conversation/brain/brain.ts';
import { Metrics } from './observability/metrics.ts';
import { instrumentLlm, instrumentStore } from './observability/instrument.ts';
import { cartesiaCa, checkOperatorKeys, createKeyService } from './keys/compose.ts';
import type { SessionKeyService } from './keys/sessionKeys.ts';
import { createBrainSelector } from './llm/brains.ts';
import { MessageRateLimiter } from './security/rateLimit.ts';
import { PaymentService } from './payments/service.ts';
import { PaymentAnnouncer } from './payments/announcer.ts';
import { createPaymentProvider, paymentTiming } from './payments/provider.ts';
import type { PaymentProvider } from './payments/types.ts';
import { createRoutes } from './http/routes.ts';
import { FliteTts } from './speech/embedded/flite.ts';
import { SoundSwallowerStt, SoundSwallowerVad } from './speech/embedded/soundswallower.ts';
import { SpeechPool } from './speech/embedded/pool.ts';
import { CloudSpeechSessions } from './speech/cartesia/sessions.ts';
import type { Llm } from './conversation/ports.ts';
import type { TextToSpeech } from './speech/types.ts';
import { LocalMenuCatalog, RedisMenuCatalog, loadMenuFile } from './menu/catalog.ts';
import type { MenuCatalog } from './menu/catalog.ts';
import { createAdminRoutes } from './admin/routes.ts';
import type { Menu } from '../shared/menu.ts';

export interface App {
  url: string;
  port: number;
  manager: StateManager;
  payments: PaymentService;
  /** Register `onSessionEnd` hooks here to free per-session resources when a session expires. */
  sweeper: SessionSweeper;
  log: Logger;
  metrics: Metrics;
  /** BYOK: each session's provider keys (for wiring cloud speech per session). */
  keys: SessionKeyService;
  /** The live menu (file, memory or Redis): the back office changes it, every order reads it. */
  menu: MenuCatalog;
  /** The speech worker pool (absent with `speech: false`): stats, health, fault tests. */
  speechPool?: SpeechPool;
  close(): Promise<void>;
}

export interface AppOverrides {
  store?: SessionStore;
  log?: Logger;
  /** Serve the built client; tests of the API alone can turn it off. */
  serveClient?: boolean;
  /** A payment provider instance (tests: shared between app instances, or a stubbed one). */
  paymentProvider?: PaymentProvider;
  /** Embedded speech (listen and talk on /ws); off for tests of the text API alone. Default on. */
  speech?: boolean;
  /** One brain for every session (tests: a slow or failing brain). Default: the brain selector. */
  llm?: Llm;
  /** Maya's embedded voice instead of Flite (tests that measure the listening path alone). */
  tts?: TextToSpeech;
  /** Bound on waiting for in-flight turns at close; default MAYA_SHUTDOWN_GRACE_SECONDS. */
  shutdownGraceMs?: number;
  /** A menu catalog (tests); default: from MAYA_MENU / REDIS_URL. */
  menu?: MenuCatalog;
}

export async function startApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config.LOG_LEVEL);
  // The menu file first: a broken one stops start-up before anything else is opened.
  const seed = overrides.menu ? undefined : loadMenuFile(config.MAYA_MENU);
  const metrics = new Metrics();
  const store = instrumentStore(overrides.store ?? (await createStore(config)), metrics);
  const menu = overrides.menu ?? (await createMenuCatalog(config, seed!));
  const manager = new StateManager(store, {
    expirySeconds: config.MAYA_SESSION_EXPIRY_SECONDS,
    turnLock: { lockTtlMs: config.MAYA_TURN_LOCK_TTL_SECONDS * 1000 },
    menu,
  });
  const sweeper = new SessionSweeper(store, {
    intervalSeconds: config.MAYA_CLEANUP_INTERVAL_SECONDS,
    log,
  });
  sweeper.start();
  const brain = new EmbeddedBrain();
  const keys = createKeyService(config, manager, log);
  void checkOperatorKeys(config, log).catch((err: unknown) =>
    log.warn({ err }, 'operator key check failed'),
  );
  const selectBrain = createBrainSelector({
    embedded: brain,
    keyFor: (id) => keys.keyFor(id, 'gemini'),
    gemini: { model: config.GEMINI_MODEL, baseUrl: config.GEMINI_BASE_URL },
    log,
    onCloudBrain: (id) => sweeper.track(id),
  });
  // A session's Gemini client (and the key it holds) goes when the session ends.
  sweeper.onSessionEnd((id) => selectBrain.release(id));
  // Every brain, embedded or cloud, is timed from outside as the 'brain' stage.
  const llmFor = async (id: string) =>
    instrumentLlm(overrides.llm ?? (await selectBrain(id)), metrics);
  const rateLimiter = new MessageRateLimiter({
    perSession: {
      capacity: config.MAYA_RATE_SESSION_BURST,
      refillPerSecond: config.MAYA_RATE_SESSION_PER_SECOND,
    },
    perAddress: {
      capacity: config.MAYA_RATE_ADDRESS_BURST,
      refillPerSecond: config.MAYA_RATE_ADDRESS_PER_SECOND,
    },
    trustProxy: config.MAYA_TRUST_PROXY,
  });
  // The public URL is known only after listening when PORT=0; providers read it per checkout.
  let publicUrl = config.MAYA_PUBLIC_URL?.replace(/\/+$/, '') ?? '';
  const provider = overrides.paymentProvider ?? createPaymentProvider(config, () => publicUrl);
  const payments = new PaymentService({ manager, provider, log, timing: paymentTiming(config) });
  const processor = new Processor({ manager, llmFor, log, payments, menu });
  const observer = new PaymentAnnouncer((s) => payments.resume(s));
  // The embedded engines are shared by every session; Cartesia sockets are per session (a key each).
  // Recognition (denoise → endpointer → recogniser) runs in a pool of worker threads, one per core by default.
  const speechPool =
    overrides.speech === false
      ? undefined
      : new SpeechPool({
          ...(config.MAYA_SPEECH_WORKERS ? { workers: config.MAYA_SPEECH_WORKERS } : {}),
          menu: menu.current().items,
        });
  // A changed menu reaches the recognisers when its spoken words changed (a new price needs nothing).
  let heard = spokenKey(menu.current());
  menu.onChange((m, version) => {
    log.info({ version, drinks: m.items.length }, 'menu changed');
    const key = spokenKey(m);
    if (key === heard) return;
    heard = key;
    speechPool?.setMenu(m.items);
  });
  speechPool?.onFailure((kind, err) => {
    log.error({ kind, err: err.message }, 'speech engine failed; its worker is replaced');
    metrics.speechEngineFailures.inc({ engine: 'soundswallower', kind });
  });
  if (speechPool) metrics.speechPoolStats = () => speechPool.stats();
  const embeddedSpeech = speechPool && {
    stt: new SoundSwallowerStt({ pool: speechPool }),
    tts: overrides.tts ?? new FliteTts(),
  };
  const cloudSpeech =
    embeddedSpeech &&
    new CloudSpeechSessions({
      keyFor: (id) => keys.keyFor(id, 'cartesia'),
      config,
      ca: cartesiaCa(config),
      embedded: () => embeddedSpeech,
      keyterms: () => menu.current().items.map((i) => i.name),
      onFallback: (id, what, err) => {
        log.warn(
          { sessionId: id, what, err: err instanceof Error ? err.message : String(err) },
          'Cartesia failed; embedded speech takes over',
        );
        metrics.speechFallbacks.inc({ what });
        transport.speechFellBack(id, what);
      },
    });
  const transport = createWsTransport({
    manager,
    processor,
    log,
    metrics,
    keys,
    rateLimiter,
    payments,
    observer,
    ...(cloudSpeech && {
      speech: {
        createVad: () => SoundSwallowerVad.create(speechPool),
        enginesFor: (id: string) => cloudSpeech.speechFor(id),
        release: (id: string) =>
          void cloudSpeech
            .release(id)
            .catch((err: unknown) => log.warn({ err }, 'closing cloud speech failed')),
      },
    }),
  });
  if (cloudSpeech) sweeper.onSessionEnd((id) => cloudSpeech.release(id));
  const routes = createRoutes({ payments, manager, log });
  const serveStatic = staticHandler(config.MAYA_STATIC_DIR);
  const admin = createAdminRoutes({
    token: config.MAYA_ADMIN_TOKEN,
    store,
    menu,
    log,
    page: (req, res) => {
      // The back office is its own page of the built client (vite's second entry).
      req.url = '/admin.html';
      return serveStatic(req, res);
    },
  });

  const origins = allowedOrigins(config.MAYA_PUBLIC_URL, config.MAYA_ALLOWED_ORIGINS);
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
      return;
    }
    if (path === '/metrics') {
      if (
        config.MAYA_METRICS_TOKEN &&
        !bearerMatches(req.headers.authorization, config.MAYA_METRICS_TOKEN)
      ) {
        res
          .writeHead(401, {
            'www-authenticate': 'Bearer realm="metrics"',
            'content-type': 'text/plain',
          })
          .end('A bearer token is required.');
        return;
      }
      metrics.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
        (err: unknown) => {
          log.error({ err }, 'metrics failed');
          res.writeHead(500).end();
        },
      );
      return;
    }
    if (path === '/readyz') {
      // Not ready when the store is down or the embedded speech engine cannot serve (never silence behind "ok").
      const speech = speechPool?.health() ?? { ok: true };
      const answer = (storeOk: boolean) => {
        const ok = storeOk && speech.ok;
        res
          .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
          .end(
            JSON.stringify({ ok, store: store.kind, ...(!speech.ok && { speech: speech.reason }) }),
          );
      };
      store.ping().then(answer, () => answer(false));
      return;
    }
    if (routes.handle(req, res)) return;
    if (admin.handle(req, res)) return;
    if (overrides.serveClient === false || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end();
      return;
    }
    serveStatic(req, res).catch((err: unknown) => {
      log.error({ err }, 'static file failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  server.on('upgrade', (req, socket, head) => {
    if (!transport.accepting) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
      return;
    }
    if ((req.url ?? '').split('?')[0] !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    if (!originAllowed(req, origins)) {
      log.warn({ origin: req.headers.origin }, 'websocket from another origin refused');
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    transport.wss.handleUpgrade(req, socket, head, (ws) =>
      transport.wss.emit('connection', ws, req),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  // Load the recogniser and the synthesiser now, so the first guest does not wait for them.
  if (embeddedSpeech)
    void Promise.all([
      embeddedSpeech.stt.warmUp(),
      embeddedSpeech.tts instanceof FliteTts && embeddedSpeech.tts.warmUp(),
    ]).catch((err: unknown) => log.error({ err }, 'speech engines failed to load'));
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  publicUrl ||= `http://${host}:${port}`;
  // After a restart: resume polling open checkouts and reconcile flagged payments.
  await store
    .listIds()
    .then((ids) => payments.recover(ids))
    .catch((err: unknown) => log.error({ err }, 'payment recovery failed'));

  return {
    url: `http://${host}:${port}`,
    port,
    manager,
    payments,
    sweeper,
    log,
    metrics,
    keys,
    menu,
    ...(speechPool && { speechPool }),
    async close() {
      // Graceful: refuse new connections and messages, let the turns already taken finish (bounded),
      // so their state changes are committed and their replies sent, then close everything.
      transport.stopAccepting();
      const serverClosed = new Promise<void>((r) => server.close(() => r()));
      const graceMs = overrides.shutdownGraceMs ?? config.MAYA_SHUTDOWN_GRACE_SECONDS * 1000;
      const started = Date.now();
      const drained =
        (await transport.drain(graceMs)) &&
        (await manager.turns.drain(Math.max(0, graceMs - (Date.now() - started))));
      if (!drained)
        log.warn(
          { graceMs, busySessions: manager.turns.busySessions() },
          'shutdown grace ran out with turns still running',
        );
      payments.close();
      await transport.close();
      await cloudSpeech?.closeAll();
      await Promise.all([
        embeddedSpeech?.stt.close(),
        embeddedSpeech?.tts.close(),
        speechPool?.close(),
      ]);
      await serverClosed;
      await sweeper.stop();
      await store.close();
      await menu.close();
    },
  };
}

/** The words the recogniser must know of a menu (names, aliases, categories): prices are not among them. */
function spokenKey(menu: Menu): string {
  return JSON.stringify(menu.items.map((i) => [i.name, i.category, i.aliases]));
}

/**
 * MAYA_MENU's file (or the bundled menu); with REDIS_URL the menu lives in Redis, shared by every
 * process (the file seeds it when Redis has none). Throws MenuFileError for a broken file.
 */
async function createMenuCatalog(config: Config, seed: Menu): Promise<MenuCatalog> {
  if (config.REDIS_URL)
    return RedisMenuCatalog.connect({
      url: config.REDIS_URL,
      keyPrefix: config.MAYA_REDIS_KEY_PREFIX,
      seed,
    });
  return new LocalMenuCatalog(seed, config.MAYA_MENU);
}

/** Memory by default; Redis when REDIS_URL is set (then sessions are shared between processes). */
async function createStore(config: Config): Promise<SessionStore> {
  if (!config.REDIS_URL) return new MemorySessionStore();
  return RedisSessionStore.connect({
    url: config.REDIS_URL,
    keyPrefix: config.MAYA_REDIS_KEY_PREFIX,
  });
}
