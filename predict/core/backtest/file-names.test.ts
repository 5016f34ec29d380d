import { describe, expect, it } from 'vitest';
import { optionsWithoutPaths, reportWithoutPaths } from './file-names.ts';

describe('backtest file names', () => {
  it('names files by their base name and cuts their paths out of a recorded run', () => {
    const full = '/tmp/preempt-x/data/ground-truth.json';
    const { options, replaced } = optionsWithoutPaths({ from: 'a', truthFile: full, metrics: ['m'] });
    expect(options).toEqual({ from: 'a', truthFile: 'ground-truth.json', metrics: ['m'] });
    const report = {
      recall: 1,
      options: { truthFile: full },
      warnings: [`no ground-truth file at ${full}: failures are unknown`, 'other'],
    };
    expect(reportWithoutPaths(report, replaced)).toEqual({
      recall: 1,
      options: { truthFile: 'ground-truth.json' },
      warnings: ['no ground-truth file at ground-truth.json: failures are unknown', 'other'],
    });
    expect(JSON.stringify(reportWithoutPaths(report, replaced))).not.toContain('/tmp/');
  });

  it('leaves names, other options and missing reports alone', () => {
    const o = { file: 'train_FD001.txt', truthFile: 'RUL_FD001.txt', units: 30 };
    expect(optionsWithoutPaths(o)).toEqual({ options: o, replaced: [] });
    expect(optionsWithoutPaths({ file: 'C:\\data\\test_FD002.txt' }).options).toEqual({
      file: 'test_FD002.txt',
    });
    expect(reportWithoutPaths(null, [])).toBeNull();
  });
});
