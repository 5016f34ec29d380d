// Writes the simulated fleet's history as CSV files with its ground truth (core/history-export.ts): per equipment
// model a folder with telemetry.csv (wide: time, asset, one column per metric), events.csv (time, asset, code,
// severity), failures.csv and maintenance.csv up to the training days (time, asset, failure / component),
// truth-failures.csv and truth-maintenance.csv after them, assets.csv (asset, model, age_years) and
// ground-truth.json. The fleet runs on a virtual clock, a step at a time; rows are streamed to the files.
// A C-MAPSS train_ file exports as telemetry.csv + failures.csv (its last cycle) + assets.csv.
import { createWriteStream, mkdirSync, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { equipmentByKey, TURBOFAN } from './core/catalog.ts';
import { parseCmapss } from './core/cmapss.ts';
import { Fleet, type GroundTruth } from './core/fleet.ts';
import {
  csvRow,
  csvTime,
  exportAssetId,
  nextServiceMs,
  repairMs,
  type ExportPlan,
} from './core/history-export.ts';
import { substream } from './core/random.ts';

/** A CSV file written a chunk at a time, waiting for the disk when it falls behind. */
class CsvOut {
  private readonly s: WriteStream;
  private buf: string[] = [];
  rows = 0;
  constructor(file: string, header: readonly string[]) {
    this.s = createWriteStream(file);
    this.buf.push(csvRow(header));
  }
  row(cells: readonly (string | number)[]): void {
    this.buf.push(csvRow(cells));
    this.rows++;
  }
  async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const ok = this.s.write(this.buf.join('\n') + '\n');
    this.buf = [];
    if (!ok) await new Promise<void>((r) => this.s.once('drain', () => r()));
  }
  async close(): Promise<void> {
    await this.flush();
    await new Promise((r) => this.s.end(r));
  }
}

export interface ModelExport {
  model: string;
  dir: string;
  assets: number;
  telemetryRows: number;
  events: number;
  failures: { train: number; test: number; prevented: number };
  maintenance: { train: number; test: number };
  trainUntil: string;
  /** How to train and judge on it with the alarm CLI. */
  predictAlarms: string;
}

export async function exportFleetHistory(
  plan: ExportPlan,
  progress: (line: string) => void,
): Promise<ModelExport[]> {
  const out: ModelExport[] = [];
  for (const [model, n] of Object.entries(plan.perModel))
    out.push(await exportModel(plan, model, n, progress));
  return out;
}

