/**
 * The soundswallower WASM module, loaded once per thread (each speech worker has its own). Kept apart
 * from the pool and the facades so the worker imports the engine without the main-thread machinery.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createModule from 'soundswallower';
import type { SoundSwallowerModule } from 'soundswallower';

let modulePromise: Promise<SoundSwallowerModule> | null = null;

/** The WASM module, loaded once per thread. */
export function loadSoundSwallower(): Promise<SoundSwallowerModule> {
  // soundswallower resolves its default model against the working directory: give it absolute paths.
  const base = dirname(fileURLToPath(import.meta.resolve('soundswallower')));
  const settings: Partial<SoundSwallowerModule> & { modelBase: string } = {
    modelBase: `${join(base, 'model')}/`,
  };
  modulePromise ??= createModule(settings).then((ss) => {
    // soundswallower 0.6.3 reads each model file into a buffer of length+1 and then writes a NUL
    // one byte past its end (load_to_s3file; found by reading its code). One spare byte on every
    // JS-side allocation keeps that write inside the block.
    // (The first call replaces Module._malloc with the raw export, so resolve that before wrapping.)
    ss._free(ss._malloc(1));
    const malloc = ss._malloc;
    ss._malloc = (size: number) => malloc(size + 1);
    return ss;
  });
  return modulePromise;
}
