/**
 * `npm run --silent bench:backtest [-- --days 30 --interval 300 --seed 7 --rate 0.05]`: the demo fleet's
 * physics (simulators/core/fleet.ts, 54 assets, wear over 3 to 21 days, `--rate` new degradations per healthy
 * asset per day — far above a real fleet's, to have failures to score — failed assets repaired after 30
 * minutes), a reading every `--interval` seconds, simulated offline in real time units, then backtested (predict/core/backtest/)
 * with the demo's TREND models and with THRESHOLD and ANOMALY (CUSUM) models on the same metrics. Prints JSON:
 * recall with lead times, precision, false alarms per asset-year, RUL RMSE, and the wall-clock ms of each.
 */
import { replayHistory } from '../predict/core/backtest/replay.ts';
import { scoreBacktest } from '../predict/core/backtest/score.ts';
import type { ModelKind } from '../predict/core/models/params.ts';
import { CATALOG } from '../simulators/core/catalog.ts';
import { Fleet } from '../simulators/core/fleet.ts';
import { demoAlertLevel, demoAssets, demoTrendParams } from '../simulators/demo-world.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const days = arg('days', 30);
const intervalMs = arg('interval', 300) * 1000;
const seed = arg('seed', 7);
/** Order horizon (courier ≈ 1.5 h + 24 h standard response + margin) and the lead an alarm needs to be in time. */
const HORIZON_HOURS = 26;
const REQUIRED_LEAD_HOURS = 1.5;

const start = new Date('2026-06-01T00:00:00Z');
const end = start.getTime() + days * 86_400_000;
const assets = demoAssets(54).map((a) => ({ id: a.id, equipment: a.equipment }));
const fleet = new Fleet(assets, { seed, start, degradationsPerDay: arg('rate', 0.05) });
const readings = new Map(assets.map((a) => [a.id, [] as { at: number; metrics: Record<string, number> }[]]));
const down = new Map<string, number>();
const t0 = performance.now();
for (let t = start.getTime(); t < end; t += intervalMs) {
  const now = new Date(t);
  for (const r of fleet.tick(now))
    if (!r.duplicate) readings.get(r.assetId)!.push({ at: r.ts, metrics: r.metrics });
  for (const e of fleet.takeEvents()) if (e.kind === 'failed') down.set(e.assetId, t);
  for (const [id, since] of down)
    if (t - since > 30 * 60_000) {
      fleet.restore(id, now);
      down.delete(id);
    }
}
for (const r of readings.values()) r.sort((a, b) => a.at - b.at);
const simulateMs = Math.round(performance.now() - t0);
const truth = fleet.groundTruth();

/** The demo's parameters for a kind on an equipment model's failure mode (alert at 15 % of the way to failure). */
function params(kind: ModelKind, equipment: string): unknown {
  const eq = CATALOG.find((e) => e.key === equipment)!;
  const fm = eq.failureModes[0]!;
  if (kind === 'TREND') return demoTrendParams(eq, fm);
  const rules = { horizonHours: 24, confirmations: 3, marginMinutes: 30 };
  const alertLevel = demoAlertLevel(eq, fm);
  const smoothing = { ewmaAlpha: 0.2, windowPoints: 30, resolutionMs: 60_000 };
  if (kind === 'THRESHOLD')
    return {
      metric: fm.metric,
      direction: 'up',
      alertLevel,
      failureLevel: fm.failureLevel,
      leadHours: 2,
      ...smoothing,
      ...rules,
    };
  return {
    metrics: [fm.metric],
    method: 'cusum',
    direction: 'up',
    cusumK: 1,
    cusumH: 20,
    leadHours: 3,
    baselinePoints: 120,
    ...smoothing,
    ...rules,
  };
}

const results = (['TREND', 'THRESHOLD', 'ANOMALY'] as ModelKind[]).map((kind) => {
  const t1 = performance.now();
  const replays = assets.map((a) =>
    replayHistory(
      kind,
      params(kind, a.equipment),
      {
        assetId: a.id,
        readings: readings.get(a.id)!,
        failures: truth
          .filter((f) => f.assetId === a.id && Date.parse(f.failAt) < end)
          .map((f) => ({ at: Date.parse(f.failAt), kind: f.kind }))
          .sort((x, y) => x.at - y.at),
        horizonHours: HORIZON_HOURS,
        requiredLeadHours: REQUIRED_LEAD_HOURS,
        endAt: end,
      },
      { rulUnitMs: 3_600_000, rulCap: 8, rulEvery: 0.08 },
    ),
  );
  const r = scoreBacktest(replays, { rulUnit: 'hours', rulCap: 8 });
  return {
    kind,
    failures: r.failures.total,
    recall: r.failures.recall,
    inTimeRecall: r.failures.inTimeRecall,
    byKind: r.failures.byKind,
    leadTimeHours: r.leadTimeHours,
    alarms: r.alarms.total,
    precision: r.alarms.precision,
    falseAlarmsPerAssetYear: r.alarms.falseAlarmsPerAssetYear,
    rulRmseHours: r.rul?.rmse ?? null,
    ms: Math.round(performance.now() - t1),
  };
});

process.stdout.write(
  `${JSON.stringify(
    {
      assets: assets.length,
      days,
      intervalMs,
      seed,
      readings: [...readings.values()].reduce((s, r) => s + r.length, 0),
      horizonHours: HORIZON_HOURS,
      simulateMs,
      results,
    },
    null,
    1,
  )}\n`,
);
