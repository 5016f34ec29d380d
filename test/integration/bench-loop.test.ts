// The whole-loop benchmark runs as a user would run it, on the test's PostgreSQL: a short virtual period, one
// JSON line on stdout with the score per true failure. Its figures are the benchmark's business (README,
// "Measured"); this test checks the loop closes: orders raised, planned, completed on the virtual clock.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-loop.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('bench:loop', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => db?.drop());

  it('runs the loop on a virtual clock and scores every true failure', async () => {
    const { code, stdout, stderr } = await run([
      '--json',
      '--days',
      '4',
      '--assets',
      '45',
      '--seed',
      '3',
      // hourly steps: half the steps of the bench's default pace, the same loop (orders raised, planned, completed)
      '--step-minutes',
      '60',
      '--database-url',
      db.url,
    ]);
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!) as Record<string, unknown> & {
      failures: number;
      preempted: number;
      lateOrders: number;
      missed: number;
      orders: number;
      reactive: { failures: number };
    };
    expect(r).toMatchObject({ bench: 'loop', assets: 45, days: 4, seed: 3 });
    for (const key of [
      'preemptedShare',
      'falseOrders',
      'falseOrdersPerAssetYear',
      'repeatOrders',
      'leadHours',
      'downtimeHours',
      'downtimeReduction',
      'cost',
    ])
      expect(r).toHaveProperty(key);
    expect(r.preempted + r.lateOrders + r.missed).toBe(r.failures);
    // a fleet in steady state has assets degrading from the start: orders are raised and the loop closes
    expect(r.orders).toBeGreaterThan(0);
    expect(r.repeatOrders).toBe(0);
  }, 300_000);

  it('refuses a bad argument with exit code 2 and one line', async () => {
    const { code, stderr, stdout } = await run(['--days', 'many']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toMatch(/^bench:loop: --days must be a number/);
  });
});
