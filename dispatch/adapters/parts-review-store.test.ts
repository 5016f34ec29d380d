import { describe, expect, it } from 'vitest';
import { checkPlan } from '../core/parts-planner/instance.ts';
import { runPartsReview } from './parts-review-store.ts';
import type { PartsReviewStore } from './parts-review-store.ts';
import type { PartsReviewSnapshot } from '../core/parts-planner/review.ts';

const now = new Date('2026-12-03T00:00:00Z');

const store: PartsReviewStore = {
  snapshot: async (at): Promise<PartsReviewSnapshot> => ({
    now: at,
    parts: [{ sku: 'P-100', unitCost: 900 }],
    locations: [
      { code: 'HUB-1', kind: 'HUB', lat: 50.05, lon: 8.57, available: { 'P-100': 4 } },
      { code: 'FSL-1', kind: 'FSL', lat: 49.45, lon: 11.08, available: {} },
    ],
    assets: [
      {
        id: 'a1',
        lat: 49.5,
        lon: 11.0,
        responseHours: 4,
        tier: 'CRITICAL',
        failureModes: [{ key: 'bearing', sku: 'P-100' }],
      },
    ],
    predictions: [
      {
        assetId: 'a1',
        failureModeKey: 'bearing',
        bandEarliestAt: new Date(now.getTime() + 2 * 86_400_000),
        bandLatestAt: new Date(now.getTime() + 3 * 86_400_000),
        confidence: 0.9,
      },
    ],
  }),
};

describe('runPartsReview', () => {
  it('stages a unit next to an asset predicted to fail on a 4-hour contract', async () => {
    const { instance, result } = await runPartsReview(store, now, undefined, { timeLimitMs: 1_000 });
    expect(checkPlan(instance, result.plan).valid).toBe(true);
    expect(result.plan.stock['FSL-1']?.['P-100']).toBe(1);
  });
});
