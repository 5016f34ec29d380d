import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rul.ts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'preempt-rul-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** C-MAPSS-format rows: one operating condition, sensor 0 drifts up towards failure. */
function fleet(units: number, lengthOf: (u: number) => number, cut: (u: number) => number): string {
  const lines: string[] = [];
  for (let u = 1; u <= units; u++) {
    const life = lengthOf(u);
    for (let t = 1; t <= cut(u); t++) {
      const noise = ((u * 31 + t * 17) % 7) / 70;
      const sensors = Array.from({ length: 21 }, (_, s) =>
        s === 0 ? 500 + Math.max(0, t - life + 60) + noise : 100 + s + noise * s,
      );
      lines.push([u, t, 0.001 * (t % 3), 0, 100, ...sensors].join(' '));
    }
  }
  return `${lines.join('\n')}\n`;
}

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', cli, ...args], (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const life = (u: number) => 70 + ((u * 13) % 40);
const train = file('train.txt', fleet(8, life, life));
const test = file(
  'test.txt',
  fleet(3, life, (u) => life(u) - 10 * u),
);
const truth = file('truth.txt', '10\n20\n30\n');

describe('predict:rul CLI', () => {
  it('prints only the predictions JSON (with rmse and score given the truth) and fails clearly on bad input', async () => {
    const bad = file('bad.txt', '1 1 0 0 100 1 2 3\n');
    const nonNumeric = file('nan.txt', fleet(1, life, () => 2).replace(/ 100 /, ' abc '));
    const common = ['--train', train, '--test', test, '--truth', truth, '--ensemble', '1', '--seed', '3'];
    const [ok, off, badFlag, missing, columns, nan, usage] = await Promise.all([
      run(common),
      run([...common, '--conservative', 'off']),
      run([...common, '--conservative', 'maybe']),
      run(['--train', path.join(dir, 'nope.txt'), '--test', test]),
      run(['--train', train, '--test', bad]),
      run(['--train', nonNumeric, '--test', test]),
      run(['--train', train]),
    ]);
    expect(ok.code).toBe(0);
    const lines = ok.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0] as string) as {
      predictions: { unit: number; rul: number }[];
      rmse: number;
      rmseCapped125: number;
      score: number;
      scoreCapped125: number;
    };
    expect(out.predictions.map((p) => p.unit)).toEqual([1, 2, 3]);
    for (const p of out.predictions) expect(p.rul).toBeGreaterThanOrEqual(0);
    expect(out.rmse).toBeGreaterThanOrEqual(0);
    // All truths are below 125, so capping them changes nothing.
    expect(out.rmseCapped125).toBe(out.rmse);
    expect(typeof out.score).toBe('number');
    expect(out.scoreCapped125).toBe(out.score);
    // Off: the predictions before the conservative shift, never below the default ones.
    expect(off.code).toBe(0);
    const unshifted = (JSON.parse(off.stdout) as typeof out).predictions;
    unshifted.forEach((p, i) => expect(p.rul).toBeGreaterThanOrEqual(out.predictions[i]?.rul as number));
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/--conservative must be on or off, got "maybe"/);

    for (const r of [missing, columns, nan, usage]) {
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(missing.stderr).toMatch(/cannot read training file .*nope\.txt.*ENOENT/);
    expect(columns.stderr).toMatch(/bad\.txt line 1: expected 26 columns, got 8/);
    expect(nan.stderr).toMatch(/nan\.txt line 1: column \d+ is not a finite number: "abc"/);
    expect(usage.stderr).toMatch(/--train and --test are required/);
  });
});
