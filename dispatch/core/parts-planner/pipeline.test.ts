// The parts review counts refurbished units coming back: in repair, expected back within the horizon, × yield.
import { describe, expect, it } from 'vitest';
import { buildPartsReviewInstance, DEFAULT_REVIEW_POLICY, pipelineStock } from './review.ts';
import type { PartsReviewSnapshot } from './review.ts';

const now = new Date('2026-12-03T00:00:00Z');
const day = (d: number): Date => new Date(now.getTime() + d * 86_400_000);

function snapshot(pipeline: PartsReviewSnapshot['pipeline']): PartsReviewSnapshot {
  return {
    now,
    parts: [{ sku: 'P-100', unitCost: 900 }],
    locations: [
      { code: 'HUB-FRA', kind: 'HUB', lat: 50.05, lon: 8.57, available: { 'P-100': 2 } },
      { code: 'FSL-NUE', kind: 'FSL', lat: 49.45, lon: 11.08, available: {} },
      { code: 'DEPOT-1', kind: 'REPAIR_DEPOT', lat: 51, lon: 10, available: {} },
    ],
    assets: [
      {
        id: 'a1',
        lat: 49.5,
        lon: 11,
        responseHours: 4,
        tier: 'CRITICAL',
        failureModes: [{ key: 'f', sku: 'P-100' }],
      },
    ],
    predictions: [],
    pipeline,
  };
}

describe('refurbished units coming back in the parts review', () => {
  it('counts units back within the horizon at the hub as expected units (qty × yield, rounded)', () => {
    const s = snapshot([
      { sku: 'P-100', qty: 1, to: null, readyAt: day(3), refurbYield: 0.8 },
      { sku: 'P-100', qty: 1, to: null, readyAt: day(10), refurbYield: 0.8 },
      { sku: 'P-100', qty: 1, to: null, readyAt: day(30), refurbYield: 0.8 }, // beyond the 14-day horizon
    ]);
    expect(pipelineStock(s, 'HUB-FRA', 14)).toEqual({ 'HUB-FRA': { 'P-100': 2 } }); // 1.6 → 2
    const inst = buildPartsReviewInstance(s, DEFAULT_REVIEW_POLICY);
    expect(inst.locations.find((l) => l.id === 'HUB-FRA')?.stock).toEqual({ 'P-100': 4 });
  });

  it("counts them at the depot's chosen destination; a low yield may count nothing", () => {
    const s = snapshot([
      { sku: 'P-100', qty: 2, to: 'FSL-NUE', readyAt: day(1), refurbYield: 0.9 },
      { sku: 'P-100', qty: 1, to: 'DEPOT-1', readyAt: day(1), refurbYield: 0.3 },
    ]);
    expect(pipelineStock(s, 'HUB-FRA', 14)).toEqual({ 'FSL-NUE': { 'P-100': 2 } });
    const inst = buildPartsReviewInstance(s, DEFAULT_REVIEW_POLICY);
    expect(inst.locations.find((l) => l.id === 'FSL-NUE')?.stock).toEqual({ 'P-100': 2 });
    expect(inst.locations.find((l) => l.id === 'HUB-FRA')?.stock).toEqual({ 'P-100': 2 });
  });

  it('without a pipeline the instance is as before', () => {
    const inst = buildPartsReviewInstance(snapshot(undefined), DEFAULT_REVIEW_POLICY);
    expect(inst.locations.map((l) => [l.id, l.stock])).toEqual([
      ['FSL-NUE', {}],
      ['HUB-FRA', { 'P-100': 2 }],
    ]);
  });
});
