// Reconciles the parts a technician says he fitted with the parts staged for the job: the staged parts he did
// not fit go back to stock (an UNUSED return, core/returns.ts), a part he fitted that was not staged (or more
// than staged) is recorded and flagged for the desk.
import { AppError } from '../../common/errors.ts';

export interface StagedPart {
  sku: string;
  qty: number;
}

export interface FittedLine {
  sku: string;
  qty: number;
}

export interface ReconciledLine {
  sku: string;
  fitted: number;
  staged: number;
}

export interface Reconciliation {
  lines: ReconciledLine[];
  /** Per staged sku: how many of the staged units were fitted (the rest go back). */
  usedOfStaged: Map<string, number>;
  /** Fitted beyond what was staged: recorded and flagged. */
  unstaged: FittedLine[];
  flagged: boolean;
}

export const MAX_FITTED_QTY = 99;

export function reconcileFitted(staged: StagedPart[], fitted: FittedLine[]): Reconciliation {
  const seen = new Set<string>();
  for (const f of fitted) {
    if (seen.has(f.sku)) throw new AppError('VALIDATION_FAILED', `part ${f.sku} is listed twice`);
    seen.add(f.sku);
    if (!Number.isInteger(f.qty) || f.qty < 0 || f.qty > MAX_FITTED_QTY)
      throw new AppError(
        'VALIDATION_FAILED',
        `fitted quantity of ${f.sku} must be a whole number 0-${MAX_FITTED_QTY}`,
      );
  }
  const stagedBySku = new Map<string, number>();
  for (const s of staged) stagedBySku.set(s.sku, (stagedBySku.get(s.sku) ?? 0) + s.qty);
  const fittedBySku = new Map(fitted.map((f) => [f.sku, f.qty]));
  const skus = [...new Set([...stagedBySku.keys(), ...fittedBySku.keys()])];
  const lines = skus.map((sku) => ({
    sku,
    fitted: fittedBySku.get(sku) ?? 0,
    staged: stagedBySku.get(sku) ?? 0,
  }));
  const usedOfStaged = new Map(
    [...stagedBySku].map(([sku, qty]) => [sku, Math.min(qty, fittedBySku.get(sku) ?? 0)] as const),
  );
  const unstaged = lines
    .filter((l) => l.fitted > l.staged)
    .map((l) => ({ sku: l.sku, qty: l.fitted - l.staged }));
  return {
    lines: lines.filter((l) => l.fitted > 0 || l.staged > 0),
    usedOfStaged,
    unstaged,
    flagged: unstaged.length > 0,
  };
}

/** The serial number of the removed part: required, printable, at most 100 characters. */
export function removedSerialOf(raw: string | undefined): string {
  const s = raw?.trim() ?? '';
  if (s === '') throw new AppError('VALIDATION_FAILED', "completion needs the removed part's serial number");
  if (s.length > 100 || !/^[\x20-\x7e]+$/.test(s))
    throw new AppError('VALIDATION_FAILED', 'the serial number is up to 100 printable characters');
  return s;
}

/** The order-history note of a completion: what was fitted, and what was flagged. */
export function reconciliationNote(r: Reconciliation): string {
  const fitted = r.lines.filter((l) => l.fitted > 0).map((l) => `${l.fitted} × ${l.sku}`);
  const unused = r.lines.filter((l) => l.staged > l.fitted).map((l) => `${l.staged - l.fitted} × ${l.sku}`);
  return [
    `fitted ${fitted.join(', ') || 'nothing'}`,
    unused.length ? `unused ${unused.join(', ')}` : null,
    r.flagged ? `FLAGGED not staged: ${r.unstaged.map((u) => `${u.qty} × ${u.sku}`).join(', ')}` : null,
  ]
    .filter(Boolean)
    .join('; ');
}
