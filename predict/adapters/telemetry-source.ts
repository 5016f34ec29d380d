// Backtest source: the telemetry store's readings of every asset of the model's equipment model over a time
// range, with the failures from the simulator's ground-truth file (DATA_DIR/ground-truth.json by default) and
// each asset's order horizon from its contract and the parts network, as the live service computes it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../common/db.ts';
import type { TelemetryStore } from '../../common/telemetry-store.ts';
import { failuresByAsset, parseGroundTruth } from '../core/backtest/ground-truth.ts';
import { mergeSeries, type History } from '../core/backtest/history.ts';
import { orderRules } from '../core/models/create-evaluator.ts';
import { metricsOf, type ModelKind } from '../core/models/params.ts';
import { orderHorizon, partsLead } from '../core/order-horizon.ts';
import type { BacktestSource } from '../backtest-runner.ts';
import { PrismaPredictionStore } from './prediction-store.ts';

const HOUR = 3_600_000;
const PAGE = 50_000;

export interface TelemetryVersion {
  kind: ModelKind;
  params: unknown;
  model: {
    equipmentModelId: string;
    equipmentModel: { key: string };
    failureMode: { key: string; partId: string; partQty: number };
  };
}

/** Every point of a series in [from, to], page by page. */
async function series(store: TelemetryStore, assetId: string, metric: string, from: Date, to: Date) {
  const out: { ts: Date; value: number }[] = [];
  let start = from;
  for (;;) {
    const page = await store.range({ assetId, metric, from: start, to, limit: PAGE });
    out.push(...page);
    if (page.length < PAGE) return out;
    start = new Date(page.at(-1)!.ts.getTime() + 1);
  }
}

export async function telemetrySource(
  db: Db,
  store: TelemetryStore,
  v: TelemetryVersion,
  o: { from: Date; to: Date; truthFile: string; now: Date },
): Promise<BacktestSource> {
  const warnings: string[] = [];
  const metrics = metricsOf(v.kind, v.params);
  const rules = orderRules(v.params);
  const assets = await db.asset.findMany({
    where: { equipmentModelId: v.model.equipmentModelId },
    include: { contract: true, site: true },
    orderBy: { id: 'asc' },
  });
  const network = await new PrismaPredictionStore(db).loadNetwork();
  let failures = new Map<string, { at: number; kind: string; onsetAt: number }[]>();
  if (existsSync(o.truthFile)) {
    const truth = parseGroundTruth(JSON.parse(readFileSync(o.truthFile, 'utf8')));
    failures = failuresByAsset(truth, {
      equipment: v.model.equipmentModel.key,
      failureMode: v.model.failureMode.key,
      until: Math.min(o.to.getTime(), o.now.getTime()),
    });
  } else
    warnings.push(
      `no ground-truth file ${path.basename(o.truthFile)}: failures are unknown, recall cannot be measured`,
    );
  const byId = new Map(assets.map((a) => [a.id, a]));
  return {
    kind: 'telemetry',
    // the file's name only: its path on the server is no business of the report's readers
    options: {
      from: o.from.toISOString(),
      to: o.to.toISOString(),
      truthFile: path.basename(o.truthFile),
      metrics,
    },
    rulUnit: 'hours',
    rulUnitMs: HOUR,
    defaultRulCap: rules.horizonHours,
    warnings,
    assets: () => assets.map((a) => a.id),
    async load(assetId: string): Promise<History> {
      const a = byId.get(assetId)!;
      const data: Record<string, { ts: Date; value: number }[]> = {};
      for (const m of metrics) data[m] = await series(store, assetId, m, o.from, o.to);
      const lead = partsLead(
        a.site,
        network.get(v.model.failureMode.partId) ?? [],
        v.model.failureMode.partQty,
        o.now,
      );
      const horizon = orderHorizon(lead, a.contract.responseHours, rules.marginMinutes);
      return {
        assetId,
        readings: mergeSeries(data),
        failures: (failures.get(assetId) ?? []).filter((f) => f.at >= o.from.getTime()),
        horizonHours: horizon.hours,
        requiredLeadHours: lead.hours + a.contract.responseHours,
        endAt: Math.min(o.to.getTime(), o.now.getTime()),
      };
    },
  };
}
