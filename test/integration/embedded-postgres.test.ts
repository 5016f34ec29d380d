// The embedded PostgreSQL runs in a process group of its own, so a Ctrl-C in the terminal reaches the platform
// (which flushes ingest, then stops the database) and not the database; and it still does not outlive its parent.
// A second start on the same data (a second `npm start` in the same folder) leaves a running platform's server
// alone and says why; a server whose parent was killed is stopped and replaced.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  alive,
  removeEmbeddedPostgresFallback,
  startEmbeddedPostgres,
} from '../../common/embedded/postgres.ts';
import { eventually } from '../helpers/platform.ts';
import { freePort } from '../helpers/ports.ts';

/** The process group of `pid` (field 5 of /proc/<pid>/stat, the 3rd after the command name). */
const processGroup = (pid: number | 'self') => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
};
const postmasterPid = (dataDir: string) =>
  Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

describe.skipIf(process.platform !== 'linux')('embedded PostgreSQL process', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'preempt-embedded-pg-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) {
      removeEmbeddedPostgresFallback(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs in a process group of its own, not the one a terminal Ctrl-C signals, and stops with its handle', async () => {
    const pg = await startEmbeddedPostgres({ dataDir: tempDir(), port: await freePort(), persistent: false });
    dirs.push(path.dirname(pg.dataDir)); // as root, a private temp folder moves it to /var/lib/preempt/…
    const pid = postmasterPid(pg.dataDir);
    expect(processGroup(pid)).toBe(pid);
    expect(processGroup(pid)).not.toBe(processGroup('self'));
    await pg.stop();
    expect(alive(pid)).toBe(false);
    expect(existsSync(pg.dataDir)).toBe(false);
  }, 60_000);

  it('is stopped when its parent process dies of an uncaught exception', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/helpers/embedded-postgres-child.ts', tempDir(), String(await freePort())],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    const { pid, dataDir } = JSON.parse(out.trim()) as { pid: number; dataDir: string };
    dirs.push(path.dirname(dataDir));
    await eventually(async () => !alive(pid), 15_000);
  }, 60_000);

  /** A process that started the server of `dir` and is still running, as a platform is. */
  async function owner(dir: string, port: number) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/helpers/embedded-postgres-child.ts', dir, String(port), 'stay'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    ) as unknown as ChildProcessWithoutNullStreams;
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    await eventually(async () => out.includes('\n'), 30_000);
    const started = JSON.parse(out.trim()) as { pid: number; dataDir: string; url: string };
    dirs.push(path.dirname(started.dataDir));
    return { child, ...started };
  }
  const answers = async (url: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one === 1;
    } finally {
      await c.end();
    }
  };

  it('refuses to start on the data of a server whose platform still runs, and leaves that server alone', async () => {
    const dir = tempDir();
    const first = await owner(dir, await freePort());
    try {
      // before: the second start stopped it ("left running by an earlier process") and took the data over
      await expect(startEmbeddedPostgres({ dataDir: dir, port: await freePort() })).rejects.toThrow(
        new RegExp(`belongs to another Preempt process that is still running \\(pid ${first.child.pid}\\)`),
      );
      expect(alive(first.pid)).toBe(true);
      expect(await answers(first.url)).toBe(true);
    } finally {
      first.child.kill('SIGTERM');
      await new Promise((resolve) => first.child.once('exit', resolve));
    }
    expect(alive(first.pid)).toBe(false);
  }, 90_000);

  it("db:migrate migrates the running platform's database in place", async () => {
    const dir = tempDir();
    const port = await freePort();
    const first = await owner(dir, port);
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, EMBEDDED_PG_PORT: String(port) };
      delete env.DATABASE_URL;
      // before: it started the embedded server itself, stopping the platform's (and now, refused, a stack trace)
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/db-migrate.ts'], {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/applied \d+ migration\(s\)/);
      expect(alive(first.pid)).toBe(true);
      expect(await answers(first.url)).toBe(true);
    } finally {
      first.child.kill('SIGTERM');
      await new Promise((resolve) => first.child.once('exit', resolve));
    }
  }, 90_000);

  it('stops and replaces a server whose platform was killed', async () => {
    const dir = tempDir();
    const first = await owner(dir, await freePort());
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect(alive(first.pid)).toBe(true); // SIGKILL runs no exit handler: the server is left behind
    const second = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
    try {
      expect(alive(first.pid)).toBe(false);
      expect(await answers(second.url)).toBe(true);
    } finally {
      await second.stop();
    }
  }, 90_000);
});
