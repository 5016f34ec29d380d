/**
 * Hours since the last maintenance of each component and the last failure of each mode **as known at a
 * cut**: records after `knownUntil` are not seen, so the hours run on from the last record before it. That is
 * what the model sees after `--train-until`, where the maintenance and failure files end; training rows get
 * the same staleness (a cut drawn before their time) so that the trees learn from what they will be shown.
 * Also the alarm rule's persistence (at least k of the last m steps at or above the threshold).
 */
import type { TimedKeys } from './history.ts';

const HOUR = 3_600_000;

/**
 * Per key (0..width-1), hours from the last record at or before `min(t, knownUntil)` to `t`, clipped at `cap`
 * (`cap` when there is none); with `withAny`, one more value: the same for any key. Written to `out` at `offset`.
 */
export function hoursSinceKnown(
  tk: TimedKeys,
  width: number,
  t: number,
  knownUntil: number,
  cap: number,
  withAny: boolean,
  out: Float32Array,
  offset: number,
): void {
  const cut = Math.min(t, knownUntil);
  // Records are sorted by time: the last one at or before the cut (binary search).
  let lo = 0;
  let hi = tk.t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tk.t[mid] as number) <= cut) lo = mid + 1;
    else hi = mid;
  }
  for (let c = 0; c < width; c++) out[offset + c] = cap;
  let any = NaN;
  let seen = 0;
  for (let p = lo - 1; p >= 0 && seen < width; p--) {
    const k = tk.key[p] as number;
    const h = Math.min(cap, (t - (tk.t[p] as number)) / HOUR);
    if (Number.isNaN(any)) any = h;
    if (k < width && out[offset + k] === cap && h < cap) {
      out[offset + k] = h;
      seen++;
    }
  }
  if (withAny) out[offset + width] = Number.isNaN(any) ? cap : any;
}

/**
 * Per step j, the k-th largest of `p[j-m+1..j]` (fewer steps at the start: −Infinity until k exist): the
 * rule "at least k of the last m steps ≥ τ" fires at j exactly when this is ≥ τ.
 */
export function kthOfLast(p: ArrayLike<number>, k: number, m: number): Float64Array {
  const out = new Float64Array(p.length);
  const win: number[] = [];
  for (let j = 0; j < p.length; j++) {
    win.length = 0;
    for (let q = Math.max(0, j - m + 1); q <= j; q++) win.push(p[q] as number);
    if (win.length < k) {
      out[j] = -Infinity;
      continue;
    }
    win.sort((a, b) => b - a);
    out[j] = win[k - 1] as number;
  }
  return out;
}

/**
 * Streaming form of the rule for one asset and mode: push each step's probability, read whether it alarms (the
 * batch scoring's `predictAlarms` and the live ALARM evaluator both run this).
 */
export class PersistenceRule {
  private readonly recent: number[] = [];
  constructor(
    private readonly threshold: number | null,
    private readonly k: number,
    private readonly m: number,
  ) {}
  push(p: number): boolean {
    this.recent.push(p);
    if (this.recent.length > this.m) this.recent.shift();
    if (this.threshold === null) return false;
    let above = 0;
    for (const v of this.recent) if (v >= this.threshold) above++;
    return above >= this.k;
  }
  /** Forgets the steps seen: the next alarm needs k of the steps pushed from now on. */
  reset(): void {
    this.recent.length = 0;
  }
}
