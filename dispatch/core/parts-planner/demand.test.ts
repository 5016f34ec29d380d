import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../common/random.ts';
import {
  baseRateProbability,
  calibrate,
  expectedCalibrationError,
  learnBaseRates,
  learnCalibration,
  reliabilityDiagram,
} from './demand.ts';

/**
 * A simulated backtest: each prediction's true probability q is uniform in 0.05..0.95, the model reports an
 * over-confident score (√q), the outcome happens with probability q. Calibrated on the first half, checked on
 * the second by a reliability diagram: every well-filled bin's observed frequency within 0.06 of its mean
 * predicted probability.
 */
function backtest(n: number, seed: number): { confidence: number; confirmed: boolean }[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const q = 0.05 + 0.9 * rnd();
    return { confidence: Math.sqrt(q), confirmed: rnd() < q };
  });
}

describe('confidence calibration', () => {
  const train = backtest(6_000, 1);
  const test = backtest(6_000, 2);
  const cal = learnCalibration(train);

  it('makes the reliability diagram of held-out predictions diagonal', () => {
    const diagram = reliabilityDiagram(
      test.map((t) => ({ p: calibrate(cal, t.confidence), happened: t.confirmed })),
    );
    for (const bin of diagram.filter((b) => b.n >= 200))
      expect(Math.abs(bin.observed - bin.meanPredicted)).toBeLessThan(0.06);
    expect(expectedCalibrationError(diagram)).toBeLessThan(0.03);
  });

  it('is needed: the raw scores are over-confident', () => {
    const raw = reliabilityDiagram(test.map((t) => ({ p: t.confidence, happened: t.confirmed })));
    expect(expectedCalibrationError(raw)).toBeGreaterThan(0.1);
  });

  it('keeps the raw confidence without history and stays monotone', () => {
    const none = learnCalibration([]);
    expect(calibrate(none, 0.42)).toBeCloseTo(0.42, 6);
    let last = -1;
    for (let c = 0; c <= 1; c += 0.01) {
      const p = calibrate(cal, c);
      expect(p).toBeGreaterThanOrEqual(last - 1e-12);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      last = p;
    }
  });
});

describe('base rates from history', () => {
  it('learns each mode’s rate and its horizon probabilities are calibrated on a simulated fleet', () => {
    const rnd = seededRandom(7);
    const truth: Record<string, number> = { bearing: 0.004, seal: 0.0015, valve: 0.0004 };
    const H = 14;
    // one year of history per asset, 300 assets per mode
    const history = Object.entries(truth).map(([key, rate]) => {
      let failures = 0;
      for (let a = 0; a < 300; a++) for (let d = 0; d < 365; d++) if (rnd() < rate) failures++;
      return { failureModeKey: key, failures, exposureDays: 300 * 365 };
    });
    const learnt = learnBaseRates(history);
    for (const [key, rate] of Object.entries(truth))
      expect(Math.abs((learnt[key] as number) - rate) / rate).toBeLessThan(0.15);
    // the next horizon: did each asset need the part?
    const points = Object.entries(truth).flatMap(([key, rate]) =>
      Array.from({ length: 3_000 }, () => {
        let happened = false;
        for (let d = 0; d < H && !happened; d++) happened = rnd() < rate;
        return { p: baseRateProbability(learnt[key] as number, H), happened };
      }),
    );
    for (const bin of reliabilityDiagram(points, 20).filter((b) => b.n >= 1_000))
      expect(Math.abs(bin.observed - bin.meanPredicted)).toBeLessThan(0.02);
  });

  it('falls back to the prior without history', () => {
    const r = learnBaseRates([{ failureModeKey: 'new', failures: 0, exposureDays: 0 }], {
      ratePerDay: 0.001,
      strengthDays: 1000,
    });
    expect(r['new']).toBeCloseTo(0.001, 9);
  });
});
