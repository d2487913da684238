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
import { createWsTransport } from './transport/ws.ts';
import { MemorySessionStore } from './store/memory.ts';
import { RedisSessionStore } from './store/redis.ts';
import { SessionSweeper } from './state/sweeper.ts';
import type { SessionStore } from './store/types.ts';
import { StateManager } from './state/manager.ts';
import { Processor } from './conversation/processor.ts';
import { EmbeddedBrain } from './conversation/brain/brain.ts';

export interface App {
  url: string;
  port: number;
  manager: StateManager;
  /** Register `onSessionEnd` hooks here to free per-session resources when a session expires. */
  sweeper: SessionSweeper;
  log: Logger;
  close(): Promise<void>;
}

export interface AppOverrides {
  store?: SessionStore;
  log?: Logger;
  /** Serve the built client; tests of the API alone can turn it off. */
  serveClient?: boolean;
}

export async function startApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config.LOG_LEVEL);
  const store = overrides.store ?? (await createStore(config));
  const manager = new StateManager(store, {
    expirySeconds: config.MAYA_SESSION_EXPIRY_SECONDS,
    turnLock: { lockTtlMs: config.MAYA_TURN_LOCK_TTL_SECONDS * 1000 },
  });
  const sweeper = new SessionSweeper(store, { intervalSeconds: config.MAYA_CLEANUP_INTERVAL_SECONDS, log });
  sweeper.start();
  const brain = new EmbeddedBrain();
  const processor = new Processor({ manager, llmFor: () => brain, log });
  const transport = createWsTransport({ manager, processor, log });
  const serveStatic = staticHandler(config.MAYA_STATIC_DIR);

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
      return;
    }
    if (path === '/readyz') {
      store.ping().then(
        (ok) => res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok, store: store.kind })),
        () => res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, store: store.kind })),
      );
      return;
    }
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
    if ((req.url ?? '').split('?')[0] !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    transport.wss.handleUpgrade(req, socket, head, (ws) => transport.wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;

  return {
    url: `http://${host}:${port}`,
    port,
    manager,
    sweeper,
    log,
    async close() {
      await transport.close();
      await new Promise<void>((r) => server.close(() => r()));
      await sweeper.stop();
      await store.close();
    },
  };
}

/** Memory by default; Redis when REDIS_URL is set (then sessions are shared between processes). */
async function createStore(config: Config): Promise<SessionStore> {
  if (!config.REDIS_URL) return new MemorySessionStore();
  return RedisSessionStore.connect({ url: config.REDIS_URL, keyPrefix: config.MAYA_REDIS_KEY_PREFIX });
}
