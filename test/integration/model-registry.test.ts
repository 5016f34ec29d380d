// The model registry and the engineer's workflow over HTTP on the whole platform (demo world, no fleet, real
// PostgreSQL): a new version from edited parameters, promotion retiring the active version in one transaction
// (also when two engineers promote at once), a shadow version predicting without opening orders, and backtests
// persisted and read back through the API (telemetry with ground truth; an imported C-MAPSS history).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryPoint } from '../../common/telemetry-store.ts';
import type { BacktestResult } from '../../predict/backtest-runner.ts';
import { recordDrill } from '../helpers/drill-record.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

interface Version {
  id: string;
  version: number;
  status: string;
  author: string;
  note: string | null;
  basedOn: number | null;
  params: Record<string, unknown>;
  latestBacktest: { id: string; status: string; summary: Record<string, unknown> } | null;
}
interface Model {
  id: string;
  key: string;
  kind: string;
  versions: Version[];
}
interface Run {
  id: string;
  status: string;
  progress: number;
  version: number;
  summary: Record<string, unknown> | null;
  options: Record<string, unknown>;
  report?: BacktestResult;
  error: string | null;
}

const ENGINEER = 'engineer@preempt.demo';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('model registry, shadow and backtests over HTTP', () => {
  let p: TestPlatform;
  const tokens: Record<string, string> = {};

  /** Error answers, and the other bodies the checks below read. */
  interface Answer {
    code: string;
    message: string;
    changes: { version: number; from: string; to: string }[];
    params: { key: string; changed: boolean }[];
    version: Version;
    training: { units: number; r2: number };
  }
  const call = async <T = Answer>(who: string | null, method: string, url: string, body?: unknown) => {
    const headers: Record<string, string> = who ? { authorization: `Bearer ${tokens[who]}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${p.url}${url}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const model = async (key: string) =>
    (await call<Model[]>('engineer', 'GET', '/api/models')).body.find((m) => m.key === key)!;
  const waitRun = (id: string) =>
    eventually(async () => {
      const r = (await call<Run>('engineer', 'GET', `/api/backtests/${id}`)).body;
      return r.status !== 'RUNNING' && r;
    }, 20_000);

  interface ImportJob {
    status: string;
    history: { id: string; units: number } | null;
    error: { code: string; message: string; line: number | null } | null;
  }
  const waitImport = (id: string) =>
    eventually(async () => {
      const j = (await call<ImportJob>('engineer', 'GET', `/api/histories/jobs/${id}`)).body;
      return (j.status === 'done' || j.status === 'failed') && j;
    }, 30_000);

  beforeAll(async () => {
    p = await startTestPlatform({}, { fleet: false });
    tokens.engineer = await p.login(ENGINEER, 'engineer-demo');
    tokens.dispatcher = await p.login('dispatcher@preempt.demo', 'dispatcher-demo');
    tokens.customer = await p.login('customer@acme.demo', 'customer-demo');
  }, 60_000);
  afterAll(async () => p?.stop());

  it('edits parameters as a new version and promotes it, retiring the active one in one transaction', async () => {
    const chiller = await model('chiller-ch300/compressor-bearing/trend');
    const v1 = chiller.versions.find((v) => v.version === 1)!;
    expect(v1.status).toBe('ACTIVE');
    const url = `/api/models/${chiller.id}/versions`;

    const bad = await call('engineer', 'POST', url, { params: { ...v1.params, ewmaAlpha: 3 } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('PREDICT_INVALID_PARAMS');
    expect(bad.body.message).toMatch(/ewmaAlpha/);
    expect((await call('dispatcher', 'POST', url, { params: v1.params })).status).toBe(403);
    expect((await call('customer', 'GET', '/api/models')).status).toBe(403);

    const edited = { ...v1.params, minR2: 0.8, confirmations: 4 };
    const created = await call<Version>('engineer', 'POST', url, {
      params: edited,
      note: 'fewer false alarms',
      basedOn: 1,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 2, status: 'DRAFT', author: ENGINEER, basedOn: 1 });
    expect(created.body.params).toEqual(edited);

    // never backtested: refused until the engineer confirms, nothing changes
    const unconfirmed = await call('engineer', 'POST', `${url}/2/status`, { status: 'ACTIVE' });
    expect([unconfirmed.status, unconfirmed.body.code]).toEqual([409, 'PREDICT_PROMOTE_UNTESTED']);
    expect(
      (await p.db.modelVersion.findFirstOrThrow({ where: { modelId: chiller.id, version: 2 } })).status,
    ).toBe('DRAFT');
    const promoted = await call('engineer', 'POST', `${url}/2/status`, {
      status: 'ACTIVE',
      note: 'promoted without a backtest',
      confirm: true,
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body.changes.map((c) => [c.version, c.from, c.to])).toEqual([
      [2, 'DRAFT', 'ACTIVE'],
      [1, 'ACTIVE', 'RETIRED'],
    ]);
    const rows = await p.db.modelVersion.findMany({
      where: { modelId: chiller.id },
      orderBy: { version: 'asc' },
    });
    expect(rows.map((r) => r.status)).toEqual(['RETIRED', 'ACTIVE']);
    expect(rows[1]!.statusChangedBy).toBe(ENGINEER);
    expect(rows[0]!.statusChangedAt!.getTime()).toBe(rows[1]!.statusChangedAt!.getTime());

    const illegal = await call('engineer', 'POST', `${url}/1/status`, { status: 'DRAFT' });
    expect(illegal.status).toBe(409);
    expect(illegal.body.code).toBe('PREDICT_ILLEGAL_TRANSITION');

    // two engineers promote two drafts at the same moment: the lock serialises them, one version stays active
    for (const n of [3, 4])
      expect(
        (await call('engineer', 'POST', url, { params: { ...edited, minR2: 0.7 + n / 100 } })).status,
      ).toBe(201);
    const both = await Promise.all(
      [3, 4].map((n) => call('engineer', 'POST', `${url}/${n}/status`, { status: 'ACTIVE', confirm: true })),
    );
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const after = await p.db.modelVersion.findMany({ where: { modelId: chiller.id } });
    expect(after.filter((v) => v.status === 'ACTIVE')).toHaveLength(1);

    const events = await call<{ version: number; to: string; actor: string }[]>(
      'dispatcher',
      'GET',
      `/api/models/${chiller.id}/events`,
    );
    expect(events.status).toBe(200);
    expect(
      events.body
        .filter((e) => e.to === 'ACTIVE')
        .map((e) => e.version)
        .sort(),
    ).toEqual([2, 3, 4]);
    expect(events.body.every((e) => e.actor === ENGINEER)).toBe(true);

    const compare = await call('dispatcher', 'GET', `/api/models/${chiller.id}/compare?a=1&b=2`);
    expect(compare.status).toBe(200);
    expect(compare.body.params.filter((x) => x.changed).map((x) => x.key)).toEqual([
      'confirmations',
      'minR2',
    ]);
  });

  it('refuses a model, a version or a promotion that reads a metric its equipment model does not report', async () => {
    const chiller = await model('chiller-ch300/compressor-bearing/trend');
    const base = chiller.versions.find((v) => v.version === 1)!.params;
    const reported = (
      await p.db.metricDefinition.findMany({ where: { equipmentModel: { key: 'chiller-ch300' } } })
    ).map((m) => m.name);
    expect(reported).not.toContain('vibration_rms');

    const version = await call('engineer', 'POST', `/api/models/${chiller.id}/versions`, {
      params: { ...base, metric: 'vibration_rms' },
    });
    expect(version.status).toBe(422);
    expect(version.body.code).toBe('PREDICT_UNKNOWN_METRIC');
    expect(version.body.message).toMatch(/vibration_rms/);

    const threshold = {
      metric: 'no_such_metric',
      direction: 'up',
      alertLevel: 6,
      failureLevel: 11,
      leadHours: 2,
      ewmaAlpha: 1,
      windowPoints: 10,
      horizonHours: 24,
      confirmations: 2,
      marginMinutes: 15,
    };
    const created = await call('engineer', 'POST', '/api/models', {
      key: 'chiller-ch300/compressor-bearing/ghost-threshold',
      name: 'Threshold on a metric the chiller does not have',
      kind: 'THRESHOLD',
      equipmentModel: 'chiller-ch300',
      failureMode: 'compressor-bearing',
      params: threshold,
    });
    expect(created.status).toBe(422);
    expect(created.body.code).toBe('PREDICT_UNKNOWN_METRIC');
    expect(await p.db.predictionModel.count({ where: { key: { contains: 'ghost' } } })).toBe(0);

    // a version stored before the check (or by hand) cannot be shadowed or promoted
    const versions = await p.db.modelVersion.findMany({ where: { modelId: chiller.id } });
    const n = Math.max(...versions.map((v) => v.version)) + 1;
    await p.db.modelVersion.create({
      data: {
        modelId: chiller.id,
        version: n,
        status: 'DRAFT',
        author: 'legacy',
        params: { ...base, metric: 'vibration_rms' },
      },
    });
    for (const status of ['SHADOW', 'ACTIVE']) {
      const res = await call('engineer', 'POST', `/api/models/${chiller.id}/versions/${n}/status`, {
        status,
      });
      expect([status, res.status, res.body.code]).toEqual([status, 422, 'PREDICT_UNKNOWN_METRIC']);
    }
    const stored = await p.db.modelVersion.findMany({
      where: { modelId: chiller.id },
      orderBy: { version: 'asc' },
    });
    expect(stored.find((v) => v.version === n)!.status).toBe('DRAFT');
    expect(stored.map((v) => v.status)).toEqual(
      versions
        .sort((a, b) => a.version - b.version)
        .map((v) => v.status)
        .concat('DRAFT'),
    );
    // retiring it is fine
    expect(
      (
        await call('engineer', 'POST', `/api/models/${chiller.id}/versions/${n}/status`, {
          status: 'RETIRED',
        })
      ).status,
    ).toBe(200);
    recordDrill({
      drill:
        'a model, a new version, and the promotion of a stored version, reading a metric the equipment model does not report',
      behaviour:
        '422 PREDICT_UNKNOWN_METRIC naming the metric (and the ones reported); nothing created, no status changed',
      lost: 'nothing',
      test: 'test/integration/model-registry.test.ts',
    });
  });

  it('runs a shadow version beside the active one: it predicts, and only a promotion lets it open orders', async () => {
    const pump = await model('pump-px50/bearing/trend');
    // no active pump model: whatever happens here is the new model's doing
    const active = pump.versions.find((v) => v.status === 'ACTIVE')!;
    expect(
      (
        await call('engineer', 'POST', `/api/models/${pump.id}/versions/${active.version}/status`, {
          status: 'RETIRED',
        })
      ).status,
    ).toBe(200);

    const created = await call<Model>('engineer', 'POST', '/api/models', {
      key: 'pump-px50/bearing/threshold',
      name: 'Pump bearing: vibration threshold',
      kind: 'THRESHOLD',
      equipmentModel: 'pump-px50',
      failureMode: 'bearing',
      params: {
        metric: 'vibration_rms',
        direction: 'up',
        alertLevel: 6,
        failureLevel: 11,
        leadHours: 2,
        ewmaAlpha: 1,
        windowPoints: 10,
        horizonHours: 24,
        confirmations: 2,
        marginMinutes: 15,
      },
    });
    expect(created.status).toBe(201);
    const m = created.body;
    expect((await call('engineer', 'POST', '/api/models', { ...m, params: {} })).status).toBe(400);
    expect(
      (await call('engineer', 'POST', `/api/models/${m.id}/versions/1/status`, { status: 'SHADOW' })).status,
    ).toBe(200);

    const asset = await p.db.asset.findFirstOrThrow({ where: { equipmentModel: { key: 'pump-px50' } } });
    const feed = async (values: number[]) => {
      for (const v of values) {
        p.bus.emit('reading.ingested', {
          assetId: asset.id,
          tenantId: asset.tenantId,
          ts: new Date(),
          metrics: { vibration_rms: v, bearing_temp: 50, flow: 120 },
        });
        await p.bus.drain();
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await feed([2.2, 7, 7.5, 8, 8.5]);
    const shadow = await eventually(async () => {
      const list = await p.db.prediction.findMany({
        where: { assetId: asset.id, modelVersion: { modelId: m.id } },
      });
      return list.length > 0 && list;
    });
    expect(shadow.every((x) => x.shadow)).toBe(true);
    expect(await p.db.serviceOrder.count({ where: { assetId: asset.id } })).toBe(0);
    const listed = await call<
      {
        shadow: boolean;
        modelVersion: string;
        evidence: { features: unknown[]; horizon: { hours: number } };
      }[]
    >('engineer', 'GET', `/api/predictions?assetId=${asset.id}&shadow=true`);
    expect(listed.body[0]!).toMatchObject({ shadow: true, modelVersion: 'pump-px50/bearing/threshold@v1' });
    expect(listed.body[0]!.evidence.features[0]).toMatchObject({ metric: 'vibration_rms', feature: 'level' });
    expect(listed.body[0]!.evidence.horizon.hours).toBeGreaterThan(0);

    expect(
      (
        await call('engineer', 'POST', `/api/models/${m.id}/versions/1/status`, {
          status: 'ACTIVE',
          confirm: true,
        })
      ).status,
    ).toBe(200);
    await eventually(async () => {
      await feed([9, 9.5]);
      return (await p.db.serviceOrder.count({ where: { assetId: asset.id } })) === 1;
    });
    const order = await p.db.serviceOrder.findFirstOrThrow({
      where: { assetId: asset.id },
      include: { prediction: true },
    });
    expect(order.prediction!.shadow).toBe(false);
    // due by the margin before the expected failure, or by the band's lower edge when that is sooner
    // (never before the moment it was raised)
    const due = Math.min(
      order.expectedFailureAt.getTime() - 15 * 60_000,
      order.prediction!.bandEarliestAt.getTime(),
    );
    if (due > order.createdAt.getTime()) expect(order.dueBy.getTime()).toBe(due);
    else expect(Math.abs(order.dueBy.getTime() - order.createdAt.getTime())).toBeLessThan(5_000);
  });

  it('persists a backtest of telemetry against the ground truth and serves its report', async () => {
    const pump = await model('pump-px50/bearing/trend');
    const v1 = pump.versions.find((v) => v.version === 1)!;
    const asset = await p.db.asset.findFirstOrThrow({
      where: { equipmentModel: { key: 'pump-px50' } },
      orderBy: { id: 'desc' },
    });
    // five days of a pump every ten minutes: healthy for a day, then bearing wear doubling every ~13 hours to
    // 11 mm/s over three days (the demo's trend model takes a point an hour over a three-day window)
    const now = Date.now();
    const start = now - 5 * DAY;
    const failAt = start + 4 * DAY;
    const points: TelemetryPoint[] = [];
    for (let t = start; t < now; t += 10 * 60_000) {
      if (t >= failAt && t < failAt + HOUR) continue; // down until repaired
      const wear = t < start + DAY || t >= failAt ? 0 : 0.2 * 2 ** ((t - start - DAY) / (13.2 * HOUR));
      points.push({
        assetId: asset.id,
        metric: 'vibration_rms',
        ts: new Date(t),
        value: 2.2 + wear + 0.02 * Math.sin(t),
      });
    }
    await p.store.write(points);
    writeFileSync(
      path.join(p.dataDir, 'ground-truth.json'),
      JSON.stringify({
        source: 'fleet',
        seed: 1,
        speed: 1,
        startedAt: new Date(start).toISOString(),
        failures: [
          {
            assetId: asset.id,
            equipment: 'pump-px50',
            failureMode: 'bearing',
            kind: 'degradation',
            onsetAt: new Date(start + DAY).toISOString(),
            failAt: new Date(failAt).toISOString(),
          },
        ],
      }),
    );

    const url = `/api/models/${pump.id}/versions/${v1.version}`;
    expect((await call('dispatcher', 'POST', `${url}/backtest`, { source: 'telemetry' })).status).toBe(403);
    expect(
      (await call('engineer', 'POST', `${url}/backtest`, { source: 'telemetry', from: 'soon' })).status,
    ).toBe(400);
    const started = await call<Run>('engineer', 'POST', `${url}/backtest`, {
      source: 'telemetry',
      from: new Date(start - 60_000).toISOString(),
      to: new Date(now).toISOString(),
    });
    expect(started.status).toBe(202);
    expect(started.body.status).toBe('RUNNING');
    const run = await waitRun(started.body.id);
    expect(run.error).toBeNull();
    expect(run.status).toBe('DONE');
    expect(run.progress).toBe(1);
    const report = run.report!;
    expect(report.failures).toMatchObject({ total: 1, detected: 1, recall: 1 });
    expect(report.leadTimeHours!.count).toBe(1);
    expect(report.leadTimeHours!.median).toBeGreaterThan(0.25);
    expect(report.alarms.precision).toBe(1);
    expect(report.rul!.unit).toBe('hours');
    expect(report.leadTimeHistogram.length).toBeGreaterThan(0);
    expect(report.warnings).toEqual([]);
    // the ground truth by its file name, never its path on the server (the platform's data directory)
    expect(run.options).toMatchObject({ truthFile: 'ground-truth.json' });
    expect(report.options).toMatchObject({ truthFile: 'ground-truth.json' });
    expect(JSON.stringify(run)).not.toContain(p.dataDir);
    // a run recorded with the path before is shown without it
    const legacy = '/srv/preempt/data/ground-truth.json';
    await p.db.backtestRun.update({
      where: { id: run.id },
      data: {
        options: { ...run.options, truthFile: legacy },
        report: {
          ...report,
          options: { ...report.options, truthFile: legacy },
          warnings: [`x at ${legacy}`],
        } as object,
      },
    });
    const shown = (await call<Run>('engineer', 'GET', `/api/backtests/${run.id}`)).body;
    expect(shown.options.truthFile).toBe('ground-truth.json');
    expect(shown.report!.warnings).toEqual(['x at ground-truth.json']);
    expect(JSON.stringify(shown)).not.toContain('/srv/');

    const list = await call<Run[]>('dispatcher', 'GET', `${url}/backtests`);
    expect(list.body.map((r) => r.id)).toContain(run.id);
    expect(list.body[0]!.report).toBeUndefined();
    const row = await p.db.backtestRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(row.author).toBe(ENGINEER);
    expect(
      (await model('pump-px50/bearing/trend')).versions.find((v) => v.version === 1)!.latestBacktest,
    ).toMatchObject({
      id: run.id,
      status: 'DONE',
      summary: { recall: 1, detected: 1 },
    });
    expect((await call('customer', 'GET', `/api/backtests/${run.id}`)).status).toBe(403);
    expect(
      (await call('engineer', 'GET', '/api/backtests/00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
  });

  it('imports a C-MAPSS history, trains a LEARNED version on it and backtests it with RUL metrics', async () => {
    const file = readFileSync(path.resolve('../shared/datasets/cmapss/train_FD001.txt'), 'utf8');
    // the first 30 engines keep the test quick
    const data = file
      .split('\n')
      .filter((l) => l.trim() && Number(l.trim().split(/\s+/)[0]) <= 30)
      .join('\n');
    // an import is a job: 202 with its Location, then done with the history
    const accepted = await call<{ id: string; status: string }>('engineer', 'POST', '/api/histories', {
      name: 'FD001 (30 units)',
      equipmentModel: 'turbofan-cmapss',
      format: 'cmapss',
      data,
    });
    expect(accepted.status).toBe(202);
    const job = await waitImport(accepted.body.id);
    expect(job).toMatchObject({ status: 'done', progress: { fraction: 1, unitsDone: 30, unitsTotal: 30 } });
    const imported = { body: job.history! };
    expect(imported.body).toMatchObject({ units: 30, failedUnits: 30, format: 'cmapss' });
    const broken = await call<{ id: string }>('engineer', 'POST', '/api/histories', {
      name: 'broken',
      equipmentModel: 'turbofan-cmapss',
      format: 'cmapss',
      data: '1 1 0 0',
    });
    expect(broken.status).toBe(202);
    expect(await waitImport(broken.body.id)).toMatchObject({
      status: 'failed',
      history: null,
      error: {
        code: 'PREDICT_IMPORT_INVALID_FILE',
        line: 1,
        message: 'broken line 1: expected 26 columns, got 4',
      },
    });

    const created = await call<Model>('engineer', 'POST', '/api/models', {
      key: 'turbofan-cmapss/hpc-degradation/learned',
      name: 'HPC degradation: learned health index',
      kind: 'LEARNED',
      equipmentModel: 'turbofan-cmapss',
      failureMode: 'hpc-degradation',
      params: {
        sensors: ['s2'],
        settings: ['setting1'],
        regimes: [{ setting: [0], mean: [0], std: [1] }],
        weights: [0],
        bias: 0,
        failureLevel: 1,
        healthyLevel: 0,
        alertLevel: 0.3,
        capCycles: 125,
        rulStdCycles: 20,
        minPoints: 5,
        minR2: 0.3,
        horizonHours: 30,
        confirmations: 3,
        marginMinutes: 0,
        ewmaAlpha: 1,
        windowPoints: 20,
      },
    });
    expect(created.status).toBe(201);
    const trained = await call('engineer', 'POST', `/api/models/${created.body.id}/train`, {
      historyId: imported.body.id,
    });
    expect(trained.status).toBe(201);
    expect(trained.body.version).toMatchObject({ version: 2, status: 'DRAFT', basedOn: 1 });
    expect(trained.body.training.units).toBe(30);
    expect(trained.body.training.r2).toBeGreaterThan(0.5);

    const chiller = await model('chiller-ch300/compressor-bearing/trend');
    const foreign = await call('engineer', 'POST', `/api/models/${chiller.id}/versions/1/backtest`, {
      source: 'history',
      historyId: imported.body.id,
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.message).toMatch(/another equipment model/);

    const started = await call<Run>(
      'engineer',
      'POST',
      `/api/models/${created.body.id}/versions/2/backtest`,
      {
        source: 'history',
        historyId: imported.body.id,
      },
    );
    expect(started.status).toBe(202);
    const run = await waitRun(started.body.id);
    expect(run.status).toBe('DONE');
    const report = run.report!;
    expect(report.failures.total).toBe(30);
    expect(report.failures.recall).toBeGreaterThan(0.8);
    expect(report.rul).toMatchObject({ unit: 'cycles', cap: 125, runs: 30 });
    expect(report.rul!.rmse).toBeLessThan(40);
    expect(report.rul!.sample.length).toBeGreaterThan(100);
    expect(run.summary).toMatchObject({ rulUnit: 'cycles' });
  }, 30_000);
});
