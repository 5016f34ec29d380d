// Equipment models: metrics with their physics, failure modes and the parts they need. The demo seed writes
// every model to the database (metrics with their valid ranges, which ingest enforces); the fleet simulator
// draws readings from the simulated ones; the replay (core/replay.ts) sends recorded data as the replay ones.

export interface MetricSpec {
  name: string;
  unit: string;
  minValid: number;
  maxValid: number;
  /** Healthy level, daily swing (amplitude) and sensor noise (standard deviation). */
  base: number;
  daily: number;
  noise: number;
  /** Swing with the equipment's load cycle (amplitude; the cycle is the model's `loadCycleMinutes`). */
  load?: number;
}

export interface FailureModeSpec {
  key: string;
  name: string;
  skill: string;
  part: { sku: string; name: string; unitCost: number };
  /** The metric that degrades, the level at which the machine stops, and how it approaches it. */
  metric: string;
  failureLevel: number;
  shape: 'linear' | 'exponential';
}

export interface EquipmentSpec {
  key: string;
  name: string;
  /**
   * `physics`: the fleet simulator generates its readings (and it is part of the demo fleet). `replay`: only
   * recorded data is sent for it (`npm run simulate -- --replay`); the metrics are the recording's columns.
   */
  source: 'physics' | 'replay';
  /** Period of the load cycle (compressor staging, pump duty, scan sessions) in simulated minutes. */
  loadCycleMinutes?: number;
  metrics: MetricSpec[];
  failureModes: FailureModeSpec[];
}

/**
 * A turbofan engine as recorded in NASA's C-MAPSS run-to-failure data (../shared/datasets/cmapss/): the 3
 * operational settings and 21 sensors of each cycle, in the file's column order, as metrics `setting1`..`setting3`
 * and `s1`..`s21` (names and units from Saxena et al., PHM08). Valid ranges hold every value of FD001-FD004 with
 * room to spare. Replay only: the fleet simulator has no physics for it.
 */
export const TURBOFAN: EquipmentSpec = {
  key: 'turbofan-cmapss',
  name: 'Turbofan engine (C-MAPSS)',
  source: 'replay',
  metrics: [
    // operational setting 1: altitude
    { name: 'setting1', unit: 'kft', minValid: -1, maxValid: 50, base: 0, daily: 0, noise: 0.002 },
    // operational setting 2: Mach number
    { name: 'setting2', unit: 'Mach', minValid: -0.1, maxValid: 1.5, base: 0, daily: 0, noise: 0.0003 },
    // operational setting 3: throttle resolver angle
    { name: 'setting3', unit: 'pct', minValid: 0, maxValid: 120, base: 100, daily: 0, noise: 0 },
    // T2, fan inlet temperature
    { name: 's1', unit: 'degR', minValid: 300, maxValid: 700, base: 518.67, daily: 0, noise: 0 },
    // T24, LPC outlet temperature
    { name: 's2', unit: 'degR', minValid: 300, maxValid: 900, base: 642.68, daily: 0, noise: 0.5 },
    // T30, HPC outlet temperature
    { name: 's3', unit: 'degR', minValid: 800, maxValid: 2200, base: 1590.5, daily: 0, noise: 6.1 },
    // T50, LPT outlet temperature
    { name: 's4', unit: 'degR', minValid: 700, maxValid: 2000, base: 1408.9, daily: 0, noise: 9 },
    // P2, fan inlet pressure
    { name: 's5', unit: 'psia', minValid: 0, maxValid: 30, base: 14.62, daily: 0, noise: 0 },
    // P15, bypass-duct pressure
    { name: 's6', unit: 'psia', minValid: 0, maxValid: 40, base: 21.61, daily: 0, noise: 0.001 },
    // P30, HPC outlet pressure
    { name: 's7', unit: 'psia', minValid: 0, maxValid: 1000, base: 553.37, daily: 0, noise: 0.89 },
    // Nf, physical fan speed
    { name: 's8', unit: 'rpm', minValid: 0, maxValid: 3000, base: 2388.1, daily: 0, noise: 0.07 },
    // Nc, physical core speed
    { name: 's9', unit: 'rpm', minValid: 0, maxValid: 12000, base: 9065.2, daily: 0, noise: 22 },
    // epr, engine pressure ratio (P50/P2)
    { name: 's10', unit: 'ratio', minValid: 0, maxValid: 3, base: 1.3, daily: 0, noise: 0 },
    // Ps30, HPC outlet static pressure
    { name: 's11', unit: 'psia', minValid: 0, maxValid: 80, base: 47.54, daily: 0, noise: 0.27 },
    // phi, fuel flow to Ps30 ratio
    { name: 's12', unit: 'pps/psi', minValid: 0, maxValid: 800, base: 521.41, daily: 0, noise: 0.74 },
    // NRf, corrected fan speed
    { name: 's13', unit: 'rpm', minValid: 0, maxValid: 3000, base: 2388.1, daily: 0, noise: 0.07 },
    // NRc, corrected core speed
    { name: 's14', unit: 'rpm', minValid: 0, maxValid: 12000, base: 8143.8, daily: 0, noise: 19 },
    // BPR, bypass ratio
    { name: 's15', unit: 'ratio', minValid: 0, maxValid: 20, base: 8.442, daily: 0, noise: 0.038 },
    // farB, burner fuel-air ratio
    { name: 's16', unit: 'ratio', minValid: 0, maxValid: 0.1, base: 0.03, daily: 0, noise: 0 },
    // htBleed, bleed enthalpy
    { name: 's17', unit: '1', minValid: 0, maxValid: 600, base: 393.2, daily: 0, noise: 1.5 },
    // Nf_dmd, demanded fan speed
    { name: 's18', unit: 'rpm', minValid: 0, maxValid: 3000, base: 2388, daily: 0, noise: 0 },
    // PCNfR_dmd, demanded corrected fan speed
    { name: 's19', unit: 'pct', minValid: 0, maxValid: 150, base: 100, daily: 0, noise: 0 },
    // W31, HPT coolant bleed
    { name: 's20', unit: 'lbm/s', minValid: 0, maxValid: 100, base: 38.82, daily: 0, noise: 0.18 },
    // W32, LPT coolant bleed
    { name: 's21', unit: 'lbm/s', minValid: 0, maxValid: 50, base: 23.29, daily: 0, noise: 0.11 },
  ],
  failureModes: [
    {
      key: 'hpc-degradation',
      name: 'HPC degradation',
      skill: 'turbine',
      part: { sku: 'TF-HPC-MOD', name: 'HPC module exchange', unitCost: 350_000 },
      metric: 's4',
      failureLevel: 1435,
      shape: 'exponential',
    },
  ],
};

