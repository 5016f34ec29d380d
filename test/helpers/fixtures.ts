// A minimal world for integration tests and benches: one tenant, site, equipment model, failure mode, part and
// asset(s) (pumps pump-0, pump-1, … with a vibration metric).
import type { Db } from '../../common/db.ts';

export async function minimalWorld(db: Db, opts: { assets?: number; slug?: string; name?: string } = {}) {
  const tenant = await db.tenant.create({ data: { slug: opts.slug ?? 'acme', name: opts.name ?? 'Acme' } });
  const site = await db.site.create({ data: { tenantId: tenant.id, name: 'Plant', lat: 53.55, lon: 10.0 } });
  const part = await db.part.create({ data: { sku: 'P-1', name: 'Bearing', unitCost: 10 } });
  const model = await db.equipmentModel.create({
    data: {
      key: 'pump',
      name: 'Pump',
      metrics: { create: [{ name: 'vibration', unit: 'mm/s', minValid: 0, maxValid: 100 }] },
    },
  });
  const failureMode = await db.failureMode.create({
    data: { equipmentModelId: model.id, key: 'bearing', name: 'Bearing', skill: 'mech', partId: part.id },
  });
  const contract = await db.serviceContract.create({
    data: { tenantId: tenant.id, name: 'Std', tier: 'STANDARD', responseHours: 24 },
  });
  const like = { tenantId: tenant.id, siteId: site.id, equipmentModelId: model.id, contractId: contract.id };
  const assets = await addPumps(db, like, 0, opts.assets ?? 1);
  return { tenant, site, part, model, failureMode, contract, assets };
}

/** Pumps pump-<from> … pump-<to − 1> (serial SN-<i>) of one tenant, site, model and contract, in index order. */
export async function addPumps(
  db: Db,
  like: { tenantId: string; siteId: string; equipmentModelId: string; contractId: string },
  from: number,
  to: number,
) {
  const ids = Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
  await db.asset.createMany({
    data: ids.map((i) => ({
      id: `pump-${i}`,
      tenantId: like.tenantId,
      siteId: like.siteId,
      equipmentModelId: like.equipmentModelId,
      contractId: like.contractId,
      serial: `SN-${i}`,
      name: `Pump ${i}`,
    })),
  });
  const rows = new Map(
    (await db.asset.findMany({ where: { id: { in: ids.map((i) => `pump-${i}`) } } })).map((a) => [a.id, a]),
  );
  return ids.map((i) => rows.get(`pump-${i}`)!);
}