async function exportModel(
  plan: ExportPlan,
  model: string,
  count: number,
  progress: (line: string) => void,
): Promise<ModelExport> {
  const spec = equipmentByKey.get(model)!;
  const dir = path.join(plan.dir, model);
  mkdirSync(dir, { recursive: true });
  const assets = Array.from({ length: count }, (_, i) => ({ id: exportAssetId(model, i), equipment: model }));
  const fleet = new Fleet(assets, {
    seed: plan.seed,
    start: new Date(plan.start),
    speed: 1,
    degradingShare: plan.degrading,
    degradationsPerDay: plan.failureRate * (1 - plan.suddenShare),
    suddenPerYear: plan.failureRate * plan.suddenShare * 365,
    missingRate: plan.missing,
    duplicateRate: 0,
    clockSkewMs: 0,
  });
  const metrics = spec.metrics.map((m) => m.name);
  const f = (name: string, header: string[]) => new CsvOut(path.join(dir, name), header);
  const telemetry = f('telemetry.csv', ['datetime', 'asset', ...metrics]);
  const events = f('events.csv', ['datetime', 'asset', 'code', 'severity']);
  const failures = f('failures.csv', ['datetime', 'asset', 'failure']);
  const maintenance = f('maintenance.csv', ['datetime', 'asset', 'component']);
  const truthFailures = f('truth-failures.csv', ['datetime', 'asset', 'failure']);
  const truthMaintenance = f('truth-maintenance.csv', ['datetime', 'asset', 'component']);
  const assetsFile = f('assets.csv', ['asset', 'model', 'age_years']);
  const ageRand = substream(plan.seed, `ages:${model}`);
  for (const a of assets) assetsFile.row([a.id, model, Math.round((0.5 + 14.5 * ageRand()) * 10) / 10]);

  const end = plan.start + plan.days * 86_400_000;
  const trainUntil = plan.start + plan.trainDays * 86_400_000;
  const workshop = substream(plan.seed, `workshop:${model}`);
  const repairs = new Map<string, { at: number; mode: string }>();
  const service = new Map(assets.map((a) => [a.id, plan.start + nextServiceMs(workshop)]));
  const matched = new Set<GroundTruth>();
  const happened: GroundTruth[] = [];
  const modes = spec.failureModes.map((m) => m.key);
  const maintain = (at: number, asset: string, component: string) =>
    (at < trainUntil ? maintenance : truthMaintenance).row([csvTime(at), asset, component]);

  let lastReport = 0;
  for (let t = plan.start; t < end; t += plan.stepMs) {
    for (const r of fleet.tick(new Date(t))) {
      if (r.duplicate) continue;
      telemetry.row([csvTime(r.ts), r.assetId, ...metrics.map((m) => r.metrics[m] ?? '')]);
    }
    for (const c of fleet.takeCodes()) events.row([csvTime(c.ts), c.assetId, c.code, c.severity]);
    for (const e of fleet.takeEvents()) {
      if (e.kind !== 'failed') continue;
      // the ground-truth entry of this failure: the asset's earliest unmatched one due by now
      const truth = fleet
        .groundTruth()
        .find((g) => g.assetId === e.assetId && !matched.has(g) && Date.parse(g.failAt) <= t + 1);
      const at = truth ? Date.parse(truth.failAt) : t;
      const mode = truth?.failureMode ?? modes[0]!;
      if (truth) {
        matched.add(truth);
        happened.push(truth);
      }
      (at < trainUntil ? failures : truthFailures).row([csvTime(at), e.assetId, mode]);
      repairs.set(e.assetId, { at: t + repairMs(workshop), mode });
    }
    for (const [asset, r] of repairs) {
      if (r.at > t) continue;
      repairs.delete(asset);
      fleet.restore(asset, new Date(r.at));
      fleet.takeEvents();
      maintain(r.at, asset, r.mode);
      service.set(asset, r.at + nextServiceMs(workshop));
    }
    for (const [asset, due] of service) {
      if (due > t || repairs.has(asset)) continue;
      // preventive maintenance: the component is replaced (a failure of it in the making is called off)
      const component = modes[Math.floor(workshop() * modes.length)]!;
      fleet.restore(asset, new Date(t));
      maintain(t, asset, component);
      service.set(asset, t + nextServiceMs(workshop));
    }
    await Promise.all(
      [telemetry, events, failures, maintenance, truthFailures, truthMaintenance].map((o) => o.flush()),
    );
    const day = Math.floor((t - plan.start) / 86_400_000);
    if (day >= lastReport + Math.max(1, Math.round(plan.days / 10))) {
      lastReport = day;
      progress(`simulate: ${model}: day ${day}/${plan.days}, ${telemetry.rows} telemetry rows`);
    }
  }
  const all = [telemetry, events, failures, maintenance, truthFailures, truthMaintenance, assetsFile];
  await Promise.all(all.map((o) => o.close()));
  const prevented = fleet
    .groundTruth()
    .filter((g) => !matched.has(g) && Date.parse(g.failAt) < end)
    .map((g) => ({ ...g, prevented: true }));
  writeFileSync(
    path.join(dir, 'ground-truth.json'),
    JSON.stringify(
      {
        source: 'fleet-export',
        seed: plan.seed,
        equipment: model,
        startedAt: new Date(plan.start).toISOString(),
        endedAt: new Date(end).toISOString(),
        trainUntil: new Date(trainUntil).toISOString(),
        stepMs: plan.stepMs,
        failures: happened,
        /** Failures that were developing but called off by preventive maintenance. */
        prevented,
      },
      null,
      2,
    ) + '\n',
  );
  const file = (name: string) => path.join(dir, name);
  return {
    model,
    dir,
    assets: count,
    telemetryRows: telemetry.rows,
    events: events.rows,
    failures: { train: failures.rows, test: truthFailures.rows, prevented: prevented.length },
    maintenance: { train: maintenance.rows, test: truthMaintenance.rows },
    trainUntil: new Date(trainUntil).toISOString(),
    predictAlarms:
      `npm run --silent predict:alarms -- --telemetry ${file('telemetry.csv')} --events ${file('events.csv')} ` +
      `--failures ${file('failures.csv')} --maintenance ${file('maintenance.csv')} --assets ${file('assets.csv')} ` +
      `--train-until ${new Date(trainUntil).toISOString()} --horizon 24h`,
  };
}

/** A C-MAPSS train_ file as a fleet history: each unit an asset (`unit-001`), each cycle a step, its last cycle its failure. */
export async function exportCmapssHistory(plan: ExportPlan, file: string): Promise<ModelExport> {
  const units = parseCmapss(readFileSync(file, 'utf8'), file);
  const dir = path.join(plan.dir, path.basename(file).replace(/\.[^.]*$/, ''));
  mkdirSync(dir, { recursive: true });
  const metrics = TURBOFAN.metrics.map((m) => m.name);
  const mode = TURBOFAN.failureModes[0]!.key;
  const telemetry = new CsvOut(path.join(dir, 'telemetry.csv'), ['datetime', 'unit', ...metrics]);
  const failures = new CsvOut(path.join(dir, 'failures.csv'), ['datetime', 'unit', 'failure']);
  const assets = new CsvOut(path.join(dir, 'assets.csv'), ['unit', 'model']);
  const truth: { unit: string; failAt: string; cycles: number }[] = [];
  for (const u of units) {
    const id = `unit-${String(u.unit).padStart(3, '0')}`;
    assets.row([id, TURBOFAN.key]);
    for (let i = 0; i < u.cycles.length; i++)
      telemetry.row([csvTime(plan.start + u.cycles[i]! * plan.stepMs), id, ...u.values[i]!]);
    const failAt = plan.start + u.cycles.at(-1)! * plan.stepMs;
    failures.row([csvTime(failAt), id, mode]);
    truth.push({ unit: id, failAt: new Date(failAt).toISOString(), cycles: u.cycles.length });
    await telemetry.flush();
  }
  await Promise.all([telemetry, failures, assets].map((o) => o.close()));
  writeFileSync(
    path.join(dir, 'ground-truth.json'),
    JSON.stringify({ source: 'cmapss-export', file, stepMs: plan.stepMs, failures: truth }, null, 2) + '\n',
  );
  return {
    model: TURBOFAN.key,
    dir,
    assets: units.length,
    telemetryRows: telemetry.rows,
    events: 0,
    failures: { train: failures.rows, test: 0, prevented: 0 },
    maintenance: { train: 0, test: 0 },
    trainUntil: new Date(
      plan.start + Math.max(...units.map((u) => u.cycles.at(-1)!)) * plan.stepMs,
    ).toISOString(),
    predictAlarms: '',
  };
}
