import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../common/config.ts';
import { embeddedPgDataDir } from '../../common/embedded/postgres.ts';
import { createLogger } from '../../common/logger.ts';
import { openDatabase, runningPort } from './database.ts';

// A platform started with EMBEDDED_PG_PORT=54400 and DATA_DIR=d: a command run with only DATA_DIR=d used to
// connect to the default port 54329 (ECONNREFUSED) instead of the running cluster's.
describe('openDatabase: the running platform’s embedded PostgreSQL', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A DATA_DIR whose cluster "runs" (this process's pid) on `port`, as PostgreSQL writes postmaster.pid. */
  function dataDirRunningOn(port: string): string {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'preempt-cli-db-'));
    chmodSync(dataDir, 0o755); // reachable by others, so the cluster lives inside it (not the root fallback)
    dirs.push(dataDir);
    const pgData = embeddedPgDataDir(dataDir);
    mkdirSync(pgData, { recursive: true });
    writeFileSync(
      path.join(pgData, 'postmaster.pid'),
      `${process.pid}\n${pgData}\n1796519211\n${port}\n/tmp\n127.0.0.1\n  2154499        14\nready   \n`,
    );
    writeFileSync(path.join(path.dirname(pgData), 'postgres-password'), 's3cret/+\n');
    return dataDir;
  }

  it('connects on the port the running cluster listens on, not the configured default', async () => {
    const dataDir = dataDirRunningOn('54400');
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.embeddedPgPort).not.toBe(54400);
    const db = await openDatabase(config, createLogger({ level: 'silent' }));
    expect(db.url).toBe('postgresql://postgres:s3cret%2F%2B@127.0.0.1:54400/postgres');
    expect(db.stop).toBeUndefined();
  });

  it('falls back to EMBEDDED_PG_PORT when postmaster.pid names no port', () => {
    const dataDir = dataDirRunningOn('');
    expect(runningPort(embeddedPgDataDir(dataDir), 54411)).toBe(54411);
  });

  it('sees no running cluster when the pid in postmaster.pid is gone', () => {
    const dataDir = dataDirRunningOn('54400');
    const pgData = embeddedPgDataDir(dataDir);
    writeFileSync(path.join(pgData, 'postmaster.pid'), `2147483646\n${pgData}\n0\n54400\n`);
    expect(runningPort(pgData, 54329)).toBeNull();
  });
});
