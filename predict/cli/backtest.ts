/**
 * Backtest a model version: replay history through it and print the report (JSON) on stdout; a progress bar
 * goes to stderr. With --model/--version the run is saved (a BacktestRun, shown in the engineer's view).
 *
 *   npm run --silent backtest -- --model <key> --version <n> [--from <iso>] [--to <iso>] [--truth <ground-truth.json>]
 *   npm run --silent backtest -- --model <key> --version <n> --cmapss <train_FD00x.txt> [--rul-truth <RUL file>]
 *   npm run --silent backtest -- --model <key> --version <n> --history <id>
 *   npm run --silent backtest -- --kind <KIND> --params <params.json> --cmapss <file>          (no database)
 *   npm run --silent backtest -- --kind LEARNED --train <train file> --cmapss <test file> --rul-truth <RUL file>
 *
 *   npm run --silent backtest -- --model <key> --params <params.json> [source as above]        (unsaved parameters)
 *
 * Options: --horizon <hours> (file and history sources), --units <n>, --rul-cap <n>, --no-save.
 * Exit codes: 2 bad usage, 1 failure, 78 configuration error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cliPath, cliUser, configOrExit } from '../../common/cli.ts';
import { createDb, type Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import { migrate } from '../../common/migrate.ts';
import { createTelemetryStore } from '../../common/telemetry/create-store.ts';
import type { TelemetryStore } from '../../common/telemetry-store.ts';
import { BacktestStore } from '../adapters/backtest-store.ts';
import { cmapssFileSource, storedHistorySource } from '../adapters/run-to-failure-source.ts';
import { telemetrySource } from '../adapters/telemetry-source.ts';
import { runBacktest, type BacktestSource } from '../backtest-runner.ts';
import { CMAPSS_SENSORS, CMAPSS_SETTINGS, cmapssHistories } from '../core/backtest/cmapss-history.ts';
import { orderRules } from '../core/models/create-evaluator.ts';
import { trainLearned } from '../core/models/learned/train-learned.ts';
import { checkParams, type ModelKind } from '../core/models/params.ts';
import { parseCmapss } from '../core/rul/cmapss-parse.ts';
import { parseArgs, UsageError } from './backtest-args.ts';
import { openDatabase } from './database.ts';
import { ProgressBar } from './progress-bar.ts';

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  for (const key of ['--truth', '--cmapss', '--rul-truth', '--params', '--train']) {
    const file = args.get(key);
    if (file !== undefined) args.set(key, cliPath(file));
  }
  const progress = new ProgressBar('backtest');
  const onProgress = (done: number, total: number, assetId: string) => progress.update(done, total, assetId);
  const horizon = num(args.get('--horizon'));
  const units = num(args.get('--units'));
  const rulCap = num(args.get('--rul-cap'));

  if (args.has('--kind')) {
    // a version outside the database: parameters from a file, or trained here on a C-MAPSS training file
    const kind = args.get('--kind') as ModelKind;
    let params: unknown;
    let training: unknown;
    if (args.has('--train')) {
      const file = args.get('--train')!;
      const trainUnits = parseCmapss(readFileSync(file, 'utf8'), path.basename(file));
      const histories = cmapssHistories(trainUnits, { cycleMs: 3_600_000, horizonHours: horizon ?? 30 });
      const t = trainLearned(
        histories.map((h) => ({ readings: h.readings.map((r) => r.metrics) })),
        {
          settings: CMAPSS_SETTINGS,
          sensors: CMAPSS_SENSORS,
          cap: 125,
          source: path.basename(file),
          trainedAt: new Date(),
          overrides: { horizonHours: horizon ?? 30 },
        },
      );
      params = t.params;
      training = t.training;
      process.stderr.write(`backtest: trained on ${t.training.units} units of ${path.basename(file)}\n`);
    } else params = readJson(args.get('--params')!);
    const check = checkParams(kind, params);
    if (!check.ok) throw new UsageError(`invalid ${kind} parameters: ${check.errors.join('; ')}`);
    const source = cmapssFileSource(args.get('--cmapss')!, {
      truthFile: args.get('--rul-truth'),
      horizonHours: horizon ?? orderRules(params).horizonHours,
      units,
    });
    const result = await runBacktest({ kind, params }, source, { rulCap, onProgress });
    process.stdout.write(`${JSON.stringify({ ...result, ...(training ? { training } : {}) })}\n`);
    return;
  }

  const config = configOrExit();
  const log = createLogger({ level: 'warn' });
  const database = await openDatabase(config, log);
  let db: Db | undefined;
  let store: TelemetryStore | undefined;
  try {
    await migrate(database.url, log);
    db = createDb(database.url, { max: 4 });
    const model = await db.predictionModel.findUnique({ where: { key: args.get('--model')! } });
    if (!model) throw new AppError('PREDICT_UNKNOWN_MODEL', `no model ${args.get('--model')}`);
    const full = await db.predictionModel.findUniqueOrThrow({
      where: { id: model.id },
      include: { equipmentModel: true, failureMode: true },
    });
    const kind = model.kind;
    // a stored version, or parameters to try before saving them as one
    const version = args.has('--version')
      ? await db.modelVersion.findUnique({
          where: { modelId_version: { modelId: model.id, version: Number(args.get('--version')) } },
        })
      : undefined;
    if (args.has('--version') && !version)
      throw new AppError('NOT_FOUND', `no version ${args.get('--version')} of ${model.key}`);
    const params = version ? version.params : readJson(args.get('--params')!);
    const check = checkParams(kind, params);
    if (!check.ok) throw new UsageError(`invalid ${kind} parameters: ${check.errors.join('; ')}`);
    const horizonHours = horizon ?? orderRules(params).horizonHours;
    let source: BacktestSource;
    if (args.has('--cmapss'))
      source = cmapssFileSource(args.get('--cmapss')!, {
        truthFile: args.get('--rul-truth'),
        horizonHours,
        units,
      });
    else if (args.has('--history'))
      source = await storedHistorySource(db, args.get('--history')!, { horizonHours });
    else {
      store = createTelemetryStore(config, database.url);
      const now = new Date();
      const to = args.has('--to') ? new Date(args.get('--to')!) : now;
      const from = args.has('--from')
        ? new Date(args.get('--from')!)
        : new Date(to.getTime() - 24 * 3_600_000);
      source = await telemetrySource(
        db,
        store,
        { kind, params, model: full },
        {
          from,
          to,
          now,
          truthFile: args.get('--truth') ?? path.join(config.dataDir, 'ground-truth.json'),
        },
      );
    }
    const label = version ? `${model.key}@v${version.version}` : `${model.key} (unsaved parameters)`;
    const runs = new BacktestStore(db);
    const save = version !== undefined && !args.has('--no-save');
    const cap = rulCap ?? source.defaultRulCap;
    const run = save
      ? await runs.start(version!.id, source.kind, { ...source.options, rulCap: cap }, `cli ${cliUser()}`)
      : undefined;
    try {
      const result = await runBacktest({ kind, params, label }, source, {
        rulCap: cap,
        onProgress: async (done, total, assetId) => {
          onProgress(done, total, assetId);
          if (run && (done === total || done % 10 === 0)) await runs.progress(run.id, done / total);
        },
      });
      if (run) await runs.finish(run.id, result);
      process.stdout.write(`${JSON.stringify({ ...(run ? { runId: run.id } : {}), ...result })}\n`);
    } catch (err) {
      if (run) await runs.fail(run.id, err instanceof Error ? err.message : String(err));
      throw err;
    }
  } finally {
    await store?.close();
    await db?.$disconnect();
    await database.stop?.();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`backtest: ${msg}\n`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
});
