import { describe, expect, it } from 'vitest';
import type { GroundTruth } from './ground-truth.ts';
import { distribution, scoreLoop, type ObservedOrder } from './loop-score.ts';

const H = 3_600_000;
const T0 = Date.parse('2027-01-04T00:00:00Z');
const at = (h: number) => new Date(T0 + h * H).toISOString();

const failure = (assetId: string, onsetH: number, failH: number, kind: GroundTruth['kind'] = 'degradation') =>
  ({
    assetId,
    equipment: 'pump-px50',
    failureMode: 'bearing',
    kind,
    onsetAt: at(onsetH),
    failAt: at(failH),
  }) satisfies GroundTruth;

const order = (
  id: string,
  assetId: string,
  createdH: number,
  o: Partial<ObservedOrder> = {},
): ObservedOrder => ({
  id,
  assetId,
  failureMode: 'Pump bearing failure',
  createdAt: T0 + createdH * H,
  expectedFailureAt: T0 + (createdH + 30) * H,
  firstEtaAt: T0 + (createdH + 5) * H,
  onSiteAt: null,
  closedAt: null,
  closedAs: null,
  ...o,
});

describe('scoreLoop', () => {
  it('scores each true failure as pre-empted, late or missed', () => {
    const s = scoreLoop({
      truth: [failure('a', 0, 100), failure('b', 0, 100), failure('c', 0, 100), failure('d', 0, 1000)],
      orders: [
        order('1', 'a', 60, { onSiteAt: T0 + 70 * H, closedAt: T0 + 72 * H, closedAs: 'COMPLETED' }),
        order('2', 'b', 90, { onSiteAt: T0 + 101 * H }),
        order('3', 'd', 900),
      ],
      start: T0,
      end: T0 + 200 * H,
      assets: 4,
    });
    expect(s).toMatchObject({ failures: 3, preempted: 1, lateOrders: 1, missed: 1, preemptedShare: 0.333 });
    expect(s.detail.find((d) => d.assetId === 'a')).toMatchObject({
      outcome: 'preempted',
      predictionLeadHours: 40,
      onSiteLeadHours: 30,
    });
    // the order for d's failure after the end is neither scored nor false
    expect(s.falseOrders).toBe(0);
    expect(s.byKind.degradation).toEqual({ failures: 3, preempted: 1 });
  });

  it('counts orders raised while nothing was developing as false, per asset-year', () => {
    const s = scoreLoop({
      truth: [failure('a', 50, 100)],
      orders: [order('1', 'a', 10), order('2', 'b', 10)],
      start: T0,
      end: T0 + 365 * 24 * H,
      assets: 4,
    });
    expect(s.falseOrders).toBe(2);
    expect(s.falseOrdersPerAssetYear).toBe(0.5);
    expect(s.missed).toBe(1);
  });

  it('counts an order raised again within 24 h of a closed one for the same failure mode as a repeat', () => {
    const s = scoreLoop({
      truth: [failure('a', 0, 100)],
      orders: [
        order('1', 'a', 10, { closedAt: T0 + 20 * H, closedAs: 'CANCELLED' }),
        order('2', 'a', 30),
        order('3', 'a', 80, { closedAt: T0 + 90 * H, closedAs: 'COMPLETED' }),
        order('4', 'a', 120),
      ],
      start: T0,
      end: T0 + 200 * H,
      assets: 1,
    });
    expect(s.repeatOrders).toBe(1);
  });

  it('reports the share of first plans on site before the expected failure', () => {
    const s = scoreLoop({
      truth: [],
      orders: [
        order('1', 'a', 0),
        order('2', 'a', 0, { firstEtaAt: T0 + 40 * H }),
        order('3', 'a', 0, { firstEtaAt: null }),
      ],
      start: T0,
      end: T0 + H,
      assets: 1,
    });
    expect(s.firstPlanOnTimeShare).toBe(0.5);
  });

  it('summarises lead times by median and 10th percentile', () => {
    expect(distribution([5, 1, 3, 2, 4])).toEqual({ count: 5, median: 3, p10: 1.4 });
    expect(distribution([])).toEqual({ count: 0, median: null, p10: null });
  });
});
