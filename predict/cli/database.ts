// The database a command-line tool uses: DATABASE_URL, or the embedded PostgreSQL under DATA_DIR — the running
// platform's if it is up (never started a second time: that would stop the platform's), else started here. A
// running cluster is reached on the port it listens on (its postmaster.pid says), so a platform started with its
// own EMBEDDED_PG_PORT is found from DATA_DIR alone.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../common/config.ts';
import { embeddedPgDataDir, startEmbeddedPostgres } from '../../common/embedded/postgres.ts';
import type { Logger } from '../../common/logger.ts';

/**
 * The port of the cluster running in `pgData`, or null when none runs there. postmaster.pid holds the pid on its
 * first line and the port on its fourth; `fallbackPort` when that line is unreadable.
 */
export function runningPort(pgData: string, fallbackPort: number): number | null {
  const pidFile = path.join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  const port = Number(lines[3]);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : fallbackPort;
}

export async function openDatabase(
  config: Config,
  log: Logger,
): Promise<{ url: string; stop?: () => Promise<void> }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const pgData = embeddedPgDataDir(config.dataDir);
  const port = runningPort(pgData, config.embeddedPgPort);
  if (port !== null) {
    const password = readFileSync(path.join(path.dirname(pgData), 'postgres-password'), 'utf8').trim();
    return { url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres` };
  }
  const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log });
  return { url: pg.url, stop: () => pg.stop() };
}
