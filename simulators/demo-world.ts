// The demo world: three customer tenants with their fleet, a service-parts network, technicians and accounts.
// Written once to an empty database in demo mode (DEMO=true); see README "Demo accounts".
import { createHmac } from 'node:crypto';
import { SIMULATED_MODELS, TURBOFAN, type EquipmentSpec, type FailureModeSpec } from './core/catalog.ts';

export const DEMO_TENANTS = [
  {
    slug: 'acme',
    name: 'Acme Hospitals',
    sites: [
      { name: 'Hamburg General', lat: 53.57, lon: 10.03 },
      { name: 'Bremen Clinic', lat: 53.08, lon: 8.8 },
    ],
  },
  {
    slug: 'globex',
    name: 'Globex Foods',
    sites: [
      { name: 'Düsseldorf Plant', lat: 51.23, lon: 6.78 },
      { name: 'Stuttgart Plant', lat: 48.78, lon: 9.18 },
    ],
  },
  {
    slug: 'initech',
    name: 'Initech Water',
    sites: [
      { name: 'Nuremberg Works', lat: 49.45, lon: 11.08 },
      { name: 'Dresden Works', lat: 51.05, lon: 13.74 },
    ],
  },
];

export const DEMO_LOCATIONS = [
  { code: 'HUB-KS', name: 'Central hub Kassel', kind: 'HUB', lat: 51.31, lon: 9.48 },
  { code: 'FSL-HH', name: 'Field stock Hamburg', kind: 'FSL', lat: 53.55, lon: 9.99 },
  { code: 'FSL-K', name: 'Field stock Cologne', kind: 'FSL', lat: 50.94, lon: 6.96 },
  { code: 'FSL-M', name: 'Field stock Munich', kind: 'FSL', lat: 48.14, lon: 11.58 },
  { code: 'FSL-B', name: 'Field stock Berlin', kind: 'FSL', lat: 52.52, lon: 13.4 },
  {
    code: 'PC-H',
    name: 'Pickup counter Hanover',
    kind: 'COUNTER',
    lat: 52.37,
    lon: 9.73,
    openUtc: '06:00',
    closeUtc: '19:00',
  },
  {
    code: 'PC-F',
    name: 'Pickup counter Frankfurt',
    kind: 'COUNTER',
    lat: 50.11,
    lon: 8.68,
    openUtc: '05:00',
    closeUtc: '21:00',
  },
  {
    code: 'PC-L',
    name: 'Pickup counter Leipzig',
    kind: 'COUNTER',
    lat: 51.34,
    lon: 12.37,
    openUtc: '06:00',
    closeUtc: '18:00',
  },
  { code: 'RD-KS', name: 'Repair depot Kassel', kind: 'REPAIR_DEPOT', lat: 51.3, lon: 9.5 },
] as const;

/** Stock per location code and SKU. The hub holds everything; field locations a few fast movers. */
export const DEMO_STOCK: Record<string, Record<string, number>> = {
  'HUB-KS': { 'CH-BRG-300': 30, 'PX-BRG-6205': 60, 'CT-TUBE-9': 6, 'TF-HPC-MOD': 2 },
  'FSL-HH': { 'CH-BRG-300': 2, 'PX-BRG-6205': 4 },
  'FSL-K': { 'CH-BRG-300': 1, 'PX-BRG-6205': 3 },
  'FSL-M': { 'PX-BRG-6205': 3, 'CT-TUBE-9': 1 },
  'FSL-B': { 'CH-BRG-300': 2, 'PX-BRG-6205': 2 },
};

export const DEMO_TECHNICIANS = [
  { code: 'T-01', name: 'Anna Becker', skills: ['hvac', 'mechanical'], lat: 53.5, lon: 10.1 },
  { code: 'T-02', name: 'Jonas Weber', skills: ['mechanical'], lat: 51.2, lon: 6.9 },
  { code: 'T-03', name: 'Lea Hoffmann', skills: ['imaging'], lat: 49.5, lon: 11.0 },
  { code: 'T-04', name: 'Felix Wagner', skills: ['hvac', 'mechanical'], lat: 48.8, lon: 9.2 },
  { code: 'T-05', name: 'Mia Schulz', skills: ['mechanical', 'imaging'], lat: 51.1, lon: 13.7 },
  { code: 'T-06', name: 'Paul Koch', skills: ['hvac', 'mechanical'], lat: 52.4, lon: 9.7 },
  { code: 'T-07', name: 'Emma Richter', skills: ['imaging', 'hvac'], lat: 50.1, lon: 8.7 },
  { code: 'T-08', name: 'Noah Klein', skills: ['mechanical'], lat: 53.1, lon: 8.8 },
];

/** Every demo technician has an account: t-01@preempt.demo … t-08@preempt.demo, password technician-demo. */
export const DEMO_TECHNICIAN_PASSWORD = 'technician-demo';
export const demoTechnicianEmail = (code: string) => `${code.toLowerCase()}@preempt.demo`;

