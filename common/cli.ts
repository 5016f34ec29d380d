// What every command-line entry point does first: read .env if present, then the configuration, stopping with
// one clear line and exit code 78 (EX_CONFIG) when a setting is wrong.
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from './config.ts';

/** Calls `stop` once, on the first SIGINT, SIGTERM or SIGHUP (a closed terminal); later signals wait for it. */
export function onStopSignal(stop: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void stop(signal);
    });
}

export function configOrExit(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`preempt: configuration error: ${err.message}`);
    process.exit(78);
  }
}
