import { describe, expect, it } from 'vitest';
import { missingMetrics } from './metric-check.ts';

describe('metrics a version reads', () => {
  const reported = ['vibration', 'temperature', 's2', 's3', 'setting1'];
  it('accepts metrics the equipment reports', () => {
    expect(missingMetrics('TREND', { metric: 'vibration' }, reported)).toEqual([]);
    expect(missingMetrics('ANOMALY', { metrics: ['vibration', 'temperature'] }, reported)).toEqual([]);
    expect(missingMetrics('LEARNED', { settings: ['setting1'], sensors: ['s2', 's3'] }, reported)).toEqual(
      [],
    );
  });
  it('names every metric it does not report, once', () => {
    expect(missingMetrics('THRESHOLD', { metric: 'pressure' }, reported)).toEqual(['pressure']);
    expect(missingMetrics('ANOMALY', { metrics: ['vibration', 'x', 'y'] }, reported)).toEqual(['x', 'y']);
    expect(missingMetrics('LEARNED', { settings: ['s9'], sensors: ['s9', 's2'] }, reported)).toEqual(['s9']);
  });
  it('leaves parameters of the wrong shape to the parameter check', () => {
    expect(missingMetrics('ANOMALY', {}, reported)).toEqual([]);
  });
});
