// Hysteresis between predictions and orders: an order opens after `confirmations` consecutive in-horizon
// predictions, and an open order whose risk has gone for `clearAfter` consecutive evaluations is flagged
// for the dispatcher (never silently cancelled). The horizon itself comes from order-horizon.ts.
export type OrderAction = 'none' | 'open' | 'flag_cleared' | 'unflag';

export interface DecisionState {
  streak: number;
  quiet: number;
  flagged: boolean;
}

export const initialDecision = (): DecisionState => ({ streak: 0, quiet: 0, flagged: false });

export function decide(
  state: DecisionState,
  inHorizon: boolean,
  hasOpenOrder: boolean,
  o: { confirmations: number; clearAfter: number },
): { state: DecisionState; action: OrderAction } {
  const s = inHorizon
    ? { streak: state.streak + 1, quiet: 0, flagged: state.flagged }
    : { streak: 0, quiet: state.quiet + 1, flagged: state.flagged };
  if (!hasOpenOrder) {
    if (inHorizon && s.streak >= o.confirmations) return { state: { ...s, flagged: false }, action: 'open' };
    return { state: { ...s, flagged: false }, action: 'none' };
  }
  if (!inHorizon && !s.flagged && s.quiet >= o.clearAfter)
    return { state: { ...s, flagged: true }, action: 'flag_cleared' };
  if (inHorizon && s.flagged && s.streak >= o.confirmations)
    return { state: { ...s, flagged: false }, action: 'unflag' };
  return { state: s, action: 'none' };
}

/**
 * Due-by: the expected failure less the margin, or the band's lower bound (the earliest credible failure) when
 * that comes sooner — an uncertain prediction is planned against its early edge — never before now.
 */
export function dueBy(expectedFailureAt: Date, now: Date, marginMinutes: number, earliestAt?: Date): Date {
  const margin = expectedFailureAt.getTime() - marginMinutes * 60_000;
  return new Date(Math.max(now.getTime(), Math.min(margin, earliestAt?.getTime() ?? margin)));
}

/** Whether an expected failure falls inside the order horizon. */
export const inOrderHorizon = (expectedFailureAt: Date, now: Date, horizonHours: number): boolean =>
  expectedFailureAt.getTime() - now.getTime() <= horizonHours * 3_600_000;

/**
 * Whether an open order's due-by moves earlier on a new estimate: only earlier (a later estimate never relaxes a
 * plan made against the earlier one), and only by a step that matters — at least `minMinutes` and a tenth of the
 * time that was left to the old due-by — so the noise of successive estimates does not ratchet it.
 */
export function forecastAdvances(currentDueBy: Date, newDueBy: Date, now: Date, minMinutes = 30): boolean {
  const step = currentDueBy.getTime() - newDueBy.getTime();
  const left = Math.max(0, currentDueBy.getTime() - now.getTime());
  return step >= Math.max(minMinutes * 60_000, 0.1 * left);
}
