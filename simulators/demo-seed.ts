// Writes the demo world (simulators/demo-world.ts) to the database. Idempotent: the world (tenants, network,
// technicians, accounts) is written once, to an empty database; equipment models new in the catalog and demo
// assets missing for DEMO_ASSETS (say it was raised) are added at any start. The device credentials of every
// demo asset go to DATA_DIR/demo-devices.json, which `npm run simulate` reads.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../common/db.ts';
import type { Logger } from '../common/logger.ts';
import { hashPassword } from '../common/password.ts';
import { topics } from '../common/contracts/mqtt.ts';
import { mosquittoPasswordHash } from '../ingest/core/mosquitto-auth.ts';
import { CATALOG, isSimulated } from './core/catalog.ts';
import type { DeviceCredentials } from './core/devices.ts';
import {
  DEMO_ACCOUNTS,
  DEMO_LOCATIONS,
  DEMO_REPLAY,
  DEMO_STOCK,
  DEMO_TECHNICIAN_PASSWORD,
  DEMO_TECHNICIANS,
  DEMO_TENANTS,
  demoTechnicianEmail,
  demoAssets,
  demoDevicePassword,
  demoTrendParams,
  replayAssets,
  type DemoAsset,
} from './demo-world.ts';

/** The supplier of the demo parts, who takes back units under warranty (RTV claims). */
const DEMO_SUPPLIER = 'Northwind Components (demo)';

/**
 * What the demo contracts cover (docs/reverse-logistics.md): critical care pays for everything for three years
 * from the seed; standard pays for labour and travel, parts and shipping are billed unless under warranty.
 */
const DEMO_COVERAGE = {
  CRITICAL: {
    endsAt: new Date(Date.now() + 3 * 365 * 86_400_000),
    coversParts: true,
    coversLabour: true,
    coversTravel: true,
    coversShipping: true,
  },
  STANDARD: { coversParts: false, coversLabour: true, coversTravel: true, coversShipping: false },
} as const;

interface SeededTenant {
  id: string;
  /** Site ids by name. */
  sites: Map<string, string>;
  contracts: Record<'CRITICAL' | 'STANDARD', string>;
}

type TenantSpec = {
  slug: string;
  name: string;
  sites: readonly { name: string; lat: number; lon: number }[];
};

/** Equipment models of the catalog missing in the database, with metrics, failure modes and (simulated ones) trend models. */
async function ensureEquipment(db: Db): Promise<Map<string, string>> {
  const parts = new Map<string, string>();
  for (const eq of CATALOG) {
    for (const fm of eq.failureModes) {
      const p = await db.part.upsert({
        where: { sku: fm.part.sku },
        create: { ...fm.part, supplier: DEMO_SUPPLIER },
        update: {},
      });
      parts.set(p.sku, p.id);
    }
  }
  const equipment = new Map<string, string>();
  for (const eq of CATALOG) {
    const existing = await db.equipmentModel.findUnique({ where: { key: eq.key } });
    if (existing) {
      equipment.set(eq.key, existing.id);
      continue;
    }
    const model = await db.equipmentModel.create({
      data: {
        key: eq.key,
        name: eq.name,
        metrics: {
          create: eq.metrics.map(({ name, unit, minValid, maxValid }) => ({
            name,
            unit,
            minValid,
            maxValid,
          })),
        },
      },
    });
    equipment.set(eq.key, model.id);
    for (const fm of eq.failureModes) {
      const mode = await db.failureMode.create({
        data: {
          equipmentModelId: model.id,
          key: fm.key,
          name: fm.name,
          skill: fm.skill,
          partId: parts.get(fm.part.sku)!,
          partQty: 1,
          repairMinutes: 90,
        },
      });
      // replayed equipment gets no demo trend model: its data is real, the models for it are the engineers' to add
      if (eq.source !== 'physics') continue;
      await db.predictionModel.create({
        data: {
          key: `${eq.key}/${fm.key}/trend`,
          name: `${fm.name}: trend to failure level`,
          kind: 'TREND',
          equipmentModelId: model.id,
          failureModeId: mode.id,
          versions: {
            create: { version: 1, status: 'ACTIVE', author: 'demo seed', params: demoTrendParams(eq, fm) },
          },
        },
      });
    }
  }
  return equipment;
}

