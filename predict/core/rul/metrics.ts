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
