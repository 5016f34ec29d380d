// Runs a backtest: the source's histories, one asset at a time (memory holds one), through the version's
// evaluator (core/backtest/replay.ts), then the report (core/backtest/score.ts). Progress is reported per asset;
// the event loop gets a turn between assets, so a backtest inside the platform does not stall it.
import type { History } from './core/backtest/history.ts';
import { replayHistory, type AssetReplay } from './core/backtest/replay.ts';
import { scoreBacktest, type BacktestReport } from './core/backtest/score.ts';
import type { ModelKind } from './core/models/params.ts';

export interface BacktestSource {
  kind: 'telemetry' | 'history' | 'file';
  /** What the source is, for the record (range, file, history id…). */
  options: Record<string, unknown>;
  /** RUL unit: hours for telemetry, cycles for run-to-failure files (one cycle mapped to an hour). */
  rulUnit: 'hours' | 'cycles';
  rulUnitMs: number;
  defaultRulCap: number;
  warnings: string[];
  assets(): string[];
  load(assetId: string): Promise<History>;
}

export interface BacktestResult extends BacktestReport {
  source: string;
  options: Record<string, unknown>;
  model: { kind: ModelKind; label?: string };
  /** The unit of lead times and RUL: hours, or cycles (C-MAPSS, one cycle replayed as an hour). */
  timeUnit: 'hours' | 'cycles';
  rulCap: number;
  warnings: string[];
  durationMs: number;
}

export async function runBacktest(
  version: { kind: ModelKind; params: unknown; label?: string },
  source: BacktestSource,
  o: {
    rulCap?: number;
    onProgress?: (done: number, total: number, assetId: string) => void | Promise<void>;
  } = {},
): Promise<BacktestResult> {
  const t0 = Date.now();
  const rulCap = o.rulCap ?? source.defaultRulCap;
  const replayOptions = {
    rulUnitMs: source.rulUnitMs,
    rulCap,
    rulEvery: source.rulUnit === 'cycles' ? 1 : rulCap / 100,
  };
  const assets = source.assets();
  const replays: AssetReplay[] = [];
  for (const [i, assetId] of assets.entries()) {
    const h = await source.load(assetId);
    if (h.readings.length > 0) replays.push(replayHistory(version.kind, version.params, h, replayOptions));
    await o.onProgress?.(i + 1, assets.length, assetId);
    await new Promise((r) => setImmediate(r));
  }
  const report = scoreBacktest(replays, { rulUnit: source.rulUnit, rulCap });
  const warnings = [...source.warnings];
  if (replays.length === 0) warnings.push('no readings in the source for this model');
  return {
    ...report,
    source: source.kind,
    options: source.options,
    model: { kind: version.kind, ...(version.label ? { label: version.label } : {}) },
    timeUnit: source.rulUnit,
    rulCap,
    warnings,
    durationMs: Date.now() - t0,
  };
}
