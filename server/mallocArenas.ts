/**
 * glibc's malloc arenas, bounded for long-running entry points (see launch.ts for why and the
 * figures). No side effects: the launcher and its tests both read these.
 */

/** Arenas per process: two let the main thread and a worker allocate at once; more only hold freed memory. */
const BOUNDED_ARENAS = 2;

/** Whether this process runs on glibc (the only C library that reads MALLOC_ARENA_MAX). */
export function runsOnGlibc(): boolean {
  if (process.platform !== 'linux') return false;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } })
    ?.header;
  return typeof header?.glibcVersionRuntime === 'string';
}

/** The environment an entry point runs with: MALLOC_ARENA_MAX bounded on glibc, unless already set. */
export function launchEnvironment(env: NodeJS.ProcessEnv, usesGlibc: boolean): NodeJS.ProcessEnv {
  if (!usesGlibc || env.MALLOC_ARENA_MAX !== undefined) return env;
  return { ...env, MALLOC_ARENA_MAX: String(BOUNDED_ARENAS) };
}
