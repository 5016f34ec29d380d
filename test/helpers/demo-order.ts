// A predicted order on a demo asset (startTestPlatform's demo world), for tests of the order routes and pages:
// a failure mode some technician can fix with a part in stock and with a prediction model, an asset of it
// without an open order, the prediction (failure expected in 8 h, band 6–10 h) and the order (due in 7 h).
import type { Db } from '../../common/db.ts';

export async function demoPredictedOrder(
  db: Db,
  o: { tenant?: string; raisedAt?: Date; confidence?: number; evidence?: object } = {},
) {
  const techs = await db.technician.findMany();
  const modes = await db.failureMode.findMany({
    include: { part: { include: { stock: true } }, models: { include: { versions: true } } },
  });
  const fm = modes.find(
    (m) =>
      techs.some((t) => t.skills.includes(m.skill)) &&
      m.part.stock.some((s) => s.onHand - s.reserved >= m.partQty) &&
      m.models.some((x) => x.versions.length > 0),
  )!;
  const open = await db.serviceOrder.findMany({
    where: { openKey: { not: null } },
    select: { assetId: true },
  });
  const asset = await db.asset.findFirstOrThrow({
    where: {
      ...(o.tenant ? { tenant: { slug: o.tenant } } : {}),
      equipmentModelId: fm.equipmentModelId,
      id: { notIn: open.map((x) => x.assetId) },
    },
    include: { contract: true },
  });
  const now = Date.now();
  const prediction = await db.prediction.create({
    data: {
      assetId: asset.id,
      failureModeId: fm.id,
      modelVersionId: fm.models[0]!.versions[0]!.id,
      ...(o.raisedAt ? { raisedAt: o.raisedAt } : {}),
      expectedFailureAt: new Date(now + 8 * 3_600_000),
      bandEarliestAt: new Date(now + 6 * 3_600_000),
      bandLatestAt: new Date(now + 10 * 3_600_000),
      confidence: o.confidence ?? 0.8,
      evidence: o.evidence ?? {},
    },
  });
  const order = await db.serviceOrder.create({
    data: {
      tenantId: asset.tenantId,
      assetId: asset.id,
      failureModeId: fm.id,
      predictionId: prediction.id,
      openKey: `${asset.id}:${fm.id}`,
      slaTier: asset.contract.tier,
      expectedFailureAt: prediction.expectedFailureAt,
      dueBy: new Date(now + 7 * 3_600_000),
    },
  });
  return { orderId: order.id, predictionId: prediction.id, asset };
}

/**
 * A completed order (without a prediction) on a demo asset — of the tenant `slug` if given — and its first
 * failure mode, for tests of what follows a job: returns, findings, dispositions.
 */
export async function demoCompletedOrder(db: Db, o: { tenant?: string; sourceLocationId?: string } = {}) {
  const asset = await db.asset.findFirstOrThrow({
    ...(o.tenant ? { where: { tenant: { slug: o.tenant } } } : {}),
    include: { contract: true, equipmentModel: { include: { failureModes: true } } },
  });
  const fm = asset.equipmentModel.failureModes[0]!;
  const now = new Date();
  const order = await db.serviceOrder.create({
    data: {
      tenantId: asset.tenantId,
      assetId: asset.id,
      failureModeId: fm.id,
      status: 'COMPLETED',
      slaTier: asset.contract.tier,
      expectedFailureAt: now,
      dueBy: now,
      ...(o.sourceLocationId ? { sourceLocationId: o.sourceLocationId } : {}),
    },
  });
  return { order, asset, fm };
}
