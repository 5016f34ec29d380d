// A minimal world for integration tests: one tenant, site, equipment model, failure mode, part and asset.
import type { Db } from '../../common/db.ts';

export async function minimalWorld(db: Db, opts: { assets?: number } = {}) {
  const tenant = await db.tenant.create({ data: { slug: 'acme', name: 'Acme' } });
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
  const assets = [];
  for (let i = 0; i < (opts.assets ?? 1); i++) {
    assets.push(
      await db.asset.create({
        data: {
          id: `pump-${i}`,
          tenantId: tenant.id,
          siteId: site.id,
          equipmentModelId: model.id,
          contractId: contract.id,
          serial: `SN-${i}`,
          name: `Pump ${i}`,
        },
      }),
    );
  }
  return { tenant, site, part, model, failureMode, contract, assets };
}
