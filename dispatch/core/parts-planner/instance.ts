/**
 * Instance and plan JSON of the stock-positioning planner (the model in shared/specs/parts-plan.md),
 * with validators that throw a `PartsPlanError` carrying a code and the path of the offending field.
 */

export type PartsLocationKind = 'hub' | 'fsl' | 'counter';
export const PARTS_LOCATION_KINDS: readonly PartsLocationKind[] = ['hub', 'fsl', 'counter'];

export interface PartsSku {
  id: string;
  unitCost: number;
}

export interface PartsLocation {
  id: string;
  kind: PartsLocationKind;
  lat: number;
  lon: number;
  /** Most units held over all skus; null = unlimited (the hub). */
  capacity: number | null;
  /** What it holds today, by sku. */
  stock: Record<string, number>;
}

export interface PartsAsset {
  id: string;
  lat: number;
  lon: number;
  sku: string;
  slaHours: number;
  missPenalty: number;
  /** Probability of one failure within the horizon. */
  pFail: number;
  /** [fromDay, toDay]: if it fails, the failure time is uniform in this window. */
  window: [number, number];
}

export interface PartsInstance {
  horizonDays: number;
  holdingRatePerYear: number;
  transferCost: number;
  replenishDays: number;
  hubResponseHours: number;
  hubShipCost: number;
  localShipCost: number;
  costPerKm: number;
  emergencyCost: number;
  travel: { speedKmh: number; roadFactor: number };
  skus: PartsSku[];
  locations: PartsLocation[];
  assets: PartsAsset[];
}

/** `{ stock: { locationId: { sku: qty } } }`: the level each location holds from day 0. */
export interface PartsPlan {
  stock: Record<string, Record<string, number>>;
}

export type PartsErrorCode = 'PARTS_INVALID_INSTANCE' | 'PARTS_INVALID_PLAN';

