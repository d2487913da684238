import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runsOnGlibc } from './mallocArenas.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROBE = 'server/testing/fixtures/launchProbe.ts';
const onGlibc = runsOnGlibc();

/** Start the probe through the launcher; resolves with its first line and a way to stop it. */
function launch(env: Record<string, string | undefined>, args: string[] = []) {
  const childEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/launch.ts', PROBE, ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const firstLine = new Promise<{ arenas: string | null; args: string[] }>((resolve, reject) => {
    child.stdout.on('data', () => {
      const nl = out.indexOf('\n');
      if (nl >= 0)
        resolve(JSON.parse(out.slice(0, nl)) as { arenas: string | null; args: string[] });
    });
    void exited.then(() => reject(new Error(`launcher exited before the entry spoke: ${out}`)));
  });
  return { child, firstLine, exited, output: () => out };
}

describe('launcher (npm start, kiosk)', () => {
  it.runIf(onGlibc)('bounds malloc arenas on glibc and passes the arguments on', async () => {
    const run = launch({ MALLOC_ARENA_MAX: undefined, PROBE_EXIT_AT_ONCE: '1' }, ['--flag', 'x']);
    expect(await run.firstLine).toEqual({ arenas: '2', args: ['--flag', 'x'] });
    expect(await run.exited).toBe(0);
  });

  it('keeps a MALLOC_ARENA_MAX the operator set', async () => {
    const run = launch({ MALLOC_ARENA_MAX: '4', PROBE_EXIT_AT_ONCE: '1' });
    expect((await run.firstLine).arenas).toBe('4');
    await run.exited;
  });

  it("exits with the entry's exit code", async () => {
    const run = launch({ PROBE_EXIT_AT_ONCE: '1', PROBE_EXIT_CODE: '3' });
    expect(await run.exited).toBe(3);
  });

  it('forwards SIGTERM to the entry and waits for it to stop', async () => {
    const run = launch({ PROBE_EXIT_CODE: '5' });
    await run.firstLine;
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(5);
    expect(run.output()).toContain('stopping on SIGTERM');
  });

  it('fails with a usage line when no entry is given', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/launch.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    expect(code).toBe(2);
    expect(err).toContain('usage');
  });
});
