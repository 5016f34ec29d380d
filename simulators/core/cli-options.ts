// The options of `npm run simulate`, checked: every wrong value gives one line naming the option and what it
// accepts. Pure: raw strings in (as node:util parseArgs gives them), a typed plan out.
import { LIMITS } from '../../common/contracts/mqtt.ts';
import { equipmentByKey, SIMULATED_MODELS, TURBOFAN } from './catalog.ts';
import { CMAPSS_COLUMNS } from './cmapss.ts';
import type { DeviceSelection } from './devices.ts';
import { formatDuration, parseDuration } from './duration.ts';

export const USAGE = `Usage: npm run simulate -- [options]

Sends telemetry to the platform as its devices would: over MQTT, with each device's credentials, through the
device contract (docs/telemetry.md). Devices come from the devices file the platform writes in demo mode.
Durations: 500ms, 1s, 2m, 1h, 1d (a bare number is milliseconds).

Fleet
  --assets N             how many devices to run (default: every simulated one in the devices file)
  --models K=N[,K=N]     N devices of each listed equipment model per tenant (others left out)
  --tenants A[,B]        only these tenants' devices
  --interval D           reporting interval of each device (default: SIM_INTERVAL_MS)
  --speed X              time acceleration: X simulated seconds per second (wear, daily and load cycles) (default 1)
  --seed N               random seed: same seed, same fleet and failures (default: SIM_SEED)
  --failure-rate R       new failures per asset per simulated day (default 0.05)
  --sudden-share S       share of those that are sudden, with little warning (default 0.2)
  --degrading S          share of assets already degrading at start (default 0.15)
  --missing P            probability that a device skips a reading (default 0.01)
  --duplicates P         probability that a device sends a reading twice (default 0.005)
  --clock-skew D         device clocks are off by up to ±D (default 2s; at most ${formatDuration(LIMITS.maxFutureMs / 2)})
  --history D            logged history each device uploads when it connects (default 0: none)

Replay of C-MAPSS run-to-failure data (instead of the simulated fleet)
  --replay FILE          a C-MAPSS train_FD00x.txt file: each unit an asset, each cycle a reading, the last cycle its failure
  --replay-model KEY     equipment model of the replaying assets (default ${TURBOFAN.key})
  --units N              replay only the first N units (default: all)
  --cycle D              simulated time of one cycle (default: interval x speed, i.e. one cycle per interval)
  --replay-gap N         cycles an asset stays down after a failure before its next unit starts (default 5)

Bad input on purpose
  --faults R             also send R bad messages per second: malformed payloads, unknown assets, spoofed topics,
                         oversized messages… (default 0: none)

Run
  --duration D           stop after D (default: until Ctrl-C; a replay stops when its last unit failed)
  --progress D           progress line on stderr every D (default 5s; 0: none)
  --devices FILE         device credentials (default: DATA_DIR/demo-devices.json)
  --ground-truth FILE    where the ground truth goes (default: ground-truth.json beside the devices file)
  --mqtt-url URL         the broker (default: MQTT_URL, or the embedded broker on MQTT_PORT, else the running
                         demo platform's broker, else 127.0.0.1:1883)
  -h, --help             this text
`;

/** Every option takes a value (except --help), as given to node:util parseArgs. */
export const OPTION_NAMES = [
  'assets',
  'models',
  'tenants',
  'interval',
  'speed',
  'seed',
  'failure-rate',
  'sudden-share',
  'degrading',
  'missing',
  'duplicates',
  'clock-skew',
  'history',
  'replay',
  'replay-model',
  'units',
  'cycle',
  'replay-gap',
  'faults',
  'duration',
  'progress',
  'devices',
  'ground-truth',
  'mqtt-url',
] as const;

export type RawOptions = Partial<Record<(typeof OPTION_NAMES)[number], string>>;

export interface CliDefaults {
  devicesFile: string;
  mqttUrl: string;
  intervalMs: number;
  seed: number;
}

export interface FleetPlan {
  degradingShare: number;
  degradationsPerDay: number;
  suddenPerYear: number;
  missingRate: number;
  duplicateRate: number;
  clockSkewMs: number;
  historyMinutes: number;
}

export interface ReplayPlan {
  file: string;
  model: string;
  units?: number;
  /** Real milliseconds between two cycles of a unit. */
  cycleMs: number;
  gapCycles: number;
}