/** A demo tenant with its sites and contracts, created when missing. */
async function ensureTenant(db: Db, t: TenantSpec): Promise<SeededTenant> {
  const tenant =
    (await db.tenant.findUnique({ where: { slug: t.slug }, include: { sites: true, contracts: true } })) ??
    (await db.tenant.create({
      data: {
        slug: t.slug,
        name: t.name,
        sites: { create: t.sites.map((s) => ({ ...s })) },
        contracts: {
          create: [
            {
              name: 'Critical care (same day)',
              tier: 'CRITICAL',
              responseHours: 4,
              ...DEMO_COVERAGE.CRITICAL,
            },
            { name: 'Standard (next day)', tier: 'STANDARD', responseHours: 24, ...DEMO_COVERAGE.STANDARD },
          ],
        },
      },
      include: { sites: true, contracts: true },
    }));
  const contract = (tier: 'CRITICAL' | 'STANDARD') => tenant.contracts.find((c) => c.tier === tier)!.id;
  return {
    id: tenant.id,
    sites: new Map(tenant.sites.map((s) => [s.name, s.id])),
    contracts: { CRITICAL: contract('CRITICAL'), STANDARD: contract('STANDARD') },
  };
}

/** The network, technicians and accounts: written once, with the first tenants. */
async function seedNetworkAndPeople(db: Db, tenants: Map<string, SeededTenant>): Promise<void> {
  const parts = new Map((await db.part.findMany()).map((p) => [p.sku, p.id]));
  for (const l of DEMO_LOCATIONS) {
    const loc = await db.stockLocation.create({ data: { ...l } });
    for (const [sku, onHand] of Object.entries(DEMO_STOCK[l.code] ?? {})) {
      await db.stockLevel.create({ data: { locationId: loc.id, partId: parts.get(sku)!, onHand } });
    }
  }
  for (const t of DEMO_TECHNICIANS)
    await db.technician.create({ data: { ...t, homeLat: t.lat, homeLon: t.lon } });
  for (const u of DEMO_ACCOUNTS) {
    await db.user.create({
      data: {
        email: u.email,
        name: u.name,
        role: u.role,
        passwordHash: await hashPassword(u.password),
        tenantId: u.tenant ? tenants.get(u.tenant)!.id : null,
      },
    });
  }
}

/** A TECHNICIAN account for each demo technician without one (also on a demo database seeded before they existed). */
async function ensureTechnicianAccounts(db: Db): Promise<void> {
  const missing = await db.technician.findMany({
    where: { code: { in: DEMO_TECHNICIANS.map((t) => t.code) }, user: null },
  });
  for (const t of missing) {
    const email = demoTechnicianEmail(t.code);
    if (await db.user.findUnique({ where: { email }, select: { id: true } })) continue;
    await db.user.create({
      data: {
        email,
        name: t.name,
        role: 'TECHNICIAN',
        technicianId: t.id,
        passwordHash: await hashPassword(DEMO_TECHNICIAN_PASSWORD),
      },
    });
  }
}

export interface SeedDemoOptions {
  assets: number;
  secret: string;
  dataDir?: string;
  log?: Logger;
  /**
   * Where the demo fleet's devices will upload logged readings from (their backfill, platform.ts): as real devices
   * connected all that time would have, each new simulated asset gets its connectivity event ("online") then, so
   * its availability covers the backfilled span, as its telemetry does. Unset (no fleet, or no backfill): none.
   */
  onlineSince?: Date;
}

