// A small service-parts network for the dispatch integration tests: stock locations with stock, a repair depot,
// technicians, a prediction model, and planned orders committed the way the planner commits them.
import type { Db } from '../../common/db.ts';
import { PrismaNetworkStore } from '../../dispatch/adapters/network-store.ts';
import type { Mode } from '../../dispatch/core/planner/index.ts';
import { DEFAULT_POLICY } from '../../dispatch/core/policy.ts';
import type { ThresholdParams } from '../../predict/core/models/params.ts';
import { minimalWorld } from './fixtures.ts';

export type DispatchWorld = Awaited<ReturnType<typeof dispatchWorld>>;

export async function dispatchWorld(db: Db) {
  const world = await minimalWorld(db, { assets: 4 });
  const location = async (
    code: string,
    kind: 'HUB' | 'FSL' | 'REPAIR_DEPOT',
    lat: number,
    onHand?: number,
  ) => {
    const l = await db.stockLocation.create({ data: { code, name: code, kind, lat, lon: 10 } });
    if (onHand !== undefined)
      await db.stockLevel.create({ data: { locationId: l.id, partId: world.part.id, onHand } });
    return l;
  };
  const locations = {
    fsl1: await location('FSL-1', 'FSL', 53.5, 5),
    fsl2: await location('FSL-2', 'FSL', 53.7, 1),
    hub: await location('HUB', 'HUB', 51.3, 20),
    depot: await location('RD', 'REPAIR_DEPOT', 51.2),
  };
  const technician = (code: string, skills: string[]) =>
    db.technician.create({
      data: { code, name: `Tech ${code}`, skills, lat: 53.5, lon: 10, homeLat: 53.5, homeLon: 10 },
    });
  for (const code of ['T-A', 'T-B', 'T-C', 'T-D', 'T-E', 'T-F']) await technician(code, ['mech']);
  await technician('T-H', ['hvac']);
  const model = await db.predictionModel.create({
    data: {
      key: 'pump-bearing',
      name: 'Pump bearing wear',
      kind: 'TREND',
      equipmentModelId: world.model.id,
      failureModeId: world.failureMode.id,
      versions: { create: { version: 3, status: 'ACTIVE', params: {}, author: 'test' } },
    },
    include: { versions: true },
  });
  return { ...world, locations, modelVersion: model.versions[0]! };
}

/** An ACTIVE THRESHOLD model on the world's failure mode (the world's own model has no valid parameters). */
export async function thresholdModel(db: Db, w: DispatchWorld, params: ThresholdParams) {
  return db.predictionModel.create({
    data: {
      key: 'pump-bearing-threshold',
      name: 'Pump bearing vibration',
      kind: 'THRESHOLD',
      equipmentModelId: w.model.id,
      failureModeId: w.failureMode.id,
      versions: { create: { version: 1, status: 'ACTIVE', params: { ...params }, author: 'test' } },
    },
  });
}

let openKeys = 0;

/** A predicted order (raised by a prediction of the world's model version), then planned as the planner would. */
/** A predicted order, raised by a prediction of the world's model version, waiting for a plan. */
export async function predictedOrder(db: Db, w: DispatchWorld, assetIndex = 0) {
  const now = new Date();
  const asset = w.assets[assetIndex]!;
  const prediction = await db.prediction.create({
    data: {
      assetId: asset.id,
      failureModeId: w.failureMode.id,
      modelVersionId: w.modelVersion.id,
      expectedFailureAt: new Date(now.getTime() + 6 * 3_600_000),
      bandEarliestAt: new Date(now.getTime() + 4 * 3_600_000),
      bandLatestAt: new Date(now.getTime() + 8 * 3_600_000),
      confidence: 0.9,
      evidence: {},
    },
  });
  const order = await db.serviceOrder.create({
    data: {
      tenantId: w.tenant.id,
      assetId: asset.id,
      failureModeId: w.failureMode.id,
      predictionId: prediction.id,
      openKey: `test-${++openKeys}`,
      slaTier: 'STANDARD',
      expectedFailureAt: prediction.expectedFailureAt,
      dueBy: new Date(now.getTime() + 5 * 3_600_000),
      events: { create: { status: 'PREDICTED', actor: 'test model' } },
    },
  });
  return { order, prediction };
}

/** A predicted order, then planned as the planner would. */
export async function plannedOrder(
  db: Db,
  w: DispatchWorld,
  plan: { technician: string; source?: string; pickup?: string; mode?: Mode; asset?: number } = {
    technician: 'T-A',
  },
) {
  const now = new Date();
  const { order, prediction } = await predictedOrder(db, w, plan.asset ?? 0);
  const source = plan.source ?? 'FSL-1';
  await new PrismaNetworkStore(db).commit(
    {
      order: order.id,
      technician: plan.technician,
      source,
      pickup: plan.pickup ?? source,
      mode: plan.mode ?? 'stock',
      partsReadyAt: now.toISOString(),
      arrivalAt: new Date(now.getTime() + 3_600_000).toISOString(),
      cost: 10,
    },
    { now, policy: DEFAULT_POLICY, actor: 'planner' },
  );
  return { order, prediction };
}

/**
 * Every stock level holds exactly its held reservations (those on its shelf: not the ones held against a transfer
 * still in transit), never more than on hand, never below zero.
 */
export async function stockViolations(db: Db): Promise<string[]> {
  const [levels, held] = await Promise.all([
    db.stockLevel.findMany({ include: { location: true } }),
    db.reservation.groupBy({
      by: ['locationId', 'partId'],
      where: { status: 'HELD', transferId: null },
      _sum: { qty: true },
    }),
  ]);
  const out: string[] = [];
  for (const l of levels) {
    const h = held.find((r) => r.locationId === l.locationId && r.partId === l.partId)?._sum.qty ?? 0;
    if (l.reserved !== h) out.push(`${l.location.code}: reserved ${l.reserved} but ${h} held`);
    if (l.reserved < 0 || l.reserved > l.onHand) out.push(`${l.location.code}: ${l.reserved}/${l.onHand}`);
  }
  return out;
}

/** Technicians booked on more than one open order. */
export async function doubleBookings(db: Db): Promise<string[]> {
  const rows = await db.serviceOrder.groupBy({
    by: ['technicianId'],
    where: { status: { notIn: ['PREDICTED', 'COMPLETED', 'CANCELLED'] }, technicianId: { not: null } },
    _count: { _all: true },
  });
  return rows.filter((r) => r._count._all > 1).map((r) => `${r.technicianId}: ${r._count._all} jobs`);
}

export const level = async (db: Db, w: DispatchWorld, locationId: string) =>
  db.stockLevel.findUniqueOrThrow({
    where: { locationId_partId: { locationId, partId: w.part.id } },
    select: { onHand: true, reserved: true },
  });

/** An APPLIED parts review whose plan wants `targets[code]` units of `sku` at each location (return routing, re-sends). */
export async function appliedPartsPlan(
  db: Db,
  sku: string,
  targets: readonly { code: string; kind: 'fsl' | 'hub'; target: number }[],
) {
  const row = (target: number) => ({ sku, current: 0, target, expectedDemand: 0, atRisk: [] });
  await db.partsReview.create({
    data: {
      trigger: 'ON_DEMAND',
      requestedBy: 'test',
      reviewedAt: new Date(),
      horizonDays: 14,
      status: 'APPLIED',
      basis: {},
      planMs: 1,
      summary: { locations: targets.map((t) => ({ code: t.code, kind: t.kind, rows: [row(t.target)] })) },
    },
  });
}
