/**
 * `npm run kiosk`: start Maya and print the kiosk URL (full screen, hands-free, QR payment).
 * MAYA_KIOSK_IDLE_SECONDS sets how long a silent guest may stay before the "Still there?" warning.
 */
import { z } from 'zod';
import { loadConfig } from './config.ts';
import { startApp } from './app.ts';

const idleSeconds = z.coerce
  .number()
  .positive()
  .optional()
  .parse(process.env.MAYA_KIOSK_IDLE_SECONDS || undefined);
const config = loadConfig();
const app = await startApp(config);
const url = `${app.url}/?kiosk=1${idleSeconds ? `&idle=${idleSeconds}` : ''}`;
app.log.info({ url }, 'Maya kiosk is ready');
console.log(
  `\n  Maya's kiosk is at ${url}\n  Open it full screen, e.g.: chromium --kiosk --autoplay-policy=no-user-gesture-required "${url}"\n`,
);

let stopping = false;
const stop = () => {
  // Once: a terminal's Ctrl-C reaches both the launcher (which forwards it) and this process.
  if (stopping) return;
  stopping = true;
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
