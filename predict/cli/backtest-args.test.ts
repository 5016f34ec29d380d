import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './backtest-args.ts';
import { progressLine } from './progress-bar.ts';

describe('npm run backtest arguments', () => {
  it('takes a stored version with a telemetry range, a C-MAPSS file or a history', () => {
    expect(
      Object.fromEntries(
        parseArgs(['--model', 'pump/bearing/trend', '--version', '2', '--from', '2026-05-01T00:00:00Z']),
      ),
    ).toEqual({ '--model': 'pump/bearing/trend', '--version': '2', '--from': '2026-05-01T00:00:00Z' });
    expect(parseArgs(['--model=m', '--version=1', '--cmapss=train.txt', '--no-save']).get('--no-save')).toBe(
      'true',
    );
    expect(parseArgs(['--model', 'm', '--version', '1', '--history', 'h1']).get('--history')).toBe('h1');
    expect(parseArgs(['--model', 'm', '--params', 'p.json']).get('--params')).toBe('p.json');
  });

  it('takes a version outside the database: parameters from a file, or LEARNED trained on a file', () => {
    expect(parseArgs(['--kind', 'TREND', '--params', 'p.json', '--cmapss', 'f.txt']).get('--kind')).toBe(
      'TREND',
    );
    expect(
      parseArgs(['--kind', 'LEARNED', '--train', 't.txt', '--cmapss', 'f.txt', '--rul-truth', 'r.txt']).size,
    ).toBe(4);
  });

  it.each([
    [['--model', 'm'], /needs --version, or --params/],
    [['--model', 'm', '--version', '1', '--params', 'p'], /needs --version, or --params/],
    [['--version', '1', '--kind', 'TREND'], /--version needs --model/],
    [['--cmapss', 'f.txt'], /--model\/--version or --kind/],
    [['--model', 'm', '--version', 'x'], /positive integer/],
    [['--model', 'm', '--version', '1', '--cmapss', 'f', '--history', 'h'], /one source/],
    [['--model', 'm', '--version', '1', '--from', 'yesterday'], /ISO-8601/],
    [['--kind', 'MAGIC', '--params', 'p', '--cmapss', 'f'], /one of THRESHOLD/],
    [['--kind', 'TREND', '--train', 't', '--cmapss', 'f'], /LEARNED/],
    [['--kind', 'TREND', '--params', 'p'], /--cmapss/],
    [['--model', 'm', '--version', '1', '--rul-truth', 'r'], /goes with --cmapss/],
    [['--bogus'], /unknown argument/],
    [['--model'], /needs a value/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('progress bar', () => {
  it('shows the share done, counts, time and what is being replayed', () => {
    expect(progressLine('backtest', 6, 24, 3000, 'pump-07')).toBe(
      'backtest [######------------------]  25% 6/24  3.0s  eta 9s  pump-07',
    );
    expect(progressLine('backtest', 24, 24, 9000)).toBe(
      'backtest [########################] 100% 24/24  9.0s',
    );
  });
});
