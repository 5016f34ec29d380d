// Writes the demo world (simulators/demo-world.ts) to an empty database. Idempotent: a seeded database is left as it is.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../common/db.ts';
import type { Logger } from '../common/logger.ts';
import { hashPassword } from '../common/password.ts';
import { topics } from '../common/contracts/mqtt.ts';
import { CATALOG, type EquipmentSpec, type FailureModeSpec } from './core/catalog.ts';
import {
  DEMO_ACCOUNTS,
  DEMO_LOCATIONS,
  DEMO_MODEL_PARAMS,
  DEMO_STOCK,
  DEMO_TECHNICIANS,
  DEMO_TENANTS,
  demoAssets,
  demoDevicePassword,
} from './demo-world.ts';

/** The demo's trend model for a failure mode: exponential wear from the healthy level, alert at 15% of the way. */
function trendParams(eq: EquipmentSpec, fm: FailureModeSpec) {
  const base = eq.metrics.find((m) => m.name === fm.metric)!.base;
  return { ...DEMO_MODEL_PARAMS, metric: fm.metric, failureLevel: fm.failureLevel, direction: 'up', shape: fm.shape, baseline: base, alertLevel: base + 0.15 * (fm.failureLevel - base) };
}

export async function seedDemo(db: Db, opts: { assets: number; secret: string; dataDir?: string; log?: Logger }): Promise<boolean> {
  if (await db.tenant.findUnique({ where: { slug: DEMO_TENANTS[0]!.slug } })) return false;
  const parts = new Map<string, string>();
  for (const eq of CATALOG) {
    for (const fm of eq.failureModes) {
      const p = await db.part.upsert({ where: { sku: fm.part.sku }, create: fm.part, update: {} });
      parts.set(p.sku, p.id);
    }
  }
  const equipment = new Map<string, string>();
  for (const eq of CATALOG) {
    const model = await db.equipmentModel.create({
      data: { key: eq.key, name: eq.name, metrics: { create: eq.metrics.map(({ name, unit, minValid, maxValid }) => ({ name, unit, minValid, maxValid })) } },
    });
    equipment.set(eq.key, model.id);
    for (const fm of eq.failureModes) {
      const mode = await db.failureMode.create({
        data: { equipmentModelId: model.id, key: fm.key, name: fm.name, skill: fm.skill, partId: parts.get(fm.part.sku)!, partQty: 1, repairMinutes: 90 },
      });
      await db.predictionModel.create({
        data: {
          key: `${eq.key}/${fm.key}/trend`,
          name: `${fm.name}: trend to failure level`,
          kind: 'TREND',
          equipmentModelId: model.id,
          failureModeId: mode.id,
          versions: {
            create: {
              version: 1,
              status: 'ACTIVE',
              author: 'demo seed',
              params: trendParams(eq, fm),
            },
          },
        },
      });
    }
  }
  const tenants = new Map<string, { id: string; sites: string[]; contracts: Record<string, string> }>();
  for (const t of DEMO_TENANTS) {
    const tenant = await db.tenant.create({ data: { slug: t.slug, name: t.name } });
    const sites = [];
    for (const s of t.sites) sites.push((await db.site.create({ data: { ...s, tenantId: tenant.id } })).id);
    const critical = await db.serviceContract.create({ data: { tenantId: tenant.id, name: 'Critical care (same day)', tier: 'CRITICAL', responseHours: 4 } });
    const standard = await db.serviceContract.create({ data: { tenantId: tenant.id, name: 'Standard (next day)', tier: 'STANDARD', responseHours: 24 } });
    tenants.set(t.slug, { id: tenant.id, sites, contracts: { CRITICAL: critical.id, STANDARD: standard.id } });
  }
  const devices: { assetId: string; username: string; password: string; telemetryTopic: string; statusTopic: string; equipment: string }[] = [];
  for (const a of demoAssets(opts.assets)) {
    const t = tenants.get(a.tenant)!;
    const password = demoDevicePassword(opts.secret, a.id);
    await db.asset.create({
      data: {
        id: a.id,
        tenantId: t.id,
        siteId: t.sites[a.site]!,
        equipmentModelId: equipment.get(a.equipment)!,
        contractId: t.contracts[a.tier]!,
        serial: `SN-${a.id.toUpperCase()}`,
        name: `${CATALOG.find((e) => e.key === a.equipment)!.name} #${a.id.split('-').at(-1)}`,
        device: { create: { username: a.id, secretHash: await hashPassword(password) } },
      },
    });
    devices.push({ assetId: a.id, username: a.id, password, telemetryTopic: topics.telemetry(a.tenant, a.id), statusTopic: topics.status(a.tenant, a.id), equipment: a.equipment });
  }
  for (const l of DEMO_LOCATIONS) {
    const loc = await db.stockLocation.create({ data: { ...l } });
    for (const [sku, onHand] of Object.entries(DEMO_STOCK[l.code] ?? {})) {
      await db.stockLevel.create({ data: { locationId: loc.id, partId: parts.get(sku)!, onHand } });
    }
  }
  for (const t of DEMO_TECHNICIANS) await db.technician.create({ data: { ...t, homeLat: t.lat, homeLon: t.lon } });
  for (const u of DEMO_ACCOUNTS) {
    await db.user.create({
      data: { email: u.email, name: u.name, role: u.role, passwordHash: await hashPassword(u.password), tenantId: u.tenant ? tenants.get(u.tenant)!.id : null },
    });
  }
  if (opts.dataDir) writeFileSync(path.join(opts.dataDir, 'demo-devices.json'), JSON.stringify(devices, null, 1), { mode: 0o600 });
  opts.log?.info({ assets: devices.length, tenants: tenants.size }, 'demo world seeded');
  return true;
}