export async function seedDemo(db: Db, opts: SeedDemoOptions): Promise<boolean> {
  const fresh = !(await db.tenant.findUnique({ where: { slug: DEMO_TENANTS[0]!.slug } }));
  const equipment = await ensureEquipment(db);
  const tenantSpecs: TenantSpec[] = [...DEMO_TENANTS, DEMO_REPLAY.tenant];
  const tenants = new Map<string, SeededTenant>();
  for (const t of tenantSpecs) tenants.set(t.slug, await ensureTenant(db, t));
  if (fresh) await seedNetworkAndPeople(db, tenants);
  await ensureTechnicianAccounts(db);

  const wanted: DemoAsset[] = [...demoAssets(opts.assets), ...replayAssets()];
  const existing = new Set(
    (await db.asset.findMany({ where: { id: { in: wanted.map((a) => a.id) } }, select: { id: true } })).map(
      (a) => a.id,
    ),
  );
  let added = 0;
  const online: string[] = [];
  for (const a of wanted) {
    if (existing.has(a.id)) continue;
    const t = tenants.get(a.tenant)!;
    const spec = tenantSpecs.find((s) => s.slug === a.tenant)!;
    const password = demoDevicePassword(opts.secret, a.id);
    await db.asset.create({
      data: {
        id: a.id,
        tenantId: t.id,
        siteId: t.sites.get(spec.sites[a.site]!.name)!,
        equipmentModelId: equipment.get(a.equipment)!,
        contractId: t.contracts[a.tier],
        serial: `SN-${a.id.toUpperCase()}`,
        // every third demo asset is under the manufacturer's two-year parts warranty
        warrantyEndsAt: added % 3 === 0 ? new Date(Date.now() + 2 * 365 * 86_400_000) : null,
        name: `${CATALOG.find((e) => e.key === a.equipment)!.name} #${a.id.split('-').at(-1)}`,
        device: {
          create: {
            username: a.id,
            secretHash: await hashPassword(password),
            brokerHash: mosquittoPasswordHash(password),
          },
        },
      },
    });
    added++;
    if (isSimulated(a.equipment)) online.push(a.id);
  }
  if (opts.onlineSince && online.length > 0) {
    const at = opts.onlineSince;
    await db.assetStateEvent.createMany({
      data: online.map((assetId) => ({ assetId, at, kind: 'connectivity', value: 'online' })),
    });
  }
  if (opts.dataDir) await writeDevicesFile(db, opts.secret, opts.dataDir, opts.assets);
  if (fresh || added > 0)
    opts.log?.info(
      { assets: added, replayAssets: DEMO_REPLAY.assets, tenants: tenants.size, fresh },
      fresh ? 'demo world seeded' : 'demo assets added',
    );
  return fresh || added > 0;
}

/**
 * DATA_DIR/demo-devices.json: the credentials of every demo device, in the demo's order (tenants and models
 * evenly spread, so `npm run simulate -- --assets N` takes a balanced fleet), replay engines last.
 */
async function writeDevicesFile(db: Db, secret: string, dataDir: string, assets: number): Promise<void> {
  const order = [...demoAssets(Math.max(assets, 5000)), ...replayAssets()].map((a) => a.id);
  const rank = new Map(order.map((id, i) => [id, i]));
  const devices = await db.device.findMany({
    where: { assetId: { in: order } },
    include: { asset: { include: { tenant: true, equipmentModel: true } } },
  });
  devices.sort((a, b) => rank.get(a.assetId)! - rank.get(b.assetId)!);
  const list: (DeviceCredentials & { telemetryTopic: string; statusTopic: string })[] = devices.map((d) => ({
    assetId: d.assetId,
    tenant: d.asset.tenant.slug,
    username: d.username,
    password: demoDevicePassword(secret, d.username),
    telemetryTopic: topics.telemetry(d.asset.tenant.slug, d.assetId),
    statusTopic: topics.status(d.asset.tenant.slug, d.assetId),
    equipment: d.asset.equipmentModel.key,
  }));
  writeFileSync(path.join(dataDir, 'demo-devices.json'), JSON.stringify(list, null, 1), { mode: 0o600 });
}
