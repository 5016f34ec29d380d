import { describe, expect, it } from 'vitest';
import { planParts } from './index.ts';
import { checkPlan } from './instance.ts';
import { buildPartsReviewInstance, DEFAULT_REVIEW_POLICY, demandSources } from './review.ts';
import type { PartsReviewSnapshot } from './review.ts';

const now = new Date('2026-12-03T00:00:00Z');
const day = (d: number): Date => new Date(now.getTime() + d * 86_400_000);

function snapshot(): PartsReviewSnapshot {
  return {
    now,
    parts: [
      { sku: 'P-100', unitCost: 900 },
      { sku: 'P-200', unitCost: 180 },
    ],
    locations: [
      { code: 'HUB-FRA', kind: 'HUB', lat: 50.05, lon: 8.57, available: { 'P-100': 6, 'P-200': 4 } },
      { code: 'FSL-NUE', kind: 'FSL', lat: 49.45, lon: 11.08, available: { 'P-100': 1, 'P-999': 3 } },
      { code: 'PC-BER', kind: 'COUNTER', lat: 52.52, lon: 13.4, available: {} },
      { code: 'DEPOT-1', kind: 'REPAIR_DEPOT', lat: 51, lon: 10, available: { 'P-100': 9 } },
    ],
    assets: [
      {
        id: 'a1',
        name: 'Pump #01',
        tenant: 'Acme',
        lat: 49.5,
        lon: 11.0,
        responseHours: 4,
        tier: 'CRITICAL',
        failureModes: [
          { key: 'bearing', sku: 'P-100' },
          { key: 'seal', sku: 'P-200' },
        ],
      },
      {
        id: 'a2',
        lat: 52.5,
        lon: 13.3,
        responseHours: 24,
        tier: 'STANDARD',
        failureModes: [{ key: 'bearing', sku: 'P-100' }],
      },
      {
        id: 'a3',
        lat: 52.4,
        lon: 13.5,
        responseHours: 8,
        tier: 'STANDARD',
        failureModes: [{ key: 'x', sku: 'P-404' }],
      },
    ],
    predictions: [
      {
        assetId: 'a1',
        failureModeKey: 'bearing',
        bandEarliestAt: day(2),
        bandLatestAt: day(4),
        confidence: 0.8,
      },
      // half of the band beyond the 14-day horizon
      {
        assetId: 'a2',
        failureModeKey: 'bearing',
        bandEarliestAt: day(12),
        bandLatestAt: day(16),
        confidence: 0.6,
      },
    ],
  };
}

describe('buildPartsReviewInstance', () => {
  const inst = buildPartsReviewInstance(snapshot(), DEFAULT_REVIEW_POLICY);

  it('one instance asset per asset and failure mode with a known part', () => {
    expect(inst.assets.map((a) => a.id)).toEqual(['a1:bearing', 'a1:seal', 'a2:bearing']);
  });

  it('a live prediction gives its confidence within the band, cut to the horizon', () => {
    const a1 = inst.assets[0]!;
    expect(a1).toMatchObject({ sku: 'P-100', pFail: 0.8, window: [2, 4], slaHours: 4, missPenalty: 6000 });
    const a2 = inst.assets[2]!;
    expect(a2).toMatchObject({ pFail: 0.3, window: [12, 14], slaHours: 24, missPenalty: 2500 });
  });

  it('without a prediction, the base rate over the whole horizon', () => {
    expect(inst.assets[1]).toMatchObject({ sku: 'P-200', window: [0, 14] });
    expect(inst.assets[1]!.pFail).toBeCloseTo(1 - Math.exp(-0.0007 * 14), 4);
  });

  it('leaves out repair depots and unknown parts; the hub unlimited, capacities by kind', () => {
    expect(inst.locations.map((l) => [l.id, l.kind, l.capacity])).toEqual([
      ['FSL-NUE', 'fsl', 60],
      ['HUB-FRA', 'hub', null],
      ['PC-BER', 'counter', 4],
    ]);
    expect(inst.locations[0]!.stock).toEqual({ 'P-100': 1 });
  });

  it('a band already past is imminent; a band beyond the horizon falls back to the base rate', () => {
    const s = snapshot();
    s.predictions[0] = { ...s.predictions[0]!, bandEarliestAt: day(-3), bandLatestAt: day(-1) };
    s.predictions[1] = { ...s.predictions[1]!, bandEarliestAt: day(20), bandLatestAt: day(22) };
    const i = buildPartsReviewInstance(s, DEFAULT_REVIEW_POLICY);
    expect(i.assets[0]).toMatchObject({ pFail: 0.8, window: [0, 1] });
    expect(i.assets[2]).toMatchObject({ window: [0, 14] });
  });

  it('a predicted failure whose open order holds its part is not demand again: the base rate, source RESERVED', () => {
    // the demo's case: a pump predicted to fail, its order's part reserved at a stocking location (out of the
    // available stock); counting the prediction as well made the review send a second unit by courier
    const s = snapshot();
    s.reserved = [{ assetId: 'a1', failureModeKey: 'bearing' }];
    const i = buildPartsReviewInstance(s, DEFAULT_REVIEW_POLICY);
    expect(i.assets[0]).toMatchObject({ id: 'a1:bearing', window: [0, 14] });
    expect(i.assets[0]!.pFail).toBeCloseTo(1 - Math.exp(-0.0007 * 14), 4);
    expect(i.assets[2]).toMatchObject({ pFail: 0.3, window: [12, 14] }); // a2 has no order: still predicted
    const sources = demandSources(s, DEFAULT_REVIEW_POLICY);
    expect(sources.get('a1:bearing')).toMatchObject({
      source: 'RESERVED',
      confidence: 0.8,
      assetName: 'Pump #01',
      tenant: 'Acme', // names repeat across customers
    });
    expect(sources.get('a2:bearing')?.source).toBe('PREDICTION');
    expect(sources.get('a1:seal')?.source).toBe('BASE_RATE');
  });

  it('the planner plans the review instance', () => {
    const r = planParts(inst, { timeLimitMs: 1_000 });
    expect(checkPlan(inst, r.plan).valid).toBe(true);
  });
});
