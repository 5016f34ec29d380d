// `npm run alarms:score` (scripts/score-alarms.ts) with what a user gives it by mistake: every case printed a
// Node stack trace and exited 1 (a missing file, an empty or non-JSON alarms file, JSON that is not the output of
// predict:alarms, a failures file without a time column); now one line on stderr naming the file, exit 2. And the
// right files still give the score.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = path.resolve(import.meta.dirname, '../../scripts/score-alarms.ts');
const tsx = path.resolve(import.meta.dirname, '../../node_modules/.bin/tsx');

describe('alarms:score CLI', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  let alarms: string;
  let failures: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'preempt-score-cli-'));
    alarms = file(
      'alarms.json',
      JSON.stringify({
        alarms: [{ asset: 'm1', failureMode: 'bearing', at: '2026-03-03T00:00:00Z', probability: 0.9 }],
      }),
    );
    failures = file('failures.csv', 'datetime,asset,failure\n2026-03-03 10:00:00,m1,bearing\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (a: string, f: string, extra: string[] = []) =>
    spawnSync(
      tsx,
      [
        cli,
        '--alarms',
        a,
        '--failures',
        f,
        '--from',
        '2026-03-01T00:00:00Z',
        '--to',
        '2026-04-01T00:00:00Z',
        '--assets',
        '2',
        ...extra,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );

  it('scores the output of predict:alarms against the failures', () => {
    const r = run(alarms, failures);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ failures: 1, caught: 1, episodes: 1, falseEpisodes: 0 });
  });

  it.each([
    [
      'a missing alarms file',
      () => [path.join(dir, 'nope.json'), failures],
      /^alarms:score: cannot read \S+nope\.json: file not found\n$/,
    ],
    [
      'an empty alarms file',
      () => [file('empty.json', ''), failures],
      /^alarms:score: \S+empty\.json is not valid JSON \(.*\): give the output of predict:alarms\n$/,
    ],
    [
      'a CSV file as the alarms',
      () => [failures, failures],
      /^alarms:score: \S+failures\.csv is not valid JSON/,
    ],
    [
      'JSON that is not the output of predict:alarms',
      () => [file('plan.json', '{"stock":{}}'), failures],
      /has no "alarms" list/,
    ],
    [
      'an alarm without its time',
      () => [file('bad.json', '{"alarms":[{"asset":"m1","failureMode":"bearing"}]}'), failures],
      /bad\.json: alarm 1 needs "asset", "failureMode" and an ISO "at"\n$/,
    ],
    [
      'a failures file without a time column',
      () => [alarms, file('assets.csv', 'asset,model\nm1,px50\n')],
      /^alarms:score: HISTORY_MISSING_COLUMN: \S+assets\.csv: no time column found/,
    ],
  ])('refuses %s in one line, exit 2', (_, files, message) => {
    const [a, f] = files();
    const r = run(a!, f!);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('takes the columns of the failures file by name', () => {
    const f = file('named.csv', 'when,machine,what\n2026-03-03 10:00:00,m1,bearing\n');
    const r = run(alarms, f, ['--time-col', 'when', '--asset-col', 'machine', '--mode-col', 'what']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ failures: 1, caught: 1 });
  });
});
