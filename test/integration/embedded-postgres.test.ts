// The embedded PostgreSQL runs in a process group of its own, so a Ctrl-C in the terminal reaches the platform
// (which flushes ingest, then stops the database) and not the database; and it still does not outlive its parent.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeEmbeddedPostgresFallback, startEmbeddedPostgres } from '../../common/embedded/postgres.ts';
import { eventually } from '../helpers/platform.ts';
import { freePort } from '../helpers/ports.ts';

/** The process group of `pid` (field 5 of /proc/<pid>/stat, the 3rd after the command name). */
const processGroup = (pid: number | 'self') => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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
});