export const CATALOG: EquipmentSpec[] = [
  {
    key: 'chiller-ch300',
    name: 'Chiller CH-300',
    source: 'physics',
    loadCycleMinutes: 40,
    metrics: [
      {
        name: 'compressor_current',
        unit: 'A',
        minValid: 0,
        maxValid: 400,
        base: 92,
        daily: 3,
        noise: 0.6,
        load: 0.8,
      },
      {
        name: 'discharge_pressure',
        unit: 'bar',
        minValid: 0,
        maxValid: 60,
        base: 14.5,
        daily: 1.2,
        noise: 0.08,
        load: 0.4,
      },
      {
        name: 'discharge_temp',
        unit: 'degC',
        minValid: -40,
        maxValid: 200,
        base: 68,
        daily: 4,
        noise: 0.3,
        load: 1.5,
      },
    ],
    failureModes: [
      {
        key: 'compressor-bearing',
        name: 'Compressor bearing wear',
        skill: 'hvac',
        part: { sku: 'CH-BRG-300', name: 'Compressor bearing kit', unitCost: 420 },
        metric: 'compressor_current',
        failureLevel: 135,
        shape: 'exponential',
      },
    ],
  },
  {
    key: 'pump-px50',
    name: 'Pump PX-50',
    source: 'physics',
    loadCycleMinutes: 90,
    metrics: [
      {
        name: 'vibration_rms',
        unit: 'mm/s',
        minValid: 0,
        maxValid: 100,
        base: 2.2,
        daily: 0.3,
        noise: 0.05,
        load: 0.1,
      },
      {
        name: 'bearing_temp',
        unit: 'degC',
        minValid: -40,
        maxValid: 200,
        base: 48,
        daily: 3,
        noise: 0.25,
        load: 1,
      },
      { name: 'flow', unit: 'm3/h', minValid: 0, maxValid: 500, base: 120, daily: 15, noise: 1, load: 8 },
    ],
    failureModes: [
      {
        key: 'bearing',
        name: 'Pump bearing failure',
        skill: 'mechanical',
        part: { sku: 'PX-BRG-6205', name: 'Bearing 6205 with seal', unitCost: 85 },
        metric: 'vibration_rms',
        failureLevel: 11,
        shape: 'exponential',
      },
    ],
  },
  {
    key: 'imaging-ct9',
    name: 'CT scanner CT-9',
    source: 'physics',
    loadCycleMinutes: 25,
    metrics: [
      {
        name: 'tube_temp',
        unit: 'degC',
        minValid: -20,
        maxValid: 250,
        base: 75,
        daily: 10,
        noise: 0.5,
        load: 6,
      },
      {
        name: 'arc_count',
        unit: '1/h',
        minValid: 0,
        maxValid: 1000,
        base: 1.5,
        daily: 0.5,
        noise: 0.15,
        load: 0.2,
      },
    ],
    failureModes: [
      {
        key: 'xray-tube',
        name: 'X-ray tube arcing',
        skill: 'imaging',
        part: { sku: 'CT-TUBE-9', name: 'X-ray tube assembly', unitCost: 18_500 },
        metric: 'arc_count',
        failureLevel: 40,
        shape: 'exponential',
      },
    ],
  },
  TURBOFAN,
];

export const equipmentByKey = new Map(CATALOG.map((e) => [e.key, e]));

/** The equipment models the fleet simulator generates (the demo fleet's). */
export const SIMULATED_MODELS = CATALOG.filter((e) => e.source === 'physics');

export const isSimulated = (key: string): boolean => equipmentByKey.get(key)?.source === 'physics';
