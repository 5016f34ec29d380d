// The whole-loop benchmark's world: the demo's equipment, models, service-parts network and accounts, scaled to
// `assets` assets on sites spread over the network's region, with technicians and stock in proportion.
import type { Db } from '../../common/db.ts';
import { hashPassword } from '../../common/password.ts';
import { SIMULATED_MODELS } from '../../simulators/core/catalog.ts';
import { substream } from '../../simulators/core/random.ts';
import { seedDemo } from '../../simulators/demo-seed.ts';
import { DEMO_TECHNICIAN_PASSWORD, DEMO_TENANTS, demoTechnicianEmail } from '../../simulators/demo-world.ts';

export interface LoopAsset {
  id: string;
  equipment: string;
  siteId: string;
  tenant: string;
}

export interface LoopWorld {
  assets: LoopAsset[];
  technicians: number;
}

/** The region the demo network serves (Germany), as a box. */
const REGION = { lat: [47.6, 54.4], lon: [6.3, 14.6] } as const;
/** Skill sets of the added technicians, in turn: one skill or two. */
const SKILL_SETS = [
  ['mechanical'],
  ['hvac'],
  ['imaging'],
  ['hvac', 'mechanical'],
  ['imaging', 'mechanical'],
  ['hvac', 'imaging'],
];
export const ASSETS_PER_SITE = 6;
export const ASSETS_PER_TECHNICIAN = 25;

export async function seedLoopWorld(
  db: Db,
  o: { assets: number; seed: number; secret: string; start: Date },
): Promise<LoopWorld> {
  await seedDemo(db, { assets: 0, secret: o.secret });
  const rand = substream(o.seed, 'loop-world');
  const inRegion = () => ({
    lat: REGION.lat[0] + rand() * (REGION.lat[1] - REGION.lat[0]),
    lon: REGION.lon[0] + rand() * (REGION.lon[1] - REGION.lon[0]),
  });
  const tenants = await db.tenant.findMany({
    where: { slug: { in: DEMO_TENANTS.map((t) => t.slug) } },
    include: { contracts: true },
    orderBy: { slug: 'asc' },
  });
  const models = new Map(
    (await db.equipmentModel.findMany({ where: { key: { in: SIMULATED_MODELS.map((m) => m.key) } } })).map(
      (m) => [m.key, m.id],
    ),
  );

  const sites: { id: string; tenant: (typeof tenants)[number] }[] = [];
  const siteCount = Math.max(tenants.length, Math.ceil(o.assets / ASSETS_PER_SITE));
  for (let i = 0; i < siteCount; i++) {
    const tenant = tenants[i % tenants.length]!;
    const site = await db.site.create({
      data: { tenantId: tenant.id, name: `Site ${String(i + 1).padStart(3, '0')}`, ...inRegion() },
    });
    sites.push({ id: site.id, tenant });
  }
  const assets: LoopAsset[] = [];
  const rows = [];
  for (let i = 0; i < o.assets; i++) {
    const site = sites[Math.floor(rand() * sites.length)]!;
    const eq = SIMULATED_MODELS[i % SIMULATED_MODELS.length]!;
    const tier = rand() < 0.25 ? 'CRITICAL' : 'STANDARD';
    const id = `loop-${String(i + 1).padStart(5, '0')}`;
    rows.push({
      id,
      tenantId: site.tenant.id,
      siteId: site.id,
      equipmentModelId: models.get(eq.key)!,
      contractId: site.tenant.contracts.find((c) => c.tier === tier)!.id,
      serial: `SN-${id.toUpperCase()}`,
      name: `${eq.name} ${id}`,
      installedAt: o.start,
    });
    assets.push({ id, equipment: eq.key, siteId: site.id, tenant: site.tenant.slug });
  }
  await db.asset.createMany({ data: rows });

  // technicians in proportion to the fleet; everyone free from the start of the run
  const existing = await db.technician.count();
  const wanted = Math.max(existing, Math.ceil(o.assets / ASSETS_PER_TECHNICIAN));
  for (let i = existing; i < wanted; i++) {
    const at = inRegion();
    await db.technician.create({
      data: {
        code: `T-${String(i + 1).padStart(2, '0')}`,
        name: `Technician ${i + 1}`,
        skills: SKILL_SETS[i % SKILL_SETS.length]!,
        ...at,
        homeLat: at.lat,
        homeLon: at.lon,
        availableFrom: o.start,
      },
    });
  }
  await db.technician.updateMany({ data: { availableFrom: o.start } });
  // each technician reports his own field steps from his account (the demo's have theirs already)
  const passwordHash = await hashPassword(DEMO_TECHNICIAN_PASSWORD);
  const bare = await db.technician.findMany({
    where: { user: null },
    select: { id: true, code: true, name: true },
  });
  await db.user.createMany({
    data: bare.map((t) => ({
      email: demoTechnicianEmail(t.code),
      name: t.name,
      role: 'TECHNICIAN' as const,
      technicianId: t.id,
      passwordHash,
    })),
  });
  // stock in proportion to the fleet (the demo's is for 54 assets)
  const scale = Math.max(1, Math.ceil(o.assets / 54));
  if (scale > 1) await db.$executeRaw`UPDATE "StockLevel" SET "onHand" = "onHand" * ${scale}`;
  return { assets, technicians: wanted };
}
