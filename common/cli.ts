// What every command-line entry point does first: read .env if present, then the configuration, stopping with
// one clear line and exit code 78 (EX_CONFIG) when a setting is wrong.
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from './config.ts';

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
