// `npm run simulate -- --export-history <dir>`: the simulated fleet's history as the CSV files a reliability engineer
// brings (docs/predict.md, "Fleet histories"), with its ground truth. Pure parts: the options, the files' rows, and
// the workshop's policy (how long a repair takes, when preventive maintenance comes). The loop and the files are in
// simulators/history-export.ts; it runs on a virtual clock (no broker, no waiting).
import { SIMULATED_MODELS } from './catalog.ts';
import { formatDuration, parseDuration } from './duration.ts';

export interface ExportPlan {
  dir: string;
  days: number;
  /** Failures and maintenance up to here go to failures.csv / maintenance.csv, later ones to truth-*.csv. */
  trainDays: number;
  start: number;
  stepMs: number;
  seed: number;
  /** Assets per equipment model. */
  perModel: Record<string, number>;
  failureRate: number;
  suddenShare: number;
  degrading: number;
  missing: number;
  /** A C-MAPSS train_ file to export instead of the simulated fleet (each unit an asset, each cycle a step). */
  replay?: string;
}

export const EXPORT_OPTION_NAMES = ['export-history', 'days', 'train-days', 'start', 'step'] as const;
/** Options of `npm run simulate` that also shape an export; the others are refused with it. */
const SHARED = ['assets', 'models', 'seed', 'failure-rate', 'sudden-share', 'degrading', 'missing', 'replay'];

export const EXPORT_USAGE = `Export a fleet history (no broker; on a virtual clock)
  --export-history DIR   write telemetry.csv, events.csv, failures.csv, maintenance.csv, assets.csv, truth-*.csv and
                         ground-truth.json per equipment model (DIR/<model>/) and exit
  --days N               days of history (default 90)
  --train-days N         failures and maintenance up to day N in failures.csv / maintenance.csv, later ones in
                         truth-failures.csv / truth-maintenance.csv (default: two thirds of --days)
  --start ISO            first time (default 2026-01-01T00:00:00Z)
  --step D               telemetry step (default 1h)
  with --assets N (per equipment model, default 30), --models K[=N][,K[=N]] (only these models, N assets or
  --assets of each), --seed, --failure-rate (default 0.02),
  --sudden-share, --degrading, --missing; or --replay FILE to export a C-MAPSS train_ file (one asset a unit)
`;

class ExportOptionError extends Error {}

const num = (name: string, raw: string, min: number, max: number, int = false): number => {
  const n = /^\d+(\.\d*)?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!(n >= min && n <= max) || (int && !Number.isInteger(n)))
    throw new ExportOptionError(
      `--${name} ${JSON.stringify(raw)}: expected ${int ? 'a whole number' : 'a number'} ${min}-${max}`,
    );
  return n;
};

/** The plan of an export, or the one-line problem with the options. */
export function planExport(
  raw: Partial<Record<string, string>>,
  defaultSeed: number,
): { ok: true; plan: ExportPlan } | { ok: false; error: string } {
  try {
    const other = Object.keys(raw).filter(
      (k) =>
        raw[k] !== undefined &&
        !SHARED.includes(k) &&
        !(EXPORT_OPTION_NAMES as readonly string[]).includes(k),
    );
    if (other.length > 0)
      throw new ExportOptionError(`--${other[0]} does not apply to --export-history (see --help)`);
    const dir = raw['export-history']!;
    if (dir.trim() === '') throw new ExportOptionError('--export-history: expected a folder');
    const days = raw.days === undefined ? 90 : num('days', raw.days, 1, 3650, true);
    const trainDays =
      raw['train-days'] === undefined
        ? Math.round((days * 2) / 3)
        : num('train-days', raw['train-days'], 0, days, true);
    const start = raw.start === undefined ? Date.UTC(2026, 0, 1) : Date.parse(raw.start);
    if (Number.isNaN(start))
      throw new ExportOptionError(`--start ${JSON.stringify(raw.start)}: expected ISO 8601`);
    const stepMs = raw.step === undefined ? 3_600_000 : parseDuration(raw.step);
    if (stepMs === undefined || stepMs < 60_000 || stepMs > 86_400_000)
      throw new ExportOptionError(
        `--step ${JSON.stringify(raw.step)}: expected a duration from ${formatDuration(60_000)} to 1d`,
      );
    const assets = raw.assets === undefined ? 30 : num('assets', raw.assets, 1, 100_000, true);
    const perModel: Record<string, number> = {};
    if (raw.models !== undefined) {
      for (const item of raw.models.split(',')) {
        // K=N: N assets of model K; K alone: --assets of it
        const [key = '', n] = item.trim().split('=');
        if (!SIMULATED_MODELS.some((m) => m.key === key))
          throw new ExportOptionError(
            `--models: "${key}" is not a simulated equipment model (known: ${SIMULATED_MODELS.map((m) => m.key).join(', ')})`,
          );
        if (n !== undefined && !/^\d+$/.test(n.trim()))
          throw new ExportOptionError(
            `--models ${JSON.stringify(item.trim())}: expected MODEL or MODEL=N, N a whole number 1-100000 (e.g. ${key}=30)`,
          );
        perModel[key] = n === undefined ? assets : num('models', n, 1, 100_000, true);
      }
    } else for (const m of SIMULATED_MODELS) perModel[m.key] = assets;
    return {
      ok: true,
      plan: {
        dir,
        days,
        trainDays,
        start,
        stepMs,
        seed: raw.seed === undefined ? defaultSeed : num('seed', raw.seed, 0, 2 ** 31 - 1, true),
        perModel,
        failureRate:
          raw['failure-rate'] === undefined ? 0.02 : num('failure-rate', raw['failure-rate'], 0, 10),
        suddenShare: raw['sudden-share'] === undefined ? 0.1 : num('sudden-share', raw['sudden-share'], 0, 1),
        degrading: raw.degrading === undefined ? 0.15 : num('degrading', raw.degrading, 0, 1),
        missing: raw.missing === undefined ? 0.01 : num('missing', raw.missing, 0, 0.5),
        ...(raw.replay !== undefined ? { replay: raw.replay } : {}),
      },
    };
  } catch (err) {
    if (err instanceof ExportOptionError) return { ok: false, error: err.message };
    throw err;
  }
}

/** `2026-01-01 06:00:00` (UTC): the second timestamp format. */
export function csvTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** A CSV cell: quoted when it holds a comma, quote or line break. */
export function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvRow = (cells: readonly (string | number)[]): string => cells.map(csvCell).join(',');

/** Asset ids of an export: `ch300-001` for the first asset of `chiller-ch300`. */
export function exportAssetId(modelKey: string, i: number): string {
  const short = modelKey.split('-').pop() ?? modelKey;
  return `${short}-${String(i + 1).padStart(3, '0')}`;
}

/** The workshop: a repair takes 8 to 24 hours; preventive maintenance comes every 30 to 60 days. */
export const repairMs = (rand: () => number): number => (8 + 16 * rand()) * 3_600_000;
export const nextServiceMs = (rand: () => number): number => (30 + 30 * rand()) * 86_400_000;
