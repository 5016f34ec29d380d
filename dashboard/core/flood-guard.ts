// Rate limit of what one live connection sends (asset:watch and any other event): a token bucket, one log line
// per window instead of one per event, and the verdict to close a connection that keeps flooding. Pure.
import { fullBucket, take, type Bucket, type BucketSpec } from './token-bucket.ts';

export interface FloodPolicy {
  bucket: BucketSpec;
  /** Length of a logging window. */
  windowMs: number;
  /** Events refused for rate within one window after which the connection is closed. */
  disconnectAfter: number;
}

export const DEFAULT_FLOOD_POLICY: FloodPolicy = {
  bucket: { capacity: 50, perSecond: 10 },
  windowMs: 10_000,
  disconnectAfter: 500,
};

export interface FloodState {
  bucket: Bucket;
  windowStart: number;
  /** Events refused for rate in this window. */
  limited: number;
  /** Events refused for what they asked (e.g. another tenant's asset) in this window. */
  refused: number;
}

export const freshFloodState = (p: FloodPolicy, nowMs: number): FloodState => ({
  bucket: fullBucket(p.bucket, nowMs),
  windowStart: nowMs,
  limited: 0,
  refused: 0,
});

export interface FloodDecision {
  state: FloodState;
  allow: boolean;
  /** The first event refused for rate in this window: log it (and only it). */
  logLimited: boolean;
  /** Close the connection. */
  disconnect: boolean;
  /** The window that just ended, when it refused more than one event: log its counts once. */
  summary?: { limited: number; refused: number };
}

function roll(
  p: FloodPolicy,
  s: FloodState,
  nowMs: number,
): { state: FloodState; summary?: FloodDecision['summary'] } {
  if (nowMs - s.windowStart < p.windowMs) return { state: s };
  const summary = s.limited > 1 || s.refused > 1 ? { limited: s.limited, refused: s.refused } : undefined;
  return { state: { ...s, windowStart: nowMs, limited: 0, refused: 0 }, summary };
}

/** One event arrives. */
export function admit(p: FloodPolicy, s0: FloodState, nowMs: number): FloodDecision {
  const { state: s, summary } = roll(p, s0, nowMs);
  const t = take(p.bucket, s.bucket, nowMs);
  if (t.allowed)
    return { state: { ...s, bucket: t.bucket }, allow: true, logLimited: false, disconnect: false, summary };
  const limited = s.limited + 1;
  return {
    state: { ...s, bucket: t.bucket, limited },
    allow: false,
    logLimited: limited === 1,
    disconnect: limited >= p.disconnectAfter,
    summary,
  };
}

/** An admitted event was refused for what it asked: log only the first such refusal of a window. */
export function refusal(
  p: FloodPolicy,
  s0: FloodState,
  nowMs: number,
): { state: FloodState; log: boolean; summary?: FloodDecision['summary'] } {
  const { state: s, summary } = roll(p, s0, nowMs);
  const refused = s.refused + 1;
  return { state: { ...s, refused }, log: refused === 1, summary };
}
