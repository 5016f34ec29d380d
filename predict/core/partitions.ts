// Predict partitioned by asset (docs/scale-out.md, "Predict workers"): which partition an asset belongs to, which
// live worker owns each partition, and what a worker does about a partition's lease when the members change.
// Pure: every worker computes the same owner map from the same member list.

export const DEFAULT_PARTITIONS = 64;

/** FNV-1a, 32 bits: stable across processes, machines and Node versions. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The partition of an asset: stable hash of tenant/asset mod the partition count. */
export function partitionOf(tenantId: string, assetId: string, partitions: number): number {
  return fnv1a(`${tenantId}/${assetId}`) % partitions;
}

/** A well-mixed 32-bit score of a (member, partition) pair (FNV-1a followed by a murmur3 finaliser). */
function score(member: string, partition: number): number {
  let h = fnv1a(`${member}#${partition}`);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Rendezvous (highest random weight) hashing: the member with the highest score owns the partition. When a member
 * leaves only its partitions move; when one joins it takes about 1/n of them from the others.
 */
export function ownerOf(partition: number, members: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const m of members) {
    const s = score(m, partition);
    if (s > bestScore || (s === bestScore && best !== undefined && m < best)) {
      best = m;
      bestScore = s;
    }
  }
  return best;
}

/** Owner of every partition 0…partitions−1 (empty when no member is alive). */
export function assignPartitions(members: readonly string[], partitions: number): Map<number, string> {
  const out = new Map<number, string>();
  for (let p = 0; p < partitions; p++) {
    const owner = ownerOf(p, members);
    if (owner !== undefined) out.set(p, owner);
  }
  return out;
}

/** The partitions one member owns, ascending. */
export function partitionsOf(member: string, members: readonly string[], partitions: number): number[] {
  const out: number[] = [];
  for (const [p, owner] of assignPartitions(members, partitions)) if (owner === member) out.push(p);
  return out;
}

/**
 * What a worker does with a partition's lease (the lease says who consumes it now; the owner map says who
 * should). `take`: it should own the partition and the lease is free, its own (from before a restart), or held
 * by a member no longer alive. `wait`: it should own it, but the live previous holder has not released it yet.
 * `keep`: it owns and consumes it. `release`: it consumes it or holds its lease but another member owns it now:
 * stop consuming, then free the lease. `none`: not its business.
 */
export type LeaseStep = 'take' | 'wait' | 'keep' | 'release' | 'none';

export function leaseStep(o: {
  me: string;
  owner: string | undefined;
  holder: string | undefined;
  /** Whether this worker consumes the partition now. */
  held: boolean;
  live: ReadonlySet<string>;
}): LeaseStep {
  if (o.owner === o.me) {
    if (o.held) return 'keep';
    if (o.holder === undefined || o.holder === o.me || !o.live.has(o.holder)) return 'take';
    return 'wait';
  }
  return o.held || o.holder === o.me ? 'release' : 'none';
}
