import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../core/parts-planner/instance.ts';
import { tinyPartsInstance } from '../core/parts-planner/test-fixtures.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function cli(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'dispatch/cli/parts-plan.ts', file], {
    cwd: repoRoot,
    encoding: 'utf8',
    env,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Mutable = Record<string, unknown> & {
  locations: Record<string, unknown>[];
  assets: Record<string, unknown>[];
};

describe('parts:plan CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parts-cli-'));
  const write = (name: string, body: unknown): string => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
    return file;
  };

  it('prints only a valid plan JSON on stdout', () => {
    const r = cli(write('tiny.json', tinyPartsInstance()));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const plan: unknown = JSON.parse(r.stdout);
    expect(checkPlan(tinyPartsInstance(), plan)).toEqual({ valid: true, errors: [] });
  });

  it('reads a relative path from the folder npm was run from (INIT_CWD), not the project root', () => {
    // `cd dir && npm run --prefix <repo> parts:plan -- tiny-rel.json`: npm runs the script in the project root
    // with INIT_CWD=dir
    write('tiny-rel.json', tinyPartsInstance());
    const r = cli('tiny-rel.json', { ...process.env, INIT_CWD: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(checkPlan(tinyPartsInstance(), JSON.parse(r.stdout))).toEqual({ valid: true, errors: [] });
    const missing = cli('nope.json', { ...process.env, INIT_CWD: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`parts:plan: cannot read ${path.join(dir, 'nope.json')}: file not found\n`);
  });

  const bad: [string, (i: Mutable) => void, RegExp][] = [
    [
      'an unknown sku of an asset',
      (i) => (i.assets[1]!.sku = 'P-9'),
      /\$\.assets\[1\]\.sku names an unknown sku "P-9"/,
    ],
    [
      'an unknown sku in a stock',
      (i) => (i.locations[1]!.stock = { 'P-7': 1 }),
      /\$\.locations\[1\]\.stock\.P-7 names an unknown sku/,
    ],
    [
      'an unknown location kind',
      (i) => (i.locations[2]!.kind = 'depot'),
      /\$\.locations\[2\]\.kind must be one of/,
    ],
    [
      'a duplicate location',
      (i) => (i.locations[2]!.id = 'FSL-1'),
      /\$\.locations\[2\]\.id duplicates id "FSL-1"/,
    ],
    [
      'no hub',
      (i) => (i.locations[0]!.kind = 'fsl'),
      /\$\.locations must hold exactly one location of kind "hub"/,
    ],
    [
      'a negative capacity',
      (i) => (i.locations[1]!.capacity = -3),
      /\$\.locations\[1\]\.capacity must be a whole number >= 0/,
    ],
    [
      'a probability above 1',
      (i) => (i.assets[0]!.pFail = 1.2),
      /\$\.assets\[0\]\.pFail must be a probability within 0\.\.1/,
    ],
    [
      'a negative probability',
      (i) => (i.assets[2]!.pFail = -0.1),
      /\$\.assets\[2\]\.pFail must be a probability/,
    ],
    [
      'a window past the horizon',
      (i) => (i.assets[0]!.window = [10, 15]),
      /\$\.assets\[0\]\.window must lie within the horizon 0\.\.14/,
    ],
    [
      'a window before day 0',
      (i) => (i.assets[3]!.window = [-1, 3]),
      /\$\.assets\[3\]\.window must lie within the horizon/,
    ],
    ['a missing field', (i) => delete i.transferCost, /missing field \$\.transferCost/],
    ['a negative cost', (i) => (i.emergencyCost = -5), /\$\.emergencyCost must be >= 0/],
  ];
  it.each(bad)('refuses %s with exit code 2 and the field named', (_name, mutate, message) => {
    const inst = structuredClone(tinyPartsInstance()) as unknown as Mutable;
    mutate(inst);
    const r = cli(write('bad.json', inst));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^parts:plan: .*bad\.json: invalid instance: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/\(PARTS_INVALID_INSTANCE\)\n$/);
  });

  it('reads a file that starts with a UTF-8 byte-order mark', () => {
    const r = cli(write('bom.json', `\uFEFF${JSON.stringify(tinyPartsInstance())}`));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(checkPlan(tinyPartsInstance(), JSON.parse(r.stdout))).toEqual({ valid: true, errors: [] });
  });

  it('refuses malformed JSON and a missing file with exit code 2', () => {
    const bj = cli(write('broken.json', '{ "horizonDays": 14,'));
    expect(bj.status).toBe(2);
    expect(bj.stdout).toBe('');
    expect(bj.stderr).toMatch(/^parts:plan: .*broken\.json is not valid JSON: [^\n]+\n$/);
    const missing = cli(path.join(dir, 'nope.json'));
    expect(missing.status).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^parts:plan: cannot read .*nope\.json: file not found\n$/);
  });
});
