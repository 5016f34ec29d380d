import { describe, expect, it } from 'vitest';
import { assignPartitions, fnv1a, leaseStep, ownerOf, partitionOf, partitionsOf } from './partitions.ts';

describe('partitions of assets among predict workers', () => {
  it('puts an asset in the same partition everywhere (a fixed hash, not a process-local one)', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(partitionOf('t1', 'pump-1', 64)).toBe(partitionOf('t1', 'pump-1', 64));
    expect(partitionOf('t1', 'pump-1', 64)).toBe(fnv1a('t1/pump-1') % 64);
  });

  it('spreads assets over the partitions roughly evenly', () => {
    const counts = new Array<number>(64).fill(0);
    for (let i = 0; i < 64_000; i++) counts[partitionOf('tenant', `asset-${i}`, 64)]!++;
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });

  it('gives every partition to exactly one member, the same whatever the order of the member list', () => {
    const a = assignPartitions(['w1', 'w2', 'w3'], 64);
    const b = assignPartitions(['w3', 'w1', 'w2'], 64);
    expect(a.size).toBe(64);
    expect([...a]).toEqual([...b]);
    for (const w of ['w1', 'w2', 'w3'])
      expect(partitionsOf(w, ['w1', 'w2', 'w3'], 64).length).toBeGreaterThan(10);
    expect(assignPartitions([], 8).size).toBe(0);
  });

  it('moves only the leaving member’s partitions, and about 1/n to a joining one', () => {
    const three = assignPartitions(['w1', 'w2', 'w3'], 256);
    const two = assignPartitions(['w1', 'w2'], 256);
    for (const [p, owner] of three) if (owner !== 'w3') expect(two.get(p)).toBe(owner);
    const four = assignPartitions(['w1', 'w2', 'w3', 'w4'], 256);
    let moved = 0;
    for (const [p, owner] of three)
      if (four.get(p) !== owner) {
        moved++;
        expect(four.get(p)).toBe('w4');
      }
    expect(moved).toBeGreaterThan(40);
    expect(moved).toBeLessThan(90);
    expect(ownerOf(3, ['only'])).toBe('only');
  });

  it('decides take, wait, keep and release from the owner map, the lease and the live members', () => {
    const live = new Set(['a', 'b']);
    const step = (owner: string, holder: string | undefined, held = false) =>
      leaseStep({ me: 'a', owner, holder, held, live });
    expect(step('a', undefined)).toBe('take');
    expect(step('a', 'a')).toBe('take'); // its own lease from before a restart
    expect(step('a', 'gone')).toBe('take'); // the holder's heartbeat expired
    expect(step('a', 'b')).toBe('wait'); // b is alive and still consuming it: b releases first
    expect(step('a', 'a', true)).toBe('keep');
    expect(step('b', 'a', true)).toBe('release');
    expect(step('b', 'a')).toBe('release'); // a lease left over from before a restart
    expect(step('b', 'b')).toBe('none');
    expect(step('b', undefined)).toBe('none');
  });
});
