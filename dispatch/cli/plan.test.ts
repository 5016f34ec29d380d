import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateInstance, validatePlan } from '../core/planner/instance.ts';
import { scorePlan } from '../core/planner/score.ts';
import { tinyInstance } from '../core/planner/test-fixtures.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sample = path.resolve(repoRoot, '../shared/datasets/dispatch/instance-101.json');

function cli(file: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'dispatch/cli/plan.ts', file], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dispatch:plan CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dispatch-cli-'));

  it('prints only the plan JSON on stdout', () => {
    const file = path.join(dir, 'tiny.json');
    writeFileSync(file, JSON.stringify(tinyInstance()));
    const r = cli(file);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const plan = validatePlan(JSON.parse(r.stdout));
    expect(scorePlan(tinyInstance(), plan).errors).toEqual([]);
    expect(plan.totalCost).toBe(5048);
  });

  it.skipIf(!existsSync(sample))('plans a sample instance', () => {
    const r = cli(sample);
    expect(r.status).toBe(0);
    const plan = validatePlan(JSON.parse(r.stdout));
    expect(plan.totalCost).toBeCloseTo(24563.16, 2);
    expect(scorePlan(validateInstance(JSON.parse(readFileSync(sample, 'utf8'))), plan).errors).toEqual([]);
  });

  it('prints its usage on --help, without reading a file of that name', () => {
    for (const flag of ['--help', '-h']) {
      const r = cli(flag);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^usage: npm run --silent dispatch:plan -- <instance\.json>\n/);
    }
  });

  it('fails with one clear line and exit code 1', () => {
    const missing = cli(path.join(dir, 'nope.json'));
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^dispatch:plan: cannot read .*nope\.json: file not found\n$/);

    const badJson = path.join(dir, 'bad.json');
    writeFileSync(badJson, '{ nope');
    const bj = cli(badJson);
    expect(bj.status).toBe(1);
    expect(bj.stderr).toMatch(/^dispatch:plan: .*bad\.json is not valid JSON: [^\n]+\n$/);

    const invalid = path.join(dir, 'invalid.json');
    const inst = tinyInstance() as unknown as Record<string, unknown>;
    delete inst.orders;
    writeFileSync(invalid, JSON.stringify(inst));
    const iv = cli(invalid);
    expect(iv.status).toBe(1);
    expect(iv.stdout).toBe('');
    expect(iv.stderr).toMatch(
      /^dispatch:plan: .*invalid\.json: invalid instance: missing field \$\.orders\n$/,
    );
  });
});
