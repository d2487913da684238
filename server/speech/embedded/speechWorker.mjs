// Entry point of a speech worker thread. Plain JS on purpose: Node loads a worker's entry without the
// TypeScript loader the server runs under (tsx) or the one tests run under (vitest), so the worker
// registers tsx for its own imports (scoped: tsImport) and then runs the TypeScript worker body,
// which imports the recogniser, grammar and denoiser modules as they are.
import { tsImport } from 'tsx/esm/api';

await tsImport('./speechWorker.ts', import.meta.url);
