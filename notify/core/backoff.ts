// When a failed delivery is tried again: exponential back-off with jitter, up to a maximum of attempts.

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxDelayMs: number;
}

/**
 * The wait after the `attempt`-th failed try (1-based): base · 2^(attempt−1), capped at maxDelayMs, then
 * "equal jitter" — half of it fixed, the other half random — so receivers coming back up are not hit by every
 * retry at once, and the wait never drops below half the schedule.
 */
export function retryDelayMs(attempt: number, p: RetryPolicy, random: () => number): number {
  const exp = Math.min(p.maxDelayMs, p.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 40)));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export type AfterFailure = { status: 'PENDING'; nextAttemptAt: Date } | { status: 'FAILED' };

/** What happens after the `attempts`-th try failed: another try later, or given up. */
export function afterFailure(
  attempts: number,
  now: Date,
  p: RetryPolicy,
  random: () => number,
): AfterFailure {
  if (attempts >= p.maxAttempts) return { status: 'FAILED' };
  return { status: 'PENDING', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, p, random)) };
}
