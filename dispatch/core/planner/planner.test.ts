import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateInstance } from './generate.ts';
import { planDispatch } from './index.ts';
import { validateInstance } from './instance.ts';
import { scorePlan } from './score.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const samplesDir = path.resolve(repoRoot, '../shared/datasets/dispatch');
const haveSamples = existsSync(path.join(samplesDir, 'optimal-costs.json'));
const optimal: Record<string, { optimalCost: number; earliestDueGreedyCost?: number }> = haveSamples
  ? (JSON.parse(readFileSync(path.join(samplesDir, 'optimal-costs.json'), 'utf8')) as Record<
      string,
      { optimalCost: number }
    >)
  : {};
const sampleNames = Object.keys(optimal).sort();

describe('planDispatch on the sample instances', () => {
  it.skipIf(!haveSamples)('has samples to check', () => {
    expect(sampleNames.length).toBeGreaterThan(0);
  });

  for (const name of haveSamples ? sampleNames : ['(samples folder absent)']) {
    it.skipIf(!haveSamples)(`${name}: valid plan at the proven optimal cost`, async () => {
      const instance = validateInstance(JSON.parse(readFileSync(path.join(samplesDir, name), 'utf8')));
      const result = await planDispatch(instance);
      const score = scorePlan(instance, result);
      expect(score.errors).toEqual([]);
      const expected = optimal[name]?.optimalCost ?? Number.NaN;
      expect(Math.abs(score.totalCost - expected)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(result.totalCost - expected)).toBeLessThanOrEqual(0.01);
      expect(result.optimal).toBe(true);
      expect(result.lowerBound).toBeLessThanOrEqual(result.totalCost + 1e-6);
      expect(result.gap).toBeLessThanOrEqual(1e-6);
    });
  }
});

describe('planDispatch on generated instances', () => {
  it('solves a 60×40 instance to proven optimality, deterministically (its speed: npm run bench:dispatch)', async () => {
    const instance = generateInstance({ seed: 11, orders: 60, technicians: 40 });
    const a = await planDispatch(instance);
    const b = await planDispatch(instance);
    expect(scorePlan(instance, a).errors).toEqual([]);
    expect(a.optimal).toBe(true);
    expect(a.gap).toBeLessThanOrEqual(0.005);
    expect(JSON.stringify(a.assignments)).toBe(JSON.stringify(b.assignments));
    expect(a.totalCost).toBe(b.totalCost);
  });

  it('is deterministic in the generator', () => {
    expect(generateInstance({ seed: 3, orders: 10, technicians: 5 })).toEqual(
      generateInstance({ seed: 3, orders: 10, technicians: 5 }),
    );
    expect(validateInstance(generateInstance({ seed: 3, orders: 10, technicians: 5 })).orders).toHaveLength(
      10,
    );
  });

  it('plans everything unplanned when nobody can serve', async () => {
    const instance = generateInstance({ seed: 5, orders: 4, technicians: 0 });
    const r = await planDispatch(instance);
    expect(r.assignments).toEqual([]);
    expect(r.unplanned).toHaveLength(4);
    expect(r.totalCost).toBe(4 * instance.unplannedCost);
    expect(r.optimal).toBe(true);
  });
});
