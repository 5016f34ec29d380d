/**
 * Seeded generator of random instances in the spec format, shaped like the samples:
 * hubs with deep stock, forward stocking locations (fsl) with sparse stock of a few skus,
 * parts counters with opening hours and no stock, technicians with one or two skills.
 */
import { seededRandom } from '../../../common/random.ts';
import type { Location, Order, PlanInstance, Technician } from './instance.ts';
import { HOUR_MS } from './time.ts';

export interface GenerateOptions {
  seed: number;
  orders: number;
  technicians: number;
  hubs?: number;
  fsl?: number;
  counters?: number;
  /** Multiplies hub stock (default 1; below 1 makes hub stock run out). */
  hubStockScale?: number;
}

/** The seeded PRNG the generator draws from (mulberry32). */
export const rng = seededRandom;

const SKILLS = ['hvac', 'power', 'imaging'];
const SKUS = ['P-100', 'P-101', 'P-102', 'P-103', 'P-104', 'P-105', 'P-106', 'P-107'];
const REGION = { latMin: 35, latMax: 41, lonMin: -90, lonMax: -82 };

export function generateInstance(g: GenerateOptions): PlanInstance {
  const r = rng(g.seed * 7919 + 17);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
  const point = (): { lat: number; lon: number } => ({
    lat: round4(REGION.latMin + r() * (REGION.latMax - REGION.latMin)),
    lon: round4(REGION.lonMin + r() * (REGION.lonMax - REGION.lonMin)),
  });
  const scale = Math.max(1, Math.sqrt(g.orders / 25));
  const nHubs = g.hubs ?? (g.orders >= 200 ? 2 : int(1, 2));
  const nFsl = g.fsl ?? Math.round(6 * scale);
  const nCounters = g.counters ?? Math.round(6 * scale);

  // Planning time on a half hour of 2 March 2026.
  const nowMs = Date.UTC(2026, 2, 2) + int(0, 47) * 0.5 * HOUR_MS;
  const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

  const locations: Location[] = [];
  const hubCentres = [
    { lat: 38.2, lon: -86.3 },
    { lat: 36.6, lon: -83.9 },
    { lat: 39.8, lon: -88.9 },
  ];
  const stockScale = Math.max(1, g.orders / 25) * (g.hubStockScale ?? 1);
  for (let h = 0; h < nHubs; h++) {
    const c = hubCentres[h % hubCentres.length] ?? hubCentres[0];
    const stock: Record<string, number> = {};
    for (const sku of SKUS) stock[sku] = Math.max(0, Math.round((int(4, 28) * stockScale) / nHubs));
    locations.push({
      id: `HUB-${h + 1}`,
      kind: 'hub',
      lat: round4((c?.lat ?? 38) + (r() - 0.5)),
      lon: round4((c?.lon ?? -86) + (r() - 0.5)),
      stock,
    });
  }
  for (let f = 0; f < nFsl; f++) {
    const stock: Record<string, number> = {};
    const skus = [...SKUS].sort(() => r() - 0.5).slice(0, int(2, 5));
    for (const sku of skus) stock[sku] = int(0, 2);
    locations.push({ id: `FSL-${f + 1}`, kind: 'fsl', ...point(), stock });
  }
  const hours: [string, string][] = [
    ['07:00', '21:00'],
    ['07:00', '21:00'],
    ['06:00', '20:00'],
    ['08:00', '18:00'],
  ];
  for (let c = 0; c < nCounters; c++) {
    const [openUtc, closeUtc] = pick(hours);
    locations.push({ id: `PC-${c + 1}`, kind: 'counter', ...point(), stock: {}, openUtc, closeUtc });
  }

  const technicians: Technician[] = [];
  for (let t = 0; t < g.technicians; t++) {
    const first = pick(SKILLS);
    const skills = r() < 0.45 ? [first, pick(SKILLS.filter((s) => s !== first))] : [first];
    technicians.push({
      id: `T-${t + 1}`,
      ...point(),
      skills,
      availableFrom: iso(nowMs + pick([0, 0, 0.5, 1, 1, 2]) * HOUR_MS),
    });
  }
  const orders: Order[] = [];
  for (let o = 0; o < g.orders; o++) {
    orders.push({
      id: `SO-${o + 1}`,
      ...point(),
      skill: pick(SKILLS),
      sku: pick(SKUS),
      qty: r() < 0.8 ? 1 : 2,
      dueBy: iso(nowMs + pick([4, 8, 12, 24, 36, 48]) * HOUR_MS),
      repairMinutes: pick([60, 90, 120]),
    });
  }
  return {
    now: iso(nowMs),
    travel: { speedKmh: 60, roadFactor: 1.3, costPerKm: 0.55, costPerHour: 42 },
    shipping: {
      overnight: { cutoffUtc: '01:00', deliverUtc: '08:00', cost: 48 },
      courier: { speedKmh: 55, handlingMinutes: 45, baseCost: 35, costPerKm: 1.1, maxKm: 350 },
    },
    lateCostPerHour: 180,
    unplannedCost: 5000,
    locations,
    technicians,
    orders,
  };
}
