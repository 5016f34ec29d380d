import { describe, expect, it } from 'vitest';
import { planShipment, trendWindow, watchedMetric, type ShipmentDetail } from './order-detail.ts';

const H = 3_600_000;
const t = (ms: number) => new Date(Date.UTC(2026, 11, 3) + ms);

describe('order detail core', () => {
  it('takes the watched metric from the evidence, else from the model version params', () => {
    expect(watchedMetric({ metric: 'vib', failureLevel: 11 }, { metric: 'x', failureLevel: 3 })).toEqual({
      metric: 'vib',
      failureLevel: 11,
    });
    expect(watchedMetric({}, { metric: 'temp', failureLevel: 90 })).toEqual({
      metric: 'temp',
      failureLevel: 90,
    });
    expect(watchedMetric(null, [1, 2])).toEqual({ metric: null, failureLevel: null });
    expect(watchedMetric({ metric: '', failureLevel: 'high' }, null)).toEqual({
      metric: null,
      failureLevel: null,
    });
  });

  it('charts from a day before the prediction to now, in about 120 whole-second windows', () => {
    const w = trendWindow(t(0), null, t(2 * H));
    expect(w.from).toEqual(t(-24 * H));
    expect(w.to).toEqual(t(2 * H));
    expect(w.everyMs % 1000).toBe(0);
    expect((w.to.getTime() - w.from.getTime()) / w.everyMs).toBeLessThanOrEqual(120);
  });

  it('stops at the close, spans at most a week, and starts at the first reading when later', () => {
    expect(trendWindow(t(-30 * 24 * H), t(-H), t(0)).to).toEqual(t(-H));
    const long = trendWindow(t(-30 * 24 * H), null, t(0));
    expect(long.to.getTime() - long.from.getTime()).toBe(7 * 24 * H);
    const young = trendWindow(t(0), null, t(H), t(-H));
    expect(young.from).toEqual(t(-H));
    expect(young.everyMs).toBe(60_000);
    expect(trendWindow(t(0), null, t(H), t(-48 * H)).from).toEqual(t(-24 * H));
  });

  it("the plan's shipment is the latest one not cancelled", () => {
    const s = (shipAt: string, status: string) => ({ shipAt, status }) as ShipmentDetail;
    expect(planShipment([])).toBeNull();
    expect(planShipment([s('2026-12-01', 'DELIVERED'), s('2026-12-02', 'CANCELLED')])).toMatchObject({
      shipAt: '2026-12-01',
    });
  });
});
