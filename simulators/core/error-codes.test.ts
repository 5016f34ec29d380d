import { describe, expect, it } from 'vitest';
import { CODE_DEFAULTS, codeOf, codesForStep, STRAY_CODE } from './error-codes.ts';
import { seededRandom } from './random.ts';

describe('simulated error codes', () => {
  it('names a failure mode’s code after its key', () => {
    expect(codeOf('compressor-bearing')).toBe('E-COMPRESSOR_BEARING');
  });

  it('raises a failure’s code late in its development only when it has a precursor; strays are rare', () => {
    const count = (failure?: { mode: string; precursor: boolean; progress: number }) => {
      const rand = seededRandom(3);
      let own = 0;
      let stray = 0;
      for (let i = 0; i < 10_000; i++)
        for (const c of codesForStep(CODE_DEFAULTS, rand, {
          dtHours: 1,
          modes: ['bearing', 'seal'],
          ...(failure ? { failure } : {}),
        }))
          if (c.severity === 'error') own++;
          else stray++;
      return { own, stray };
    };
    const late = count({ mode: 'bearing', precursor: true, progress: 0.8 });
    expect(late.own / 10_000).toBeCloseTo(1 - Math.exp(-1 / 3), 1);
    expect(count({ mode: 'bearing', precursor: true, progress: 0.3 }).own).toBe(0);
    expect(count({ mode: 'bearing', precursor: false, progress: 0.9 }).own).toBe(0);
    // 1 per 20 days: ~21 in 10,000 hours
    const healthy = count();
    expect(healthy.own).toBe(0);
    expect(healthy.stray).toBeGreaterThan(5);
    expect(healthy.stray).toBeLessThan(50);
    expect(STRAY_CODE).toMatch(/^W-/);
  });
});
