/**
 * Instance and plan JSON of the parts-staging planner (docs: shared/specs/dispatch-plan.md),
 * with validators that throw an Error carrying a clear, path-qualified message.
 */

export type LocationKind = 'hub' | 'fsl' | 'counter';
export type Mode = 'stock' | 'courier' | 'overnight';

export const LOCATION_KINDS: readonly LocationKind[] = ['hub', 'fsl', 'counter'];
export const MODES: readonly Mode[] = ['stock', 'courier', 'overnight'];

export interface TravelParams {
  speedKmh: number;
  roadFactor: number;
  costPerKm: number;
  costPerHour: number;
}

export interface CourierParams {
  speedKmh: number;
  handlingMinutes: number;
  baseCost: number;
  costPerKm: number;
  maxKm: number;
}

export interface OvernightParams {
  cutoffUtc: string;
  deliverUtc: string;
  cost: number;
}

export interface Location {
  id: string;
  kind: LocationKind;
  lat: number;
  lon: number;
  stock: Record<string, number>;
  openUtc?: string;
  closeUtc?: string;
  /**
   * Not part of the spec (the live platform's units in transit): units on their way here, each batch on the shelf
   * from its `eta` — picked up here or shipped on from here only from then.
   */
  arrivals?: Arrival[];
}

export interface Arrival {
  sku: string;
  qty: number;
  eta: string;
}

export interface Technician {
  id: string;
  lat: number;
  lon: number;
  skills: string[];
  availableFrom: string;
}

export interface Order {
  id: string;
  lat: number;
  lon: number;
  skill: string;
  sku: string;
  qty: number;
  dueBy: string;
  repairMinutes: number;
}

export interface PlanInstance {
  now: string;
  travel: TravelParams;
  shipping: { courier: CourierParams; overnight: OvernightParams };
  lateCostPerHour: number;
  unplannedCost: number;
  locations: Location[];
  technicians: Technician[];
  orders: Order[];
}

export interface Assignment {
  order: string;
  technician: string;
  pickup: string;
  source: string;
  mode: Mode;
  partsReadyAt: string;
  arrivalAt: string;
  cost: number;
  /** Not part of the spec: set when the unit is one arriving at `source` (in transit), its ETA there. */
  sourceEta?: string;
}

export interface Plan {
  assignments: Assignment[];
  unplanned: string[];
  totalCost: number;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

type Obj = Record<string, unknown>;

function fail(path: string, message: string): never {
  throw new Error(`invalid instance: ${path} ${message}`);
}

function obj(v: unknown, path: string, what = 'instance'): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new Error(`invalid ${what}: ${path} must be an object`);
  }
  return v as Obj;
}

function field(o: Obj, key: string, path: string, what = 'instance'): unknown {
  if (!(key in o) || o[key] === undefined || o[key] === null) {
    throw new Error(`invalid ${what}: missing field ${path}.${key}`);
  }
  return o[key];
}

function num(o: Obj, key: string, path: string, opts: { min?: number; positive?: boolean } = {}): number {
  const v = field(o, key, path);
  if (typeof v !== 'number' || !Number.isFinite(v))
    fail(`${path}.${key}`, `must be a finite number, got ${JSON.stringify(v)}`);
  if (opts.positive === true && !(v > 0)) fail(`${path}.${key}`, `must be > 0, got ${v}`);
  if (opts.min !== undefined && v < opts.min) fail(`${path}.${key}`, `must be >= ${opts.min}, got ${v}`);
  return v;
}

function str(o: Obj, key: string, path: string): string {
  const v = field(o, key, path);
  if (typeof v !== 'string' || v.length === 0) fail(`${path}.${key}`, `must be a non-empty string`);
  return v;
}

function hhmm(o: Obj, key: string, path: string): string {
  const v = str(o, key, path);
  if (!HHMM.test(v)) fail(`${path}.${key}`, `must be "HH:MM" (UTC), got ${JSON.stringify(v)}`);
  return v;
}

