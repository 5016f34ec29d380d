/** Ridge regression via normal equations (small feature counts only). */

export interface LinearModel {
  weights: number[];
  bias: number;
}

/** Fit y ≈ X·w + b on row-major X (n × d) with L2 penalty `lambda` (bias unpenalised). */
export function fitRidge(X: Float64Array, y: ArrayLike<number>, d: number, lambda = 1): LinearModel {
  const n = y.length;
  if (n === 0) return { weights: new Array<number>(d).fill(0), bias: 0 };
  const mx = new Float64Array(d);
  let my = 0;
  for (let i = 0; i < n; i++) {
    my += y[i] as number;
    for (let j = 0; j < d; j++) mx[j] = (mx[j] as number) + (X[i * d + j] as number);
  }
  my /= n;
  for (let j = 0; j < d; j++) mx[j] = (mx[j] as number) / n;
  const A = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = (X[i * d + j] as number) - (mx[j] as number);
    const yc = (y[i] as number) - my;
    for (let a = 0; a < d; a++) {
      const ra = row[a] as number;
      rhs[a] = (rhs[a] as number) + ra * yc;
      for (let b = a; b < d; b++) A[a * d + b] = (A[a * d + b] as number) + ra * (row[b] as number);
    }
  }
  for (let a = 0; a < d; a++) {
    A[a * d + a] = (A[a * d + a] as number) + lambda;
    for (let b = 0; b < a; b++) A[a * d + b] = A[b * d + a] as number;
  }
  const w = solveSymmetric(A, rhs, d);
  let bias = my;
  for (let j = 0; j < d; j++) bias -= (w[j] as number) * (mx[j] as number);
  return { weights: Array.from(w), bias };
}

export function applyLinear(model: LinearModel, X: Float64Array, d: number): Float64Array {
  const n = X.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = model.bias;
    for (let j = 0; j < d; j++) s += (model.weights[j] as number) * (X[i * d + j] as number);
    out[i] = s;
  }
  return out;
}

/** Gaussian elimination with partial pivoting. */
function solveSymmetric(A: Float64Array, b: Float64Array, d: number): Float64Array {
  const M = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++)
      if (Math.abs(M[r * d + c] as number) > Math.abs(M[p * d + c] as number)) p = r;
    if (p !== c) {
      for (let k = 0; k < d; k++) {
        const t = M[c * d + k] as number;
        M[c * d + k] = M[p * d + k] as number;
        M[p * d + k] = t;
      }
      const t = x[c] as number;
      x[c] = x[p] as number;
      x[p] = t;
    }
    const piv = M[c * d + c] as number;
    if (Math.abs(piv) < 1e-300) continue;
    for (let r = c + 1; r < d; r++) {
      const f = (M[r * d + c] as number) / piv;
      if (f === 0) continue;
      for (let k = c; k < d; k++) M[r * d + k] = (M[r * d + k] as number) - f * (M[c * d + k] as number);
      x[r] = (x[r] as number) - f * (x[c] as number);
    }
  }
  const out = new Float64Array(d);
  for (let r = d - 1; r >= 0; r--) {
    let s = x[r] as number;
    for (let k = r + 1; k < d; k++) s -= (M[r * d + k] as number) * (out[k] as number);
    const piv = M[r * d + r] as number;
    out[r] = Math.abs(piv) < 1e-300 ? 0 : s / piv;
  }
  return out;
}
