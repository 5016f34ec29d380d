import { describe, expect, it } from 'vitest';
import { stagingChoices, technicianChoices, type CandidateTechnician, type ChoiceOrder } from './choices.ts';
import { DEFAULT_POLICY } from './policy.ts';
import { arrivalWithPartsReady, bestRoute, type StockPlace } from './route-timing.ts';

const now = new Date('2026-11-22T09:00:00Z');
const fsl: StockPlace = { id: 'FSL-HH', kind: 'FSL', lat: 53.55, lon: 10.0, openUtc: null, closeUtc: null };
const hub: StockPlace = { id: 'HUB-KS', kind: 'HUB', lat: 51.31, lon: 9.48, openUtc: null, closeUtc: null };
const site = { lat: 53.6, lon: 10.1 };
const tech = (code: string, lat: number, patch: Partial<CandidateTechnician> = {}): CandidateTechnician => ({
  code,
  name: code,
  skills: ['hvac'],
  lat,
  lon: 10,
  availableFrom: now,
  bookedOn: null,
  ...patch,
});
const order: ChoiceOrder = {
  number: 5,
  technician: 'T-1',
  skill: 'hvac',
  site,
  dueBy: new Date(now.getTime() + 3 * 3_600_000),
  pickup: fsl,
  partsReadyAt: now,
};

describe('technician choices', () => {
  it('puts eligible technicians first, nearest first, and says why the others are not', () => {
    const choices = technicianChoices(
      order,
      [
        tech('T-1', 53.5),
        tech('T-far', 48.1),
        tech('T-near', 53.4),
        tech('T-busy', 53.5, { bookedOn: 9 }),
        tech('T-mech', 53.5, { skills: ['mechanical'] }),
      ],
      now,
      DEFAULT_POLICY,
    );
    expect(choices.map((c) => c.code)).toEqual(['T-near', 'T-far', 'T-1', 'T-busy', 'T-mech']);
    expect(choices[0]).toMatchObject({ eligible: true, qualified: true, free: true, late: false });
    expect(choices[1]).toMatchObject({ eligible: true, late: true });
    expect(choices[2]).toMatchObject({ current: true, eligible: false });
    expect(choices[3]).toMatchObject({ free: false, bookedOn: 9, arrivalAt: null });
    expect(choices[4]).toMatchObject({ qualified: false, arrivalAt: null });
  });
});

describe('route timing', () => {
  const q = { now, policy: DEFAULT_POLICY, technician: tech('T', 53.5), site, dueBy: order.dueBy };

  it('uses stock at the pickup when it is the source', () => {
    const r = bestRoute({ ...q, pickup: fsl, source: fsl });
    expect(r?.mode).toBe('stock');
    expect(r?.shipCost).toBe(0);
    expect(r!.arrivalAt.getTime()).toBeGreaterThan(now.getTime());
  });

  it('ships from the hub by courier when within reach, else overnight', () => {
    const r = bestRoute({ ...q, pickup: fsl, source: hub });
    expect(r?.mode).toBe('courier');
    expect(r!.partsReadyAt.getTime()).toBeGreaterThan(now.getTime());
    const far = { ...fsl, id: 'FAR', lat: 47.5 };
    const o = bestRoute({
      ...q,
      policy: {
        ...DEFAULT_POLICY,
        shipping: { ...DEFAULT_POLICY.shipping, courier: { ...DEFAULT_POLICY.shipping.courier, maxKm: 10 } },
      },
      pickup: far,
      source: hub,
    });
    expect(o?.mode).toBe('overnight');
  });

  it('has no route to or from a repair depot, or by courier from a counter', () => {
    const depot: StockPlace = { ...hub, id: 'RD', kind: 'REPAIR_DEPOT' };
    const counter: StockPlace = { ...fsl, id: 'PC', kind: 'COUNTER', openUtc: '06:00', closeUtc: '19:00' };
    expect(bestRoute({ ...q, pickup: depot, source: hub })).toBeUndefined();
    expect(bestRoute({ ...q, pickup: fsl, source: counter })).toBeUndefined();
  });

  it('waits for parts that are not ready yet', () => {
    const later = new Date(now.getTime() + 10 * 3_600_000);
    const a = arrivalWithPartsReady({ ...q, pickup: fsl }, later)!;
    expect(a.getTime()).toBeGreaterThan(later.getTime());
  });
});

