import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from '@playwright/test';

/** Debian's Chromium (no browser downloads here), headless, with a fake microphone available. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

/**
 * The default fake microphone plays a beep, which a listening kiosk would take for a guest. Tests
 * that do not speak get one second of silence, looped; voice tests launch with their own WAV.
 */
function silentWav(): string {
  const dir = resolve('test-results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'silence.wav');
  const samples = 16_000;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples * 2, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(16_000, 24);
  header.writeUInt32LE(32_000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples * 2, 40);
  writeFileSync(path, Buffer.concat([header, Buffer.alloc(samples * 2)]));
  return path;
}

const port = Number(process.env.E2E_PORT ?? 3123);
/** The back office's token on the test server (e2e/admin.spec.ts signs in with it). */
export const ADMIN_TOKEN = 'e2e-back-office-token';

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        ...CHROMIUM_ARGS,
        `--use-file-for-fake-audio-capture=${silentWav()}`,
        '--autoplay-policy=no-user-gesture-required',
      ],
    },
    viewport: { width: 1280, height: 800 },
    trace: 'off',
  },
  webServer: {
    // The e2e build of the client (`npm run test:e2e` builds it first: `vite build --mode e2e`, with
    // the test hooks) served by the real server, memory store, started as `npm start` starts it.
    command: 'node --import tsx server/launch.ts server/main.ts',
    url: `http://127.0.0.1:${port}/healthz`,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      MAYA_ADMIN_TOKEN: ADMIN_TOKEN,
      MAYA_STATIC_DIR: 'dist/e2e',
    },
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
