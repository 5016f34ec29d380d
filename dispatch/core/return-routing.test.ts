import { describe, expect, it } from 'vitest';
import { routeServiceableUnit } from './return-routing.ts';
import type { RoutingCandidate, RoutingInput } from './return-routing.ts';

const loc = (code: string, lon: number, have: number, target: number | null): RoutingCandidate => ({
  code,
  kind: code.startsWith('HUB') ? 'HUB' : code.startsWith('PC') ? 'COUNTER' : 'FSL',
  lat: 50,
  lon,
  have,
  target,
});

const input = (candidates: RoutingCandidate[], over: Partial<RoutingInput> = {}): RoutingInput => ({
  sku: 'P-1',
  origin: { lat: 50, lon: 8 },
  candidates,
  oldShelf: 'FSL-A',
  plan: { number: 7 },
  roadFactor: 1.3,
  ...over,
});

describe('routeServiceableUnit', () => {
  it('sends the unit to the location with the largest shortfall against the plan, not its old shelf', () => {
    const d = routeServiceableUnit(
      input([loc('HUB-1', 9, 10, 4), loc('FSL-A', 8, 2, 2), loc('FSL-B', 12, 0, 2), loc('FSL-C', 8.5, 2, 3)]),
    );
    expect(d).toMatchObject({ to: 'FSL-B', basis: 'PLAN_SHORTFALL', shortfall: 2 });
    expect(d.reason).toContain('parts review #7');
  });

  it('breaks ties by the nearest location to the unit (the cheapest to ship)', () => {
    const d = routeServiceableUnit(
      input([loc('HUB-1', 9, 0, 0), loc('FSL-FAR', 14, 0, 1), loc('FSL-NEAR', 8.2, 0, 1)]),
    );
    expect(d.to).toBe('FSL-NEAR');
  });

  it('counts units on the way as filling the target', () => {
    // "have" includes transfers in transit: FSL-B is full, FSL-C is short by one
    const d = routeServiceableUnit(
      input([loc('HUB-1', 9, 0, 0), loc('FSL-B', 8, 2, 2), loc('FSL-C', 12, 0, 1)]),
    );
    expect(d.to).toBe('FSL-C');
  });

  it('sends it to the hub when no location is short of its target', () => {
    const d = routeServiceableUnit(input([loc('HUB-1', 9, 3, 1), loc('FSL-A', 8, 2, 2)]));
    expect(d).toMatchObject({ to: 'HUB-1', basis: 'PLAN_RESERVE', shortfall: 0 });
  });

  it('without an applied plan: back to its old shelf, or the hub when it has none', () => {
    const c = [loc('HUB-1', 9, 0, null), loc('FSL-A', 8, 0, null), loc('FSL-B', 12, 0, null)];
    expect(routeServiceableUnit(input(c, { plan: null }))).toMatchObject({ to: 'FSL-A', basis: 'NO_PLAN' });
    expect(routeServiceableUnit(input(c, { plan: null, oldShelf: null })).to).toBe('HUB-1');
    expect(routeServiceableUnit(input(c, { plan: null, oldShelf: 'DEPOT-9' })).to).toBe('HUB-1');
  });

  it('ignores locations the plan sets no target for', () => {
    const d = routeServiceableUnit(
      input([loc('HUB-1', 9, 0, 0), loc('FSL-A', 8, 0, null), loc('FSL-B', 12, 0, 1)]),
    );
    expect(d.to).toBe('FSL-B');
  });
});