describe('choice previews', () => {
  const failing = { ...order, expectedFailureAt: new Date(now.getTime() + 4 * 3_600_000), shipCost: 0 };

  it('gives each technician choice its ETA, cost and verdict against the expected failure', () => {
    const [near, far, cur, busy] = technicianChoices(
      failing,
      [tech('T-1', 53.5), tech('T-far', 48.1), tech('T-near', 53.4), tech('T-busy', 53.5, { bookedOn: 9 })],
      now,
      DEFAULT_POLICY,
    );
    expect(near).toMatchObject({ code: 'T-near', onTime: true, lateByMinutes: 0 });
    expect(near!.etaAt).toBe(near!.arrivalAt);
    expect(near!.cost).toBeGreaterThan(0);
    expect(near!.cost).toBeLessThan(100);
    // 600 km away: 8+ hours to the site, after the failure; the cost has no lateness penalty in it
    expect(far).toMatchObject({ code: 'T-far', onTime: false });
    expect(far!.lateByMinutes).toBeGreaterThan(4 * 60);
    expect(far!.cost).toBeLessThan(2_000);
    expect(cur).toMatchObject({ code: 'T-1', current: true, onTime: true });
    expect(busy).toMatchObject({ etaAt: null, cost: null, onTime: null, lateByMinutes: null });
  });

  it('lists every way to re-stage, fastest first, with the current one marked and late ones flagged', () => {
    const counter: StockPlace = { ...fsl, id: 'PC', kind: 'COUNTER', openUtc: '06:00', closeUtc: '08:00' };
    const depot: StockPlace = { ...hub, id: 'RD', kind: 'REPAIR_DEPOT' };
    const stagings = stagingChoices(
      { ...failing, qty: 1, sourceCode: 'FSL-HH' },
      tech('T-1', 53.5),
      [
        { ...fsl, available: 0 },
        { ...hub, available: 3 },
        { ...counter, available: 0 },
        { ...depot, available: 5 },
      ],
      now,
      DEFAULT_POLICY,
    );
    const key = (s: { pickup: string; source: string }) => `${s.pickup}<${s.source}`;
    // no staging at the depot; the depot and empty locations are no source (FSL-HH is: it holds the order's part)
    expect(stagings.map(key).sort()).toEqual(
      ['FSL-HH<FSL-HH', 'FSL-HH<HUB-KS', 'HUB-KS<FSL-HH', 'HUB-KS<HUB-KS', 'PC<FSL-HH', 'PC<HUB-KS'].sort(),
    );
    expect(stagings[0]).toMatchObject({
      pickup: 'FSL-HH',
      source: 'FSL-HH',
      mode: 'stock',
      current: true,
      onTime: true,
    });
    // the counter closed at 08:00: collect tomorrow at 06:00, long after the failure
    const pc = stagings.find((s) => key(s) === 'PC<HUB-KS')!;
    expect(pc).toMatchObject({ onTime: false });
    expect(pc.etaAt! >= '2026-11-23T06:00').toBe(true);
    expect(stagings.at(-1)!.onTime).toBe(false);
    expect(stagingChoices({ ...failing, qty: 1, sourceCode: null }, null, [], now, DEFAULT_POLICY)).toEqual(
      [],
    );
  });

  it('offers units in transit to an empty staging location at their ETA, not when they arrive after the need', () => {
    const hour = (h: number) => new Date(now.getTime() + h * 3_600_000);
    const pc: StockPlace = { ...fsl, id: 'PC', kind: 'COUNTER', lat: 53.58, openUtc: null, closeUtc: null };
    const depot: StockPlace = { ...hub, id: 'RD', kind: 'REPAIR_DEPOT' };
    const stagings = stagingChoices(
      { ...failing, qty: 1, sourceCode: null },
      tech('T-1', 53.5),
      [
        { ...fsl, available: 0, arriving: hour(1) },
        { ...hub, available: 0, arriving: null },
        // after the expected failure (4 h): no help
        { ...pc, available: 0, arriving: hour(5) },
        { ...depot, available: 0, arriving: hour(1) },
      ],
      now,
      DEFAULT_POLICY,
    );
    expect(stagings.map((s) => `${s.pickup}<${s.source}:${s.mode}`)).toEqual(['FSL-HH<FSL-HH:in-transit']);
    const [arriving] = stagings;
    expect(arriving).toMatchObject({ partsReadyAt: hour(1).toISOString(), current: false, onTime: true });
    // collected once the units are there: the ETA is after their arrival
    expect(arriving!.etaAt! > hour(1).toISOString()).toBe(true);
    // a location with the units on its shelf is offered from stock, not from what is on its way
    const shelf = stagingChoices(
      { ...failing, qty: 1, sourceCode: null },
      tech('T-1', 53.5),
      [{ ...fsl, available: 1, arriving: hour(1) }],
      now,
      DEFAULT_POLICY,
    );
    expect(shelf.map((s) => s.mode)).toEqual(['stock']);
  });
});
