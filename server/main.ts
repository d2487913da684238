/** `npm start`: load configuration, start Maya, stop cleanly on SIGINT/SIGTERM. */
import { loadConfig } from './config.ts';
import { startApp } from './app.ts';
import type { App } from './app.ts';

let app: App;
try {
  app = await startApp(loadConfig());
} catch (err) {
  // A bad configuration or menu file: say what and where, and exit non-zero (no stack trace for a typo).
  console.error(`Maya could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
app.log.info({ url: app.url }, 'Maya is ready');
console.log(`\n  Maya is pouring at ${app.url}\n`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  app.close().then(
    () => process.exit(0),
    (err: unknown) => {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
