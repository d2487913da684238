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
import type { SessionStore } from './store/types.ts';
import { StateManager } from './state/manager.ts';
import { Processor } from './conversation/processor.ts';
import { EmbeddedBrain } from './conversation/brain/brain.ts';
import { FliteTts } from './speech/embedded/flite.ts';
import { SoundSwallowerStt, SoundSwallowerVad } from './speech/embedded/soundswallower.ts';

export interface App {
  url: string;
  port: number;
  manager: StateManager;
  log: Logger;
  close(): Promise<void>;
}

export interface AppOverrides {
  store?: SessionStore;
  log?: Logger;
  /** Serve the built client; tests of the API alone can turn it off. */
  serveClient?: boolean;
  /** Embedded speech (listen and talk on /ws); off for tests of the text API alone. Default on. */
  speech?: boolean;
}

export async function startApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config.LOG_LEVEL);
  const store = overrides.store ?? new MemorySessionStore();
  const manager = new StateManager(store, { expirySeconds: config.MAYA_SESSION_EXPIRY_SECONDS });
  const brain = new EmbeddedBrain();
  const processor = new Processor({ manager, llmFor: () => brain, log });
  const speech = overrides.speech === false ? undefined : { stt: new SoundSwallowerStt(), tts: new FliteTts(), createVad: () => SoundSwallowerVad.create() };
  const transport = createWsTransport({ manager, processor, log, ...(speech ? { speech } : {}) });
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
  // Load the recogniser and the synthesiser now, so the first guest does not wait for them.
  if (speech) void Promise.all([speech.stt.warmUp(), speech.tts.warmUp()]).catch((err: unknown) => log.error({ err }, 'speech engines failed to load'));
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;

  return {
    url: `http://${host}:${port}`,
    port,
    manager,
    log,
    async close() {
      await transport.close();
      await Promise.all([speech?.stt.close(), speech?.tts.close()]);
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
    },
  };
}
