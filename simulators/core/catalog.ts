// Equipment models of the demo fleet: metrics with their physics, failure modes and the parts they need.
// The demo seed writes this to the database; the fleet simulator draws readings from it.

export interface MetricSpec {
  name: string;
  unit: string;
  minValid: number;
  maxValid: number;
  /** Healthy level, daily swing (amplitude) and sensor noise (standard deviation). */
  base: number;
  daily: number;
  noise: number;
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
  metrics: MetricSpec[];
  failureModes: FailureModeSpec[];
}

export const CATALOG: EquipmentSpec[] = [
  {
    key: 'chiller-ch300',
    name: 'Chiller CH-300',
    metrics: [
      { name: 'compressor_current', unit: 'A', minValid: 0, maxValid: 400, base: 92, daily: 3, noise: 0.6 },
      { name: 'discharge_pressure', unit: 'bar', minValid: 0, maxValid: 60, base: 14.5, daily: 1.2, noise: 0.08 },
      { name: 'discharge_temp', unit: 'degC', minValid: -40, maxValid: 200, base: 68, daily: 4, noise: 0.3 },
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
    metrics: [
      { name: 'vibration_rms', unit: 'mm/s', minValid: 0, maxValid: 100, base: 2.2, daily: 0.3, noise: 0.05 },
      { name: 'bearing_temp', unit: 'degC', minValid: -40, maxValid: 200, base: 48, daily: 3, noise: 0.25 },
      { name: 'flow', unit: 'm3/h', minValid: 0, maxValid: 500, base: 120, daily: 15, noise: 1 },
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
    metrics: [
      { name: 'tube_temp', unit: 'degC', minValid: -20, maxValid: 250, base: 75, daily: 10, noise: 0.5 },
      { name: 'arc_count', unit: '1/h', minValid: 0, maxValid: 1000, base: 1.5, daily: 0.5, noise: 0.15 },
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
];

export const equipmentByKey = new Map(CATALOG.map((e) => [e.key, e]));
