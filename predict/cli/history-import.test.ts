// history:import refuses a file it cannot read before it touches the database: one line naming the flag and the
// file, exit 2 (bad usage, as the docs say). Before, it opened the database, imported the files before it, then
// failed with "ENOENT: no such file or directory, stat …" and exit 1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const cli = path.join(import.meta.dirname, 'history-import.ts');
const tsx = path.join(import.meta.dirname, '../../node_modules/.bin/tsx');
const dir = mkdtempSync(path.join(os.tmpdir(), 'preempt-history-import-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) =>
  spawnSync(tsx, [cli, '--tenant', 'acme', '--name', 'plant-a', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    // no database anywhere: the check must come first
    env: { ...process.env, DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none', DATA_DIR: dir },
  });

describe('history:import CLI', () => {
  it('refuses a missing file before opening the database, naming it', () => {
    const telemetry = path.join(dir, 'telemetry.csv');
    writeFileSync(telemetry, 'datetime,asset,volt\n2026-01-01 00:00:00,m1,170\n');
    const r = run(['--telemetry', telemetry, '--failures', path.join(dir, 'failures.csv')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `history:import: --failures ${path.join(dir, 'failures.csv')}: cannot read it (file not found)\n`,
    );
  });

  it('refuses a folder given as a file', () => {
    const r = run(['--events', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`history:import: --events ${dir}: is a directory\n`);
  });
});
