// What every command-line entry point does first: read .env if present, then the configuration, stopping with
// one clear line and exit code 78 (EX_CONFIG) when a setting is wrong; and where a path given on its command line
// points (cliPath).
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.ts';

/**
 * A file or folder named on the command line, made absolute against the folder the user ran the command from.
 * `npm run` starts a script in the project root and passes the caller's folder as INIT_CWD, so a relative path is
 * resolved against INIT_CWD when it is set, else against the working directory (a CLI started with node or tsx
 * directly). An absolute path stays as it is; an empty or blank one is returned unchanged for the caller's own
 * check.
 */
export function cliPath(given: string, env: NodeJS.ProcessEnv = process.env): string {
  if (given.trim() === '') return given;
  return path.resolve(env.INIT_CWD || process.cwd(), given);
}

/**
 * Who runs a command, for the records it writes ("cli:<user>" as a history's author): the login name of the
 * process, else USER or LOGNAME, else "unknown". USER alone is unset under cron, in containers and in `su -c`.
 */
export function cliUser(
  env: NodeJS.ProcessEnv = process.env,
  userInfo: () => { username: string } = os.userInfo,
): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // no entry in the passwd file (a container's arbitrary uid)
  }
  return env.USER || env.LOGNAME || 'unknown';
}

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
