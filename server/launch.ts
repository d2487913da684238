/**
 * Starts a long-running entry point (`npm start`, `npm run kiosk`, the memory benches) in a child
 * Node process whose environment bounds glibc's malloc arenas, and stands in for it: signals go to
 * the child, the child's exit is this process's exit.
 *
 * Why: each speech and voice worker thread grows a malloc arena of its own, and with glibc's default
 * (8 per core) a server's RSS rose 807 → 944 MB over 1,000 voice sessions from session 300 (+17 %,
 * WASM and JS heaps flat); with MALLOC_ARENA_MAX=2 it was 747 → 777 MB (+4 %). glibc reads the
 * variable once, when the process starts, so it cannot be set from inside Node, and an inline
 * `MALLOC_ARENA_MAX=2 tsx …` in package.json would break `npm start` under Windows' shell. This
 * launcher replaces the `tsx` command's own parent process, so it costs no extra process.
 *
 * Usage: node --import tsx server/launch.ts <entry.ts> [args…]
 * A MALLOC_ARENA_MAX already set (any value) is kept; on other C libraries nothing is set.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { launchEnvironment, runsOnGlibc } from './mallocArenas.ts';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node --import tsx server/launch.ts <entry.ts> [args…]');
  process.exit(2);
}
// process.execArgv carries `--import tsx` (and any flag given to this launcher) to the child.
const child = spawn(process.execPath, [...process.execArgv, entry, ...args], {
  stdio: 'inherit',
  env: launchEnvironment(process.env, runsOnGlibc()),
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  // The child decides how to stop (a terminal's Ctrl-C reaches it directly too; its stop is idempotent).
  process.on(signal, () => child.kill(signal));
}
child.on('error', (err) => {
  console.error(`Maya could not start ${entry}: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
});
