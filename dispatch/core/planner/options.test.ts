import { describe, expect, it } from 'vitest';
import { haversineKm } from './geo.ts';
import { buildContext, buildOptions, evaluate, shipment } from './options.ts';
import { tinyInstance } from './test-fixtures.ts';
import { parseIso, toIso } from './time.ts';

const HUB = 0;
const FSL = 1;
const PC = 2;
const oneDeg = haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 1 });

describe('shipment rules', () => {
  const ctx = buildContext(tinyInstance());

  it('stock needs source = pickup and is ready now', () => {
    expect(shipment(ctx, FSL, FSL, 'stock')).toEqual({ readyMs: ctx.nowMs, cost: 0 });
    expect(shipment(ctx, PC, FSL, 'stock')).toBeNull();
  });

  it('courier: hub/fsl source, != pickup, within maxKm', () => {
    const c = shipment(ctx, FSL, HUB, 'courier');
    expect(c?.cost).toBeCloseTo(35 + 1.1 * oneDeg, 9);
    expect(c?.readyMs).toBeCloseTo(ctx.nowMs + 45 * 60_000 + (oneDeg / 55) * 3_600_000, 3);
    expect(shipment(ctx, FSL, FSL, 'courier')).toBeNull();
    expect(shipment(ctx, PC, HUB, 'courier')).toBeNull(); // 222 km > maxKm 150
    expect(shipment(ctx, PC, FSL, 'courier')).not.toBeNull();
    expect(shipment(ctx, HUB, PC, 'courier')).toBeNull(); // a counter cannot ship
  });

  it('courier maxKm is inclusive', () => {
    const inst = tinyInstance();
    inst.shipping.courier.maxKm = 2 * oneDeg; // exactly HUB→PC
    expect(shipment(buildContext(inst), PC, HUB, 'courier')).not.toBeNull();
    inst.shipping.courier.maxKm = 2 * oneDeg - 1e-6;
    expect(shipment(buildContext(inst), PC, HUB, 'courier')).toBeNull();
  });

  it('overnight only from a hub to another location, ready at the delivery after the next cut-off', () => {
    expect(toIso(shipment(ctx, PC, HUB, 'overnight')?.readyMs ?? 0)).toBe('2026-03-03T08:00:00.000Z');
    expect(shipment(ctx, PC, HUB, 'overnight')?.cost).toBe(48);
    expect(shipment(ctx, PC, FSL, 'overnight')).toBeNull();
    expect(shipment(ctx, HUB, HUB, 'overnight')).toBeNull();
  });
});

describe('option cost', () => {
  it('is zero for a technician on site with the part in local stock', () => {
    const ctx = buildContext(tinyInstance());
    const d = evaluate(ctx, 0, 0, FSL, ctx.nowMs, 0);
    expect(d.cost).toBe(0);
    expect(d.arrivalMs).toBe(ctx.nowMs);
  });

  it('drives, waits for parts, and pays lateness', () => {
    const inst = tinyInstance();
    inst.orders[0] = { ...inst.orders[0]!, dueBy: '2026-03-02T15:00:00Z' };
    const ctx = buildContext(inst);
    // T-2 (at PC, from 16:00) drives to HUB (2°), parts ready there at 17:00, drives to SO-1 (1°).
    const ready = parseIso('2026-03-02T17:00:00Z');
    const d = evaluate(ctx, 1, 0, HUB, ready, 10);
    const arriveHub = parseIso('2026-03-02T16:00:00Z') + ((2 * oneDeg) / 60) * 3_600_000;
    const collect = Math.max(arriveHub, ready);
    const arrival = collect + (oneDeg / 60) * 3_600_000;
    const late = (arrival - parseIso('2026-03-02T15:00:00Z')) / 3_600_000;
    expect(d.arrivalMs).toBeCloseTo(arrival, 3);
    expect(d.cost).toBeCloseTo(3 * oneDeg * 0.5 + ((3 * oneDeg) / 60) * 30 + 10 + late * 180, 6);
  });

  it('waits at a closed counter until it opens the next day', () => {
    const inst = tinyInstance();
    inst.technicians[1] = { ...inst.technicians[1]!, availableFrom: '2026-03-02T22:00:00Z' };
    const ctx = buildContext(inst);
    const d = evaluate(ctx, 1, 1, PC, ctx.nowMs, 0); // T-2 is at PC-1 at 22:00, after closing
    expect(toIso(d.arrivalMs)).toBe('2026-03-03T07:00:00.000Z');
  });
});

describe('option enumeration and pruning', () => {
  it('keeps only skilled technicians and non-dominated sources', () => {
    const ctx = buildContext(tinyInstance());
    const opts = buildOptions(ctx);
    const rows = Array.from({ length: opts.count }, (_, j) => ({
      order: opts.order[j],
      tech: opts.tech[j],
      source: opts.source[j],
      cost: opts.cost[j],
    }));
    // SO-3 needs imaging: nobody has it.
    expect(rows.some((r) => r.order === 2)).toBe(false);
    // SO-2 needs power: only T-2.
    expect(new Set(rows.filter((r) => r.order === 1).map((r) => r.tech))).toEqual(new Set([1]));
    // T-1 on SO-1: the scarce FSL unit (cost 0) first, then the hub whose stock cannot run out.
    const t1 = rows.filter((r) => r.order === 0 && r.tech === 0);
    expect(t1.map((r) => r.source)).toEqual([FSL, HUB]);
    expect(t1[0]?.cost).toBe(0);
    // The hub pool of P-1 (5 ≥ demand 2) is free; the fsl pool (1 < 2) is not.
    const pools = opts.capacities.map((c) => [c.source, c.sku, c.free]);
    expect(pools).toContainEqual([HUB, 'P-1', true]);
    expect(pools).toContainEqual([FSL, 'P-1', false]);
  });

  it('drops options that cost at least the unplanned penalty', () => {
    const inst = tinyInstance();
    inst.unplannedCost = 1;
    const opts = buildOptions(buildContext(inst));
    expect(Array.from(opts.cost).every((c) => c < 1)).toBe(true);
  });
});
