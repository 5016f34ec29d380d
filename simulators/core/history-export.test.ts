import { describe, expect, it } from 'vitest';
import { csvRow, csvTime, exportAssetId, planExport } from './history-export.ts';

describe('history export', () => {
  it('plans 90 days with two thirds for training, 30 assets of each simulated model, hourly', () => {
    const r = planExport({ 'export-history': '/tmp/x', days: '90' }, 7);
    expect(r.ok && r.plan).toMatchObject({ days: 90, trainDays: 60, stepMs: 3_600_000, seed: 7 });
    expect(r.ok && Object.values(r.plan.perModel)).toEqual([30, 30, 30]);
    const one = planExport({ 'export-history': '/tmp/x', models: 'pump-px50=5', 'train-days': '10' }, 1);
    expect(one.ok && one.plan.perModel).toEqual({ 'pump-px50': 5 });
  });

  it('takes a model named without a count with --assets of it', () => {
    // `--models pump-px50` said '--models "": expected a whole number 1-100000'
    const r = planExport({ 'export-history': '/tmp/x', models: 'pump-px50' }, 1);
    expect(r.ok && r.plan.perModel).toEqual({ 'pump-px50': 30 });
    const two = planExport(
      { 'export-history': '/tmp/x', models: 'pump-px50, chiller-ch300=4', assets: '8' },
      1,
    );
    expect(two.ok && two.plan.perModel).toEqual({ 'pump-px50': 8, 'chiller-ch300': 4 });
    expect(planExport({ 'export-history': '/tmp/x', models: 'pump-px50=' }, 1)).toEqual({
      ok: false,
      error:
        '--models "pump-px50=": expected MODEL or MODEL=N, N a whole number 1-100000 (e.g. pump-px50=30)',
    });
  });

  it('refuses options that do not apply and bad values, naming them', () => {
    expect(planExport({ 'export-history': '/tmp/x', interval: '1s' }, 1)).toEqual({
      ok: false,
      error: '--interval does not apply to --export-history (see --help)',
    });
    expect(planExport({ 'export-history': '/tmp/x', days: '0' }, 1)).toMatchObject({ ok: false });
    expect(planExport({ 'export-history': '/tmp/x', models: 'toaster=3' }, 1)).toMatchObject({ ok: false });
  });

  it('writes the issue’s timestamp format and quotes cells that need it', () => {
    expect(csvTime(Date.UTC(2026, 0, 2, 3, 4, 5, 600))).toBe('2026-01-02 03:04:05');
    expect(csvRow(['a,b', 'say "hi"', 3])).toBe('"a,b","say ""hi""",3');
    expect(exportAssetId('chiller-ch300', 0)).toBe('ch300-001');
  });
});
