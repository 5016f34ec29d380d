import { seededRandom } from '../../common/random.ts';

export { seededRandom };

/** Standard normal draw (Box-Muller). */
export function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/**
 * A PRNG of its own for one concern (clock skew, load phases, faults…) derived from the seed and a label, so a
 * feature drawing numbers does not shift the sequence every other feature draws from (same seed, same fleet).
 */
export function substream(seed: number, label: string): () => number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return seededRandom(h >>> 0);
}

/** Fisher-Yates shuffle (a copy) with the given PRNG. */
export function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
