import { seededRandom } from '../../../common/random.ts';

/** Seeded pseudo-random numbers (mulberry32): deterministic across runs and platforms. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export function createRng(seed: number): Rng {
  const next = seededRandom((Math.trunc(seed) ^ 0x9e3779b9) >>> 0);
  return { next, int: (n: number) => Math.floor(next() * n) };
}
