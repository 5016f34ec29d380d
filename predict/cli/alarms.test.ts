import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticFleetFiles, type FleetFiles } from '../../scripts/alarm-fleet.ts';

const cli = path.join(import.meta.dirname, 'alarms.ts');
const tsx = path.join(import.meta.dirname, '../../node_modules/.bin/tsx');

function run(args: string[]) {
  return spawnSync(tsx, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe('predict:alarms CLI', () => {
  let dir: string;
  let files: FleetFiles;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'preempt-alarms-cli-'));
    files = await writeSyntheticFleetFiles(dir, {
      assets: 12,
      days: 40,
      trainDays: 30,
      seed: 3,
      failureRate: 6,
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const base = () => [
    '--telemetry',
    files.telemetry,
    '--events',
    files.events,
    '--failures',
    files.failures,
    '--maintenance',
    files.maintenance,
    '--assets',
    files.assets,
    '--train-until',
    new Date(files.trainUntil).toISOString(),
    '--horizon',
    '24h',
  ];

  it('prints the alarms of the steps after --train-until as one JSON object', () => {
    const r = run(base());
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { alarms: Record<string, unknown>[] };
    expect(Array.isArray(out.alarms)).toBe(true);
    const modes = new Set(
      readFileSync(files.failures, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[2]),
    );
    for (const a of out.alarms) {
      expect(Object.keys(a).sort()).toEqual(['asset', 'at', 'failureMode', 'probability']);
      expect(Date.parse(a.at as string)).toBeGreaterThan(files.trainUntil);
      expect(modes.has(a.failureMode as string)).toBe(true);
      expect(a.probability).toBeGreaterThanOrEqual(0);
      expect(a.probability).toBeLessThanOrEqual(1);
    }
    expect(r.stderr).toMatch(/cross-validated/);
  }, 120_000);

  it('exits 2 naming the file and the column when a required column is missing', () => {
    const bad = path.join(dir, 'failures-no-asset.csv');
    writeFileSync(bad, 'datetime,failure\n2015-01-05 06:00:00,comp1\n');
    const args = base();
    args[args.indexOf('--failures') + 1] = bad;
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('failures-no-asset.csv');
    expect(r.stderr).toMatch(/no asset column/);
    expect(r.stdout).toBe('');

    const r2 = run([...base(), '--time-col', 'when']);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/no column "when"/);
  }, 60_000);

  it('prints no alarms, not an error, when there is nothing to learn or nothing to score', () => {
    // a failures file without a row: valid, and a model that never saw a failure predicts none
    const none = path.join(dir, 'failures-none.csv');
    writeFileSync(none, 'datetime,machineID,failure\r\n');
    const args = base();
    args[args.indexOf('--failures') + 1] = none;
    const r = run(args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('{"alarms":[]}\n');
    expect(r.stderr).toMatch(/failures-none\.csv: no failure to learn from: no alarms/);
    // --train-until at or after the end of the telemetry: no step to alarm on (it failed: 'trainLogitBoost: no rows')
    const late = base();
    late[late.indexOf('--train-until') + 1] = '2030-01-01T00:00:00Z';
    const r2 = run(late);
    expect(r2.status, r2.stderr).toBe(0);
    expect(r2.stdout).toBe('{"alarms":[]}\n');
    expect(r2.stderr).toMatch(/no telemetry after --train-until 2030-01-01T00:00:00\.000Z: no alarms/);
  }, 60_000);

  it('exits 2 naming --train-until when it leaves no step to learn from', () => {
    const args = base();
    const first = readFileSync(files.telemetry, 'utf8').split('\n')[1]!.split(',')[0]!;
    args[args.indexOf('--train-until') + 1] = `${first.replace(' ', 'T')}Z`;
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /ALARMS_TOO_LITTLE_HISTORY: not enough history before --train-until .*give a later/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // labelled steps, but fewer hours of them than a cross-validation fold's purge band (it ended 'alarms:
    // trainLogitBoost: no rows', exit 1)
    const t0 = Date.parse(`${first.replace(' ', 'T')}Z`);
    args[args.indexOf('--train-until') + 1] = new Date(t0 + 54 * 3_600_000).toISOString();
    const r2 = run(args);
    expect(r2.status, r2.stderr).toBe(2);
    expect(r2.stdout).toBe('');
    expect(r2.stderr).toMatch(
      /ALARMS_TOO_LITTLE_HISTORY: too little history before --train-until for 4 .*folds/,
    );
  }, 60_000);

  it('counts bad rows with line numbers on stderr and carries on; bad usage exits 2', () => {
    const tel = path.join(dir, 'telemetry-bad.csv');
    const lines = readFileSync(files.telemetry, 'utf8').split('\n');
    lines.splice(3, 0, 'garbage,1,2,3,4', '2015-01-01 07:00:00,1,abc,1,1,1');
    writeFileSync(tel, lines.join('\n'));
    const args = base();
    args[args.indexOf('--telemetry') + 1] = tel;
    const r = run(args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/telemetry-bad\.csv: 2 bad rows/);
    expect(r.stderr).toMatch(/telemetry-bad\.csv:4: unparsable time "garbage"/);
    expect(r.stderr).toMatch(/telemetry-bad\.csv:5: "volt" is not a number/);
    expect(run(['--telemetry', tel]).status).toBe(2);
    expect(run([...base(), '--horizon', 'soon']).status).toBe(2);
  }, 120_000);
});
