import { describe, expect, it } from 'vitest';
import { progressLine, type RunSnapshot } from './progress.ts';

const at = (elapsedMs: number, readings: number, faults = 0): RunSnapshot => ({
  elapsedMs,
  devices: 200,
  connected: 199,
  readings,
  injected: 30,
  failures: 2,
  faults,
});

describe('progressLine', () => {
  it('shows readings, failures, faults and their rates since the last line', () => {
    expect(progressLine(at(5000, 1000, 25))).toBe(
      'simulate 00:00:05  1,000 readings (200.0/s)  failures 30 injected, 2 happened  faults 25 (5.0/s)  connected 199/200',
    );
    expect(progressLine(at(3_725_000, 12_345), at(3_720_000, 11_345))).toBe(
      'simulate 01:02:05  12,345 readings (200.0/s)  failures 30 injected, 2 happened  connected 199/200',
    );
  });

  it('shows the units of a replay', () => {
    expect(progressLine({ ...at(1000, 10), replay: { units: 100, started: 12, failed: 3 } })).toContain(
      'units 12/100 started, 3 failed',
    );
  });
});
