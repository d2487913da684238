/** `npm start`: load configuration, start Maya, stop cleanly on SIGINT/SIGTERM. */
import { loadConfig } from './config.ts';
import { startApp } from './app.ts';

const config = loadConfig();
const app = await startApp(config);
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
