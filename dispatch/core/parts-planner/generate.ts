/**
 * Seeded generator of stock-positioning instances in the spec format, shaped like the sample
 * (shared/datasets/parts): assets clustered around twelve large German cities (see CITIES), one hub, field stocking locations (at distinct cities) and pickup counters (at cities drawn
 * independently, so some share a city with an fsl, as in the sample) growing with the fleet, 5 to 8 parts,
 * about 9% of the assets with a live prediction (high pFail, narrow window), the rest at their part's base
 * rate. Cost parameters vary around the sample's.
 */
import { seededRandom } from '../../../common/random.ts';
import type { PartsAsset, PartsInstance, PartsLocation, PartsSku } from './instance.ts';

export interface GeneratePartsOptions {
  seed: number;
  assets: number;
  fsl?: number;
  counters?: number;
  skus?: number;
  /** Share of assets with a live prediction (default 0.09, the sample's 9.4%). */
  predictedShare?: number;
}

/**
 * Berlin, Hamburg, Munich, Cologne, Frankfurt, Stuttgart, Leipzig, Dortmund, Dresden, Hanover, Nuremberg,
 * Bremen: the sample's asset density fits clusters around these twelve (the Rhine-Ruhr holds two clusters'
 * worth, not three; Mannheim, Karlsruhe, Kiel, Erfurt, Ulm and the like only see spill-over), and all 14 of
 * its locations lie near them.
 */
const CITIES: readonly [number, number][] = [
  [52.52, 13.4],
  [53.55, 9.99],
  [48.14, 11.58],
  [50.94, 6.96],
  [50.11, 8.68],
  [48.78, 9.18],
  [51.34, 12.37],
  [51.51, 7.47],
  [51.05, 13.74],
  [52.37, 9.73],
  [49.45, 11.08],
  [53.08, 8.8],
];
const UNIT_COSTS = [180, 450, 900, 900, 1400, 2600, 900, 7500];
const SLA: readonly [number, number][] = [
  [4, 6000],
  [8, 2500],
  [24, 800],
];

export function generatePartsInstance(g: GeneratePartsOptions): PartsInstance {
  const r = seededRandom(g.seed * 104_729 + 31);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const between = (lo: number, hi: number): number => lo + r() * (hi - lo);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
  const scale = Math.sqrt(g.assets / 800);
  const nFsl = g.fsl ?? Math.max(2, Math.round(6 * scale));
  const nCounters = g.counters ?? Math.max(1, Math.round(8 * scale));
  const nSku = g.skus ?? int(5, 8);
  const H = pick([14, 14, 14, 21]);

  const skus: PartsSku[] = Array.from({ length: nSku }, (_, i) => ({
    id: `P-${i + 1}`,
    unitCost: pick(UNIT_COSTS),
  }));
  const baseRate = skus.map(() => between(0.0003, 0.0016)); // failures per asset per day (the sample's range)
  const near = (c: [number, number], spread: number): { lat: number; lon: number } => ({
    lat: round4(Math.min(55.0, Math.max(47.0, c[0] + gauss() * spread))),
    lon: round4(Math.min(15.2, Math.max(5.5, c[1] + gauss() * spread * 1.4))),
  });

  const assets: PartsAsset[] = [];
  let sumP = new Array<number>(nSku).fill(0);
  for (let i = 0; i < g.assets; i++) {
    const pos =
      r() < 0.85
        ? near(pick(CITIES), 0.5)
        : { lat: round4(between(47.5, 54.5)), lon: round4(between(6.2, 14.6)) };
    const si = int(0, nSku - 1);
    const [slaHours, missPenalty] = pick(SLA);
    let pFail: number;
    let window: [number, number];
    if (r() < (g.predictedShare ?? 0.09)) {
      pFail = Math.round(between(0.25, 0.95) * 1000) / 1000;
      const len = Math.min(H, between(1, 5));
      const from = Math.round(between(0, H - len) * 100) / 100;
      window = [from, Math.min(H, Math.round((from + len) * 100) / 100)];
    } else {
      pFail = Math.round((1 - Math.exp(-(baseRate[si] as number) * H * between(0.6, 1.4))) * 1e4) / 1e4;
      window = [0, H];
    }
    sumP[si] = (sumP[si] as number) + pFail;
    assets.push({
      id: `A-${i + 1}`,
      ...pos,
      sku: (skus[si] as PartsSku).id,
      slaHours,
      missPenalty,
      pFail,
      window,
    });
  }
  sumP = sumP.map((x) => x);

  const hubCity = pick(CITIES.slice(0, 7));
  const hubStock: Record<string, number> = {};
  skus.forEach((s, i) => (hubStock[s.id] = Math.round((sumP[i] as number) * between(1.1, 1.8))));
  const locations: PartsLocation[] = [
    { id: 'HUB-1', kind: 'hub', lat: hubCity[0], lon: hubCity[1], capacity: null, stock: hubStock },
  ];
  const cities = [...CITIES].sort(() => r() - 0.5);
  for (let i = 0; i < nFsl; i++) {
    const stock: Record<string, number> = {};
    for (const s of skus) stock[s.id] = int(0, 2);
    locations.push({
      id: `FSL-${i + 1}`,
      kind: 'fsl',
      ...near(cities[i % cities.length] as [number, number], 0.15),
      capacity: pick([30, 30, 60]),
      stock,
    });
  }
  for (let i = 0; i < nCounters; i++) {
    locations.push({
      id: `PC-${i + 1}`,
      kind: 'counter',
      ...near(pick(CITIES), 0.6),
      capacity: int(2, 4),
      stock: {},
    });
  }
  return {
    horizonDays: H,
    holdingRatePerYear: pick([0.2, 0.25, 0.25, 0.3]),
    transferCost: pick([30, 35, 35, 45]),
    replenishDays: pick([1, 1, 2]),
    hubResponseHours: pick([12, 16, 16, 24]),
    hubShipCost: pick([80, 90, 90, 110]),
    localShipCost: 25,
    costPerKm: pick([0.5, 0.6, 0.6, 0.7]),
    emergencyCost: pick([1500, 1500, 2000]),
    travel: { speedKmh: pick([55, 60, 60, 65]), roadFactor: 1.3 },
    skus,
    locations,
    assets,
  };
}
