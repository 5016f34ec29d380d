// Ridge regression for a handful of features: accumulate XᵀX and Xᵀy row by row (constant memory in the number
// of rows), then solve (XᵀX + λI)w = Xᵀy on centred data by Gaussian elimination with partial pivoting.

export class RidgeAccumulator {
  private n = 0;
  private readonly sx: Float64Array;
  private sy = 0;
  private readonly xx: Float64Array;
  private readonly xy: Float64Array;

  constructor(private readonly d: number) {
    this.sx = new Float64Array(d);
    this.xx = new Float64Array(d * d);
    this.xy = new Float64Array(d);
  }

  add(x: ArrayLike<number>, y: number): void {
    const d = this.d;
    this.n++;
    this.sy += y;
    for (let i = 0; i < d; i++) {
      const xi = x[i]!;
      this.sx[i]! += xi;
      this.xy[i]! += xi * y;
      for (let j = 0; j <= i; j++) this.xx[i * d + j]! += xi * x[j]!;
    }
  }

  /** Weights and bias minimising the squared error plus λ‖w‖² (the bias is not penalised). */
  solve(lambda: number): { weights: number[]; bias: number } {
    const d = this.d;
    const n = Math.max(this.n, 1);
    const mx = Array.from(this.sx, (s) => s / n);
    const my = this.sy / n;
    // centred normal equations: A = XᵀX − n·mx·mxᵀ + λI, b = Xᵀy − n·mx·my
    const a: number[][] = [];
    for (let i = 0; i < d; i++) {
      const row: number[] = [];
      for (let j = 0; j < d; j++) {
        const xx = i >= j ? this.xx[i * d + j]! : this.xx[j * d + i]!;
        row.push(xx - n * mx[i]! * mx[j]! + (i === j ? lambda : 0));
      }
      row.push(this.xy[i]! - n * mx[i]! * my);
      a.push(row);
    }
    const w = solveLinear(a, d);
    const bias = my - w.reduce((s, wi, i) => s + wi * mx[i]!, 0);
    return { weights: w, bias };
  }
}

/** Solves the augmented system a (d × d+1) in place; singular directions get weight 0. */
export function solveLinear(a: number[][], d: number): number[] {
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    const pivot = a[c]![c]!;
    if (Math.abs(pivot) < 1e-12) continue;
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / pivot;
      if (f === 0) continue;
      for (let k = c; k <= d; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return Array.from({ length: d }, (_, i) => (Math.abs(a[i]![i]!) < 1e-12 ? 0 : a[i]![d]! / a[i]![i]!));
}