export const DEMO_ACCOUNTS = [
  { email: 'admin@preempt.demo', name: 'Ada Admin', password: 'admin-demo', role: 'ADMIN', tenant: null },
  {
    email: 'dispatcher@preempt.demo',
    name: 'Dan Dispatcher',
    password: 'dispatcher-demo',
    role: 'DISPATCHER',
    tenant: null,
  },
  {
    email: 'engineer@preempt.demo',
    name: 'Erin Engineer',
    password: 'engineer-demo',
    role: 'ENGINEER',
    tenant: null,
  },
  {
    email: 'customer@acme.demo',
    name: 'Carla (Acme)',
    password: 'customer-demo',
    role: 'CUSTOMER',
    tenant: 'acme',
  },
  {
    email: 'customer@globex.demo',
    name: 'Gus (Globex)',
    password: 'customer-demo',
    role: 'CUSTOMER',
    tenant: 'globex',
  },
  {
    email: 'customer@initech.demo',
    name: 'Ines (Initech)',
    password: 'customer-demo',
    role: 'CUSTOMER',
    tenant: 'initech',
  },
] as const;

/**
 * Trend-model parameters of the demo's active model versions (see predict/core/trend-model.ts): one smoothed point
 * an hour over a three-day window, so the daily cycles average out and wear that develops over days stands out;
 * a trend needs 12 hours of points; four hours of margin. Chosen with `npm run bench:backtest` and `npm run bench:loop`.
 */
export const DEMO_MODEL_PARAMS = {
  resolutionMs: 3_600_000,
  windowPoints: 72,
  minPoints: 12,
  ewmaAlpha: 0.2,
  minR2: 0.7,
  horizonHours: 24,
  confirmations: 3,
  // with a point an hour, four hours of safety: due-by is at least that before the expected failure, and the
  // order horizon is that much longer
  marginMinutes: 240,
};

/** The demo's alert level for a failure mode: 15% of the way from the healthy level to failure. */
export function demoAlertLevel(eq: EquipmentSpec, fm: FailureModeSpec): number {
  const base = eq.metrics.find((m) => m.name === fm.metric)!.base;
  return base + 0.15 * (fm.failureLevel - base);
}

/** The demo's trend model for a failure mode: exponential wear from the healthy level to the failure level. */
export function demoTrendParams(eq: EquipmentSpec, fm: FailureModeSpec) {
  return {
    ...DEMO_MODEL_PARAMS,
    metric: fm.metric,
    failureLevel: fm.failureLevel,
    direction: 'up',
    shape: fm.shape,
    baseline: eq.metrics.find((m) => m.name === fm.metric)!.base,
    alertLevel: demoAlertLevel(eq, fm),
  };
}

export interface DemoAsset {
  id: string;
  tenant: string;
  site: number;
  equipment: string;
  tier: 'CRITICAL' | 'STANDARD';
}

/** `count` assets spread round-robin over tenants and simulated equipment models, with stable ids usable in topics. */
export function demoAssets(count: number): DemoAsset[] {
  const models = SIMULATED_MODELS;
  const out: DemoAsset[] = [];
  for (let i = 0; i < count; i++) {
    const tenant = DEMO_TENANTS[i % DEMO_TENANTS.length]!;
    const eq = models[Math.floor(i / DEMO_TENANTS.length) % models.length]!;
    const n = String(Math.floor(i / (DEMO_TENANTS.length * models.length)) + 1).padStart(2, '0');
    out.push({
      id: `${tenant.slug}-${eq.key.split('-')[1]}-${n}`,
      tenant: tenant.slug,
      site: i % 2,
      equipment: eq.key,
      tier: i % 4 === 0 ? 'CRITICAL' : 'STANDARD',
    });
  }
  return out;
}

/**
 * Turbofan engines that replay NASA's C-MAPSS run-to-failure data (`npm run simulate -- --replay <file>`), in a
 * tenant of their own with no customer account. The platform's own fleet leaves them alone: they stay offline
 * until a replay runs. Their metrics are the data set's columns (TURBOFAN in core/catalog.ts).
 */
export const DEMO_REPLAY = {
  tenant: {
    slug: 'aero',
    name: 'Aero Engines (C-MAPSS replay)',
    sites: [{ name: 'Engine shop Hamburg', lat: 53.63, lon: 9.99 }],
  },
  equipment: TURBOFAN.key,
  assets: 12,
} as const;

export function replayAssets(): DemoAsset[] {
  return Array.from({ length: DEMO_REPLAY.assets }, (_, i) => ({
    id: `${DEMO_REPLAY.tenant.slug}-tf-${String(i + 1).padStart(2, '0')}`,
    tenant: DEMO_REPLAY.tenant.slug,
    site: 0,
    equipment: DEMO_REPLAY.equipment,
    tier: 'STANDARD' as const,
  }));
}

/** Demo device passwords are derived from the platform secret, so the in-process fleet needs no file. */
export function demoDevicePassword(secret: string, username: string): string {
  return createHmac('sha256', secret).update(`device:${username}`).digest('base64url').slice(0, 24);
}
