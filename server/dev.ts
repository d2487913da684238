/** `npm run dev`: the Maya server on MAYA_API_PORT (3001) plus Vite's dev server (hot reload) on PORT (3000). */
import { createServer } from 'vite';
import { loadConfig } from './config.ts';
import { startApp } from './app.ts';

const apiPort = Number(process.env.MAYA_API_PORT ?? 3001);
process.env.MAYA_API_PORT = String(apiPort);
const config = loadConfig({ ...process.env, PORT: String(apiPort) });
const app = await startApp(config, { serveClient: false });
const vite = await createServer({
  configFile: 'vite.config.ts',
  server: { port: Number(process.env.PORT ?? 3000), host: config.HOST },
});
await vite.listen();
vite.printUrls();
app.log.info({ api: app.url }, 'Maya dev server ready');
const stop = async () => {
  await vite.close();
  await app.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
