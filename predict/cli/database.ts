// The database a command-line tool uses: DATABASE_URL, or the embedded PostgreSQL under DATA_DIR — the running
// platform's if it is up (never started a second time: that would stop the platform's), else started here.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../common/config.ts';
import { embeddedPgDataDir, startEmbeddedPostgres } from '../../common/embedded/postgres.ts';
import type { Logger } from '../../common/logger.ts';

function running(pgData: string): boolean {
  const pidFile = path.join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function openDatabase(
  config: Config,
  log: Logger,
): Promise<{ url: string; stop?: () => Promise<void> }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const pgData = embeddedPgDataDir(config.dataDir);
  if (running(pgData)) {
    const password = readFileSync(path.join(path.dirname(pgData), 'postgres-password'), 'utf8').trim();
    return {
      url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.embeddedPgPort}/postgres`,
    };
  }
  const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log });
  return { url: pg.url, stop: () => pg.stop() };
}