export class PartsPlanError extends Error {
  constructor(
    readonly code: PartsErrorCode,
    /** JSON path of the offending field, e.g. `$.assets[3].pFail`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'PartsPlanError';
  }
}

type Obj = Record<string, unknown>;
type What = 'instance' | 'plan';

const CODE: Record<What, PartsErrorCode> = { instance: 'PARTS_INVALID_INSTANCE', plan: 'PARTS_INVALID_PLAN' };

function fail(what: What, path: string, message: string): never {
  throw new PartsPlanError(CODE[what], path, `invalid ${what}: ${path} ${message}`);
}

function obj(v: unknown, path: string, what: What = 'instance'): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(what, path, 'must be an object');
  return v as Obj;
}

function field(o: Obj, key: string, path: string, what: What = 'instance'): unknown {
  if (!(key in o) || o[key] === undefined || o[key] === null) {
    throw new PartsPlanError(CODE[what], `${path}.${key}`, `invalid ${what}: missing field ${path}.${key}`);
  }
  return o[key];
}

function num(o: Obj, key: string, path: string, opts: { min?: number; positive?: boolean } = {}): number {
  const v = field(o, key, path);
  const p = `${path}.${key}`;
  if (typeof v !== 'number' || !Number.isFinite(v))
    fail('instance', p, `must be a finite number, got ${JSON.stringify(v)}`);
  if (opts.positive === true && !(v > 0)) fail('instance', p, `must be > 0, got ${v}`);
  if (opts.min !== undefined && v < opts.min) fail('instance', p, `must be >= ${opts.min}, got ${v}`);
  return v;
}

function str(o: Obj, key: string, path: string): string {
  const v = field(o, key, path);
  if (typeof v !== 'string' || v.length === 0)
    fail('instance', `${path}.${key}`, 'must be a non-empty string');
  return v;
}

function arr(o: Obj, key: string, path: string): unknown[] {
  const v = field(o, key, path);
  if (!Array.isArray(v)) fail('instance', `${path}.${key}`, 'must be an array');
  return v;
}

function isCount(q: unknown): q is number {
  return typeof q === 'number' && Number.isInteger(q) && q >= 0;
}

function latLon(o: Obj, path: string): { lat: number; lon: number } {
  const lat = num(o, 'lat', path);
  if (lat < -90 || lat > 90) fail('instance', `${path}.lat`, `must be within [-90, 90], got ${lat}`);
  const lon = num(o, 'lon', path);
  if (lon < -180 || lon > 180) fail('instance', `${path}.lon`, `must be within [-180, 180], got ${lon}`);
  return { lat, lon };
}

function uniqueIds(items: { id: string }[], path: string): void {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (seen.has(it.id)) fail('instance', `${path}[${i}].id`, `duplicates id ${JSON.stringify(it.id)}`);
    seen.add(it.id);
  });
}

/** Validates untrusted JSON and returns a typed, defensively copied instance. */
export function validateInstance(input: unknown): PartsInstance {
  const root = obj(input, '$');
  const horizonDays = num(root, 'horizonDays', '$', { positive: true });
  const t = obj(field(root, 'travel', '$'), '$.travel');
  const travel = {
    speedKmh: num(t, 'speedKmh', '$.travel', { positive: true }),
    roadFactor: num(t, 'roadFactor', '$.travel', { positive: true }),
  };
  const scalars = {
    holdingRatePerYear: num(root, 'holdingRatePerYear', '$', { min: 0 }),
    transferCost: num(root, 'transferCost', '$', { min: 0 }),
    replenishDays: num(root, 'replenishDays', '$', { min: 0 }),
    hubResponseHours: num(root, 'hubResponseHours', '$', { min: 0 }),
    hubShipCost: num(root, 'hubShipCost', '$', { min: 0 }),
    localShipCost: num(root, 'localShipCost', '$', { min: 0 }),
    costPerKm: num(root, 'costPerKm', '$', { min: 0 }),
    emergencyCost: num(root, 'emergencyCost', '$', { min: 0 }),
  };

  const skus = arr(root, 'skus', '$').map((raw, i): PartsSku => {
    const p = `$.skus[${i}]`;
    const s = obj(raw, p);
    return { id: str(s, 'id', p), unitCost: num(s, 'unitCost', p, { min: 0 }) };
  });
  if (skus.length === 0) fail('instance', '$.skus', 'must not be empty');
  uniqueIds(skus, '$.skus');
  const skuIds = new Set(skus.map((s) => s.id));

  const locations = arr(root, 'locations', '$').map((raw, i): PartsLocation => {
    const p = `$.locations[${i}]`;
    const l = obj(raw, p);
    const id = str(l, 'id', p);
    const kind = str(l, 'kind', p);
    if (!(PARTS_LOCATION_KINDS as readonly string[]).includes(kind)) {
      fail(
        'instance',
        `${p}.kind`,
        `must be one of ${PARTS_LOCATION_KINDS.join(', ')}, got ${JSON.stringify(kind)}`,
      );
    }
    const capRaw = l.capacity;
    if (!('capacity' in l) || capRaw === undefined)
      fail('instance', `${p}.capacity`, 'is missing (null = unlimited)');
    if (capRaw !== null && !isCount(capRaw)) {
      fail('instance', `${p}.capacity`, `must be a whole number >= 0 or null, got ${JSON.stringify(capRaw)}`);
    }
    const stockRaw = obj(field(l, 'stock', p), `${p}.stock`);
    for (const [sku, q] of Object.entries(stockRaw)) {
      if (!skuIds.has(sku))
        fail('instance', `${p}.stock.${sku}`, `names an unknown sku ${JSON.stringify(sku)}`);
      if (!isCount(q))
        fail('instance', `${p}.stock.${sku}`, `must be a whole number >= 0, got ${JSON.stringify(q)}`);
    }
    // entries, not assignments: a sku id such as "__proto__" must stay a key
    const stock = Object.fromEntries(Object.entries(stockRaw)) as Record<string, number>;
    return { id, kind: kind as PartsLocationKind, ...latLon(l, p), capacity: capRaw, stock };
  });
  uniqueIds(locations, '$.locations');
  const hubs = locations.filter((l) => l.kind === 'hub').length;
  if (hubs !== 1)
    fail('instance', '$.locations', `must hold exactly one location of kind "hub", got ${hubs}`);

  const assets = arr(root, 'assets', '$').map((raw, i): PartsAsset => {
    const p = `$.assets[${i}]`;
    const a = obj(raw, p);
    const id = str(a, 'id', p);
    const pos = latLon(a, p);
    const sku = str(a, 'sku', p);
    if (!skuIds.has(sku)) fail('instance', `${p}.sku`, `names an unknown sku ${JSON.stringify(sku)}`);
    const slaHours = num(a, 'slaHours', p, { min: 0 });
    const missPenalty = num(a, 'missPenalty', p, { min: 0 });
    const pFail = num(a, 'pFail', p);
    if (pFail < 0 || pFail > 1)
      fail('instance', `${p}.pFail`, `must be a probability within 0..1, got ${pFail}`);
    const w = field(a, 'window', p);
    if (!Array.isArray(w) || w.length !== 2 || !w.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      fail(
        'instance',
        `${p}.window`,
        `must be [fromDay, toDay] (two finite numbers), got ${JSON.stringify(w)}`,
      );
    }
    const [from, to] = w as [number, number];
    if (from < 0 || to > horizonDays || from > to) {
      fail(
        'instance',
        `${p}.window`,
        `must lie within the horizon 0..${horizonDays} with fromDay <= toDay, got ${JSON.stringify(w)}`,
      );
    }
    return { id, ...pos, sku, slaHours, missPenalty, pFail, window: [from, to] };
  });
  uniqueIds(assets, '$.assets');

  return { horizonDays, ...scalars, travel, skus, locations, assets };
}

export interface PlanCheck {
  valid: boolean;
  errors: string[];
}

/**
 * Checks a plan against its instance: known locations and skus, whole quantities >= 0, each location's total
 * within its capacity. Returns every problem found (an empty list = valid).
 */
export function checkPlan(instance: PartsInstance, plan: unknown): PlanCheck {
  const errors: string[] = [];
  if (typeof plan !== 'object' || plan === null || Array.isArray(plan))
    return { valid: false, errors: ['$ must be an object'] };
  const stock = (plan as Obj).stock;
  if (typeof stock !== 'object' || stock === null || Array.isArray(stock)) {
    return { valid: false, errors: ['$.stock must be an object'] };
  }
  const locs = new Map(instance.locations.map((l) => [l.id, l]));
  const skus = new Set(instance.skus.map((s) => s.id));
  for (const [locId, bySku] of Object.entries(stock as Obj)) {
    const loc = locs.get(locId);
    if (loc === undefined) {
      errors.push(`$.stock.${locId} names an unknown location`);
      continue;
    }
    if (typeof bySku !== 'object' || bySku === null || Array.isArray(bySku)) {
      errors.push(`$.stock.${locId} must be an object`);
      continue;
    }
    let total = 0;
    for (const [sku, q] of Object.entries(bySku as Obj)) {
      if (!skus.has(sku)) errors.push(`$.stock.${locId}.${sku} names an unknown sku`);
      else if (!isCount(q))
        errors.push(`$.stock.${locId}.${sku} must be a whole number >= 0, got ${JSON.stringify(q)}`);
      else total += q;
    }
    if (loc.capacity !== null && total > loc.capacity) {
      errors.push(`$.stock.${locId} holds ${total} units, above its capacity ${loc.capacity}`);
    }
  }
  return { valid: errors.length === 0, errors };
}

/** Validates a plan (throws `PartsPlanError` with code PARTS_INVALID_PLAN on the first problem). */
export function validatePlan(instance: PartsInstance, plan: unknown): PartsPlan {
  const check = checkPlan(instance, plan);
  const first = check.errors[0];
  if (first !== undefined) {
    throw new PartsPlanError('PARTS_INVALID_PLAN', first.split(' ')[0] ?? '$', `invalid plan: ${first}`);
  }
  return plan as PartsPlan;
}