function iso(o: Obj, key: string, path: string): string {
  const v = str(o, key, path);
  if (!ISO_UTC.test(v) || Number.isNaN(Date.parse(v))) {
    fail(`${path}.${key}`, `must be an ISO-8601 instant, got ${JSON.stringify(v)}`);
  }
  return v;
}

function lat(o: Obj, path: string): number {
  const v = num(o, 'lat', path);
  if (v < -90 || v > 90) fail(`${path}.lat`, `must be within [-90, 90], got ${v}`);
  return v;
}

function lon(o: Obj, path: string): number {
  const v = num(o, 'lon', path);
  if (v < -180 || v > 180) fail(`${path}.lon`, `must be within [-180, 180], got ${v}`);
  return v;
}

function arr(o: Obj, key: string, path: string): unknown[] {
  const v = field(o, key, path);
  if (!Array.isArray(v)) fail(`${path}.${key}`, 'must be an array');
  return v;
}

function uniqueIds(items: { id: string }[], path: string): void {
  const seen = new Set<string>();
  for (const it of items) {
    if (seen.has(it.id)) fail(path, `has duplicate id ${JSON.stringify(it.id)}`);
    seen.add(it.id);
  }
}

/** Validates untrusted JSON and returns a typed, defensively copied instance. */
export function validateInstance(input: unknown): PlanInstance {
  const root = obj(input, '$');
  const now = iso(root, 'now', '$');
  const t = obj(field(root, 'travel', '$'), '$.travel');
  const travel: TravelParams = {
    speedKmh: num(t, 'speedKmh', '$.travel', { positive: true }),
    roadFactor: num(t, 'roadFactor', '$.travel', { positive: true }),
    costPerKm: num(t, 'costPerKm', '$.travel', { min: 0 }),
    costPerHour: num(t, 'costPerHour', '$.travel', { min: 0 }),
  };
  const sh = obj(field(root, 'shipping', '$'), '$.shipping');
  const c = obj(field(sh, 'courier', '$.shipping'), '$.shipping.courier');
  const courier: CourierParams = {
    speedKmh: num(c, 'speedKmh', '$.shipping.courier', { positive: true }),
    handlingMinutes: num(c, 'handlingMinutes', '$.shipping.courier', { min: 0 }),
    baseCost: num(c, 'baseCost', '$.shipping.courier', { min: 0 }),
    costPerKm: num(c, 'costPerKm', '$.shipping.courier', { min: 0 }),
    maxKm: num(c, 'maxKm', '$.shipping.courier', { min: 0 }),
  };
  const on = obj(field(sh, 'overnight', '$.shipping'), '$.shipping.overnight');
  const overnight: OvernightParams = {
    cutoffUtc: hhmm(on, 'cutoffUtc', '$.shipping.overnight'),
    deliverUtc: hhmm(on, 'deliverUtc', '$.shipping.overnight'),
    cost: num(on, 'cost', '$.shipping.overnight', { min: 0 }),
  };
  const lateCostPerHour = num(root, 'lateCostPerHour', '$', { min: 0 });
  const unplannedCost = num(root, 'unplannedCost', '$', { min: 0 });

  const locations = arr(root, 'locations', '$').map((raw, i): Location => {
    const p = `$.locations[${i}]`;
    const l = obj(raw, p);
    const kind = str(l, 'kind', p);
    if (!(LOCATION_KINDS as readonly string[]).includes(kind)) {
      fail(`${p}.kind`, `must be one of ${LOCATION_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
    }
    const stockRaw = obj(field(l, 'stock', p), `${p}.stock`);
    const stock: Record<string, number> = {};
    for (const [sku, q] of Object.entries(stockRaw)) {
      if (typeof q !== 'number' || !Number.isFinite(q) || q < 0) {
        fail(`${p}.stock.${sku}`, `must be a non-negative number, got ${JSON.stringify(q)}`);
      }
      stock[sku] = q;
    }
    const loc: Location = {
      id: str(l, 'id', p),
      kind: kind as LocationKind,
      lat: lat(l, p),
      lon: lon(l, p),
      stock,
    };
    if (kind === 'counter') {
      loc.openUtc = hhmm(l, 'openUtc', p);
      loc.closeUtc = hhmm(l, 'closeUtc', p);
    }
    if (l.arrivals !== undefined && l.arrivals !== null)
      loc.arrivals = arr(l, 'arrivals', p).map((raw, j): Arrival => {
        const ap = `${p}.arrivals[${j}]`;
        const a = obj(raw, ap);
        return { sku: str(a, 'sku', ap), qty: num(a, 'qty', ap, { min: 0 }), eta: iso(a, 'eta', ap) };
      });
    return loc;
  });
  uniqueIds(locations, '$.locations');

  const technicians = arr(root, 'technicians', '$').map((raw, i): Technician => {
    const p = `$.technicians[${i}]`;
    const te = obj(raw, p);
    const skills = arr(te, 'skills', p).map((s, j) => {
      if (typeof s !== 'string' || s.length === 0) fail(`${p}.skills[${j}]`, 'must be a non-empty string');
      return s;
    });
    return {
      id: str(te, 'id', p),
      lat: lat(te, p),
      lon: lon(te, p),
      skills,
      availableFrom: iso(te, 'availableFrom', p),
    };
  });
  uniqueIds(technicians, '$.technicians');

  const orders = arr(root, 'orders', '$').map((raw, i): Order => {
    const p = `$.orders[${i}]`;
    const o = obj(raw, p);
    const qty = num(o, 'qty', p, { positive: true });
    return {
      id: str(o, 'id', p),
      lat: lat(o, p),
      lon: lon(o, p),
      skill: str(o, 'skill', p),
      sku: str(o, 'sku', p),
      qty,
      dueBy: iso(o, 'dueBy', p),
      repairMinutes: num(o, 'repairMinutes', p, { min: 0 }),
    };
  });
  uniqueIds(orders, '$.orders');

  return {
    now,
    travel,
    shipping: { courier, overnight },
    lateCostPerHour,
    unplannedCost,
    locations,
    technicians,
    orders,
  };
}

/** Validates the shape of a plan JSON (not its feasibility: see score.ts). */
export function validatePlan(input: unknown): Plan {
  const what = 'plan';
  const root = obj(input, '$', what);
  const rawAssignments = field(root, 'assignments', '$', what);
  if (!Array.isArray(rawAssignments)) throw new Error('invalid plan: $.assignments must be an array');
  const assignments = rawAssignments.map((raw, i): Assignment => {
    const p = `$.assignments[${i}]`;
    const a = obj(raw, p, what);
    const s = (k: string): string => {
      const v = field(a, k, p, what);
      if (typeof v !== 'string' || v.length === 0)
        throw new Error(`invalid plan: ${p}.${k} must be a non-empty string`);
      return v;
    };
    const mode = s('mode');
    if (!(MODES as readonly string[]).includes(mode)) {
      throw new Error(
        `invalid plan: ${p}.mode must be one of ${MODES.join(', ')}, got ${JSON.stringify(mode)}`,
      );
    }
    const cost = field(a, 'cost', p, what);
    if (typeof cost !== 'number' || !Number.isFinite(cost))
      throw new Error(`invalid plan: ${p}.cost must be a number`);
    return {
      order: s('order'),
      technician: s('technician'),
      pickup: s('pickup'),
      source: s('source'),
      mode: mode as Mode,
      partsReadyAt: s('partsReadyAt'),
      arrivalAt: s('arrivalAt'),
      cost,
    };
  });
  const rawUnplanned = field(root, 'unplanned', '$', what);
  if (!Array.isArray(rawUnplanned) || rawUnplanned.some((u) => typeof u !== 'string')) {
    throw new Error('invalid plan: $.unplanned must be an array of order ids');
  }
  const totalCost = field(root, 'totalCost', '$', what);
  if (typeof totalCost !== 'number' || !Number.isFinite(totalCost)) {
    throw new Error('invalid plan: $.totalCost must be a number');
  }
  return { assignments, unplanned: rawUnplanned as string[], totalCost };
}
