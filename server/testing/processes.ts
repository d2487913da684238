/** Child processes for cross-process tests: a store hammer, or a whole Maya server. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD_START_TIMEOUT_MS = 20_000;

function tsxNode(script: string, env: Record<string, string>, launched = false): ChildProcess {
  const entry = launched ? ['server/launch.ts', script] : [script];
  return spawn(process.execPath, ['--import', 'tsx', ...entry], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Run server/testing/hammerStore.ts to completion; resolves with its JSON line. */
export function runHammer(env: Record<string, string>): Promise<Record<string, number>> {
  const child = tsxNode('server/testing/hammerStore.ts', env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`hammer exited ${code}: ${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>);
    });
  });
}

export interface ServerProcess {
  url: string;
  wsUrl: string;
  /** SIGTERM and wait for a clean exit (graceful shutdown). */
  stop(): Promise<number | null>;
}

/** Start `server/main.ts` as `npm start` does (through the launcher) on a free port and wait for the URL it prints. */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = tsxNode('server/main.ts', { PORT: '0', HOST: '127.0.0.1', ...env }, true);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // SIGTERM, not SIGKILL: the launcher forwards it (a killed launcher would leave the server running).
      child.kill('SIGTERM');
      reject(new Error(`server did not start: ${stderr}`));
    }, CHILD_START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}: ${stderr}`));
    });
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /pouring at (http:\/\/\S+)/.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const url = m[1]!;
      resolve({
        url,
        wsUrl: `${url.replace('http', 'ws')}/ws`,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode);
            child.once('exit', (code) => done(code));
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
