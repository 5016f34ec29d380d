// A token bucket: `capacity` events at once, refilled at `perSecond`. Pure: the caller keeps the state.
export interface BucketSpec {
  capacity: number;
  perSecond: number;
}

export interface Bucket {
  tokens: number;
  at: number;
}

export const fullBucket = (spec: BucketSpec, nowMs: number): Bucket => ({ tokens: spec.capacity, at: nowMs });

/** Takes one token if there is one; returns whether it was allowed and the bucket after. */
export function take(spec: BucketSpec, b: Bucket, nowMs: number): { allowed: boolean; bucket: Bucket } {
  const refilled = Math.min(spec.capacity, b.tokens + (Math.max(0, nowMs - b.at) / 1000) * spec.perSecond);
  if (refilled >= 1) return { allowed: true, bucket: { tokens: refilled - 1, at: nowMs } };
  return { allowed: false, bucket: { tokens: refilled, at: nowMs } };
}