export interface SimulatePlan {
  devicesFile: string;
  groundTruthFile: string;
  mqttUrl: string;
  selection: DeviceSelection;
  intervalMs: number;
  speed: number;
  seed: number;
  fleet?: FleetPlan;
  replay?: ReplayPlan;
  faultsPerSecond: number;
  durationMs?: number;
  progressMs: number;
}

class OptionError extends Error {}

function number(
  name: string,
  raw: string,
  min: number,
  max: number,
  what = `a number ${min}-${max}`,
): number {
  const n = /^-?(\d+(\.\d*)?|\.\d+)$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw new OptionError(`--${name} ${JSON.stringify(raw)}: expected ${what}`);
  return n;
}

function integer(name: string, raw: string, min: number, max: number): number {
  const n = number(name, raw, min, max, `a whole number ${min}-${max}`);
  if (!Number.isInteger(n))
    throw new OptionError(`--${name} ${JSON.stringify(raw)}: expected a whole number ${min}-${max}`);
  return n;
}

function duration(name: string, raw: string, minMs: number, maxMs: number, zero = false): number {
  const ms = parseDuration(raw);
  const range = `${zero ? '0 or ' : ''}${formatDuration(minMs)} to ${formatDuration(maxMs)}`;
  if (ms === undefined)
    throw new OptionError(
      `--${name} ${JSON.stringify(raw)}: expected a duration such as 500ms, 1s, 2m (${range})`,
    );
  if ((zero && ms === 0) || (ms >= minMs && ms <= maxMs)) return ms;
  throw new OptionError(`--${name} ${raw}: expected ${range}`);
}

function list(name: string, raw: string, pattern: RegExp): string[] {
  const items = raw.split(',').map((s) => s.trim());
  const bad = items.find((s) => !pattern.test(s));
  if (bad !== undefined)
    throw new OptionError(`--${name}: "${bad}" is not valid (expected a comma-separated list)`);
  return items;
}

function url(name: string, raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new OptionError(`--${name} ${JSON.stringify(raw)}: expected a URL such as mqtt://127.0.0.1:1883`);
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:'].includes(u.protocol))
    throw new OptionError(`--${name} ${raw}: expected an mqtt://, mqtts://, ws:// or wss:// URL`);
  return raw;
}

const FLEET_ONLY = [
  'models',
  'failure-rate',
  'sudden-share',
  'degrading',
  'missing',
  'duplicates',
  'clock-skew',
  'history',
] as const;
const REPLAY_ONLY = ['replay-model', 'units', 'cycle', 'replay-gap'] as const;

/** The plan of a run, or the one-line problem with the options. */
export function planSimulation(
  raw: RawOptions,
  defaults: CliDefaults,
): { ok: true; plan: SimulatePlan } | { ok: false; error: string } {
  try {
    return { ok: true, plan: plan(raw, defaults) };
  } catch (err) {
    if (err instanceof OptionError) return { ok: false, error: err.message };
    throw err;
  }
}

