/** Error metrics for remaining-useful-life predictions (d = predicted - true). */

export function rmse(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  checkLengths(predicted, truth);
  if (predicted.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) {
    const d = (predicted[i] as number) - (truth[i] as number);
    sum += d * d;
  }
  return Math.sqrt(sum / predicted.length);
}

/**
 * PHM08 / NASA scoring function: late predictions (d >= 0) are penalised harder than early ones.
 * S = sum(exp(-d/13) - 1) for d < 0 plus sum(exp(d/10) - 1) for d >= 0.
 */
export function nasaScore(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  checkLengths(predicted, truth);
  let s = 0;
  for (let i = 0; i < predicted.length; i++) {
    const d = (predicted[i] as number) - (truth[i] as number);
    s += d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1;
  }
  return s;
}

function checkLengths(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length)
    throw new Error(`length mismatch: ${a.length} predictions vs ${b.length} truths`);
}

export interface EndOfLifeErrors {
  /** Units with a true RUL at or below the threshold. */
  units: number;
  rmse: number;
  /** Predicted above the truth (late: the costly side). */
  late: number;
  /** Mean of (predicted − true) over the late ones (0 if none). */
  meanLate: number;
  /** Predicted below the truth (early). */
  early: number;
  /** Mean of (true − predicted) over the early ones (0 if none). */
  meanEarly: number;
}

/** Error split of the units near the end of life (true RUL ≤ `maxTruth`): late against early. */
export function endOfLifeErrors(
  predicted: ArrayLike<number>,
  truth: ArrayLike<number>,
  maxTruth = 50,
): EndOfLifeErrors {
  checkLengths(predicted, truth);
  let units = 0;
  let sq = 0;
  let late = 0;
  let lateSum = 0;
  let early = 0;
  let earlySum = 0;
  for (let i = 0; i < predicted.length; i++) {
    const t = truth[i] as number;
    if (t > maxTruth) continue;
    const d = (predicted[i] as number) - t;
    units++;
    sq += d * d;
    if (d > 0) {
      late++;
      lateSum += d;
    } else if (d < 0) {
      early++;
      earlySum -= d;
    }
  }
  return {
    units,
    rmse: units ? Math.sqrt(sq / units) : 0,
    late,
    meanLate: late ? lateSum / late : 0,
    early,
    meanEarly: early ? earlySum / early : 0,
  };
}
