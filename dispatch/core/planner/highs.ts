/** Loads the HiGHS WebAssembly solver once per process; a crashed runtime is discarded. */
import highsModule from 'highs';
import type { Highs, InitOptions } from 'highs';

type Loader = (options?: InitOptions) => Promise<Highs>;

// The package's typings describe its CommonJS build; the ESM build exports the loader as default.
const loader = ((highsModule as unknown as { default?: Loader }).default ?? highsModule) as unknown as Loader;

let cached: Promise<Highs> | null = null;

export function getHighs(): Promise<Highs> {
  if (cached === null) cached = loader({ print: () => undefined, printErr: () => undefined });
  return cached;
}

/** Forget the runtime (after an abort, the Wasm instance is unusable). */
export function resetHighs(): void {
  cached = null;
}