function plan(raw: RawOptions, d: CliDefaults): SimulatePlan {
  const given = (name: keyof RawOptions) => raw[name] !== undefined;
  const replaying = given('replay');
  for (const name of replaying ? FLEET_ONLY : REPLAY_ONLY) {
    if (given(name))
      throw new OptionError(
        replaying
          ? `--${name} applies to the simulated fleet, not to --replay`
          : `--${name} applies only with --replay <file>`,
      );
  }
  const intervalMs =
    raw.interval === undefined ? d.intervalMs : duration('interval', raw.interval, 100, 600_000);
  const speed =
    raw.speed === undefined
      ? 1
      : number('speed', raw.speed, 0.001, 1_000_000, 'a number above 0, at most 1000000');
  const seed = raw.seed === undefined ? d.seed : integer('seed', raw.seed, 0, 2 ** 31 - 1);

  const selection: DeviceSelection = {};
  if (raw.assets !== undefined) selection.assets = integer('assets', raw.assets, 1, 100_000);
  if (raw.tenants !== undefined) selection.tenants = list('tenants', raw.tenants, /^[A-Za-z0-9_-]{1,64}$/);

  let fleet: FleetPlan | undefined;
  let replay: ReplayPlan | undefined;
  if (replaying) {
    const model = raw['replay-model'] ?? TURBOFAN.key;
    const spec = equipmentByKey.get(model);
    if (!spec)
      throw new OptionError(
        `--replay-model ${model}: no such equipment model (known: ${[...equipmentByKey.keys()].join(', ')})`,
      );
    if (spec.metrics.length !== CMAPSS_COLUMNS - 2)
      throw new OptionError(
        `--replay-model ${model}: it has ${spec.metrics.length} metrics; a C-MAPSS cycle has ${CMAPSS_COLUMNS - 2} values (3 settings, 21 sensors), as ${TURBOFAN.key} has`,
      );
    const cycleSimMs =
      raw.cycle === undefined ? intervalMs * speed : duration('cycle', raw.cycle, 1, 365 * 86_400_000);
    const cycleMs = cycleSimMs / speed;
    if (cycleMs < 1)
      throw new OptionError(
        `--cycle ${formatDuration(cycleSimMs)} at --speed ${speed} is under a millisecond per cycle: slow down`,
      );
    replay = {
      file: raw.replay!,
      model,
      ...(raw.units !== undefined ? { units: integer('units', raw.units, 1, 1_000_000) } : {}),
      cycleMs,
      gapCycles: raw['replay-gap'] === undefined ? 5 : integer('replay-gap', raw['replay-gap'], 1, 100_000),
    };
    selection.equipment = [model];
  } else {
    const rate =
      raw['failure-rate'] === undefined ? 0.05 : number('failure-rate', raw['failure-rate'], 0, 1000);
    const sudden =
      raw['sudden-share'] === undefined ? 0.2 : number('sudden-share', raw['sudden-share'], 0, 1);
    if (raw.models !== undefined) {
      const perModel: Record<string, number> = {};
      for (const item of list('models', raw.models, /^[^=]+=\d+$/)) {
        const [key, n] = item.split('=') as [string, string];
        if (!SIMULATED_MODELS.some((m) => m.key === key))
          throw new OptionError(
            `--models: "${key}" is not a simulated equipment model (known: ${SIMULATED_MODELS.map((m) => m.key).join(', ')})`,
          );
        perModel[key] = integer('models', n, 1, 100_000);
      }
      selection.perModel = perModel;
    }
    selection.equipment = SIMULATED_MODELS.map((m) => m.key);
    fleet = {
      degradingShare: raw.degrading === undefined ? 0.15 : number('degrading', raw.degrading, 0, 1),
      degradationsPerDay: rate * (1 - sudden),
      suddenPerYear: rate * sudden * 365,
      missingRate: raw.missing === undefined ? 0.01 : number('missing', raw.missing, 0, 0.5),
      duplicateRate: raw.duplicates === undefined ? 0.005 : number('duplicates', raw.duplicates, 0, 0.5),
      clockSkewMs:
        raw['clock-skew'] === undefined
          ? 2_000
          : duration('clock-skew', raw['clock-skew'], 1, LIMITS.maxFutureMs / 2, true),
      historyMinutes:
        raw.history === undefined
          ? 0
          : Math.floor(duration('history', raw.history, 60_000, LIMITS.maxAgeMs - 3_600_000, true) / 60_000),
    };
  }

  const devicesFile = raw.devices ?? d.devicesFile;
  if (devicesFile.trim() === '') throw new OptionError('--devices: expected a file');
  const groundTruthFile = raw['ground-truth'] ?? devicesFile.replace(/[^/\\]*$/, '') + 'ground-truth.json';
  return {
    devicesFile,
    groundTruthFile,
    mqttUrl: url('mqtt-url', raw['mqtt-url'] ?? d.mqttUrl),
    selection,
    intervalMs,
    speed,
    seed,
    ...(fleet ? { fleet } : {}),
    ...(replay ? { replay } : {}),
    faultsPerSecond:
      raw.faults === undefined ? 0 : number('faults', raw.faults, 0, 1000, 'bad messages per second, 0-1000'),
    ...(raw.duration !== undefined
      ? { durationMs: duration('duration', raw.duration, 1_000, 365 * 86_400_000) }
      : {}),
    progressMs: raw.progress === undefined ? 5_000 : duration('progress', raw.progress, 500, 3_600_000, true),
  };
}
