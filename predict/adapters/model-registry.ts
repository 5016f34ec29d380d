// The model registry on PostgreSQL: prediction models and their versions (parameters, status, author, time),
// new versions from edited parameters, and status changes (shadow, promote, retire) in one transaction each,
// under a lock of the model's row so two engineers cannot both promote.
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import {
  planTransition,
  nextVersion,
  type StatusChange,
  type VersionStatus,
} from '../core/model-lifecycle.ts';
import { missingMetrics } from '../core/models/metric-check.ts';
import { checkParams, type ModelKind } from '../core/models/params.ts';

export interface BacktestBrief {
  id: string;
  status: string;
  source: string;
  startedAt: string;
  summary: unknown;
}

export interface VersionView {
  id: string;
  version: number;
  status: VersionStatus;
  author: string;
  createdAt: string;
  note: string | null;
  basedOn: number | null;
  statusChangedAt: string | null;
  statusChangedBy: string | null;
  params: unknown;
  predictions: number;
  latestBacktest: BacktestBrief | null;
}

export interface ModelView {
  id: string;
  key: string;
  name: string;
  kind: ModelKind;
  equipmentModel: string;
  equipmentModelKey: string;
  failureMode: string;
  failureModeKey: string;
  versions: VersionView[];
}

export interface NewModel {
  key: string;
  name: string;
  kind: ModelKind;
  equipmentModel: string;
  failureMode: string;
  params: unknown;
  note?: string;
}

const include = {
  equipmentModel: true,
  failureMode: true,
  versions: {
    orderBy: { version: 'desc' as const },
    include: {
      _count: { select: { predictions: true } },
      backtests: { orderBy: { startedAt: 'desc' as const }, take: 1 },
    },
  },
};

export function assertParams(kind: ModelKind, params: unknown): void {
  const check = checkParams(kind, params);
  if (!check.ok)
    throw new AppError('PREDICT_INVALID_PARAMS', `invalid ${kind} parameters: ${check.errors.join('; ')}`, {
      errors: check.errors,
    });
}

/** Refuses parameters that read a metric the equipment model does not report (422 PREDICT_UNKNOWN_METRIC). */
export function assertMetrics(
  kind: ModelKind,
  params: unknown,
  equipment: { key: string; metrics: { name: string }[] },
): void {
  const missing = missingMetrics(
    kind,
    params,
    equipment.metrics.map((m) => m.name),
  );
  if (missing.length > 0)
    throw new AppError(
      'PREDICT_UNKNOWN_METRIC',
      `${equipment.key} reports no metric ${missing.join(', ')} (it reports ${equipment.metrics.map((m) => m.name).join(', ')})`,
      { missing },
    );
}

type Row = NonNullable<Awaited<ReturnType<Db['predictionModel']['findFirst']>>> & {
  equipmentModel: { name: string; key: string };
  failureMode: { name: string; key: string };
  versions: (NonNullable<Awaited<ReturnType<Db['modelVersion']['findFirst']>>> & {
    _count: { predictions: number };
    backtests: {
      id: string;
      status: string;
      source: string;
      startedAt: Date;
      summary: unknown;
    }[];
  })[];
};

/**
 * Parameters as the API shows them: an ALARM version's trees (hundreds of kilobytes) are counted, not listed; the
 * predict service reads them from the database.
 */
export function shownParams(kind: ModelKind, params: unknown): unknown {
  if (kind !== 'ALARM' || typeof params !== 'object' || params === null) return params;
  const p = params as { rule?: { models?: { trees?: unknown[] }[] } };
  if (!p.rule || !Array.isArray(p.rule.models)) return params;
  const { models, ...rule } = p.rule;
  const trees = models.reduce((n, m) => n + (Array.isArray(m.trees) ? m.trees.length : 0), 0);
  return { ...p, rule: { ...rule, trees } };
}

function view(m: Row): ModelView {
  return {
    id: m.id,
    key: m.key,
    name: m.name,
    kind: m.kind,
    equipmentModel: m.equipmentModel.name,
    equipmentModelKey: m.equipmentModel.key,
    failureMode: m.failureMode.name,
    failureModeKey: m.failureMode.key,
    versions: m.versions.map((v) => {
      const b = v.backtests[0];
      return {
        id: v.id,
        version: v.version,
        status: v.status,
        author: v.author,
        createdAt: v.createdAt.toISOString(),
        note: v.note,
        basedOn: v.basedOn,
        statusChangedAt: v.statusChangedAt?.toISOString() ?? null,
        statusChangedBy: v.statusChangedBy,
        params: shownParams(m.kind, v.params),
        predictions: v._count.predictions,
        latestBacktest: b
          ? {
              id: b.id,
              status: b.status,
              source: b.source,
              startedAt: b.startedAt.toISOString(),
              summary: b.summary ?? null,
            }
          : null,
      };
    }),
  };
}

export class ModelRegistry {
  constructor(private readonly db: Db) {}

  async list(): Promise<ModelView[]> {
    const rows = await this.db.predictionModel.findMany({ include, orderBy: { key: 'asc' } });
    return rows.map((r) => view(r as Row));
  }

  async equipmentModels() {
    const rows = await this.db.equipmentModel.findMany({
      include: {
        metrics: { orderBy: { name: 'asc' } },
        failureModes: { orderBy: { key: 'asc' } },
        _count: { select: { assets: true } },
      },
      orderBy: { key: 'asc' },
    });
    return rows.map((e) => ({
      key: e.key,
      name: e.name,
      metrics: e.metrics.map((m) => ({ name: m.name, unit: m.unit })),
      failureModes: e.failureModes.map((f) => ({ key: f.key, name: f.name })),
      assets: e._count.assets,
    }));
  }

  async get(id: string): Promise<ModelView> {
    const row = await this.db.predictionModel.findUnique({ where: { id }, include });
    if (!row) throw new AppError('PREDICT_UNKNOWN_MODEL', 'no such model');
    return view(row as Row);
  }

  /** The version row (id, kind, params) of a model's version number. */
  async version(modelId: string, version: number) {
    const v = await this.db.modelVersion.findUnique({
      where: { modelId_version: { modelId, version } },
      include: { model: { include: { equipmentModel: true, failureMode: true } } },
    });
    if (!v) throw new AppError('NOT_FOUND', `no version ${version} of this model`);
    return v;
  }

  async createModel(m: NewModel, author: string): Promise<ModelView> {
    assertParams(m.kind, m.params);
    const equipment = await this.db.equipmentModel.findUnique({
      where: { key: m.equipmentModel },
      include: { failureModes: true, metrics: { select: { name: true } } },
    });
    if (!equipment) throw new AppError('NOT_FOUND', `no equipment model ${m.equipmentModel}`);
    const mode = equipment.failureModes.find((f) => f.key === m.failureMode);
    if (!mode) throw new AppError('NOT_FOUND', `${m.equipmentModel} has no failure mode ${m.failureMode}`);
    assertMetrics(m.kind, m.params, equipment);
    if (await this.db.predictionModel.findUnique({ where: { key: m.key } }))
      throw new AppError('PREDICT_DUPLICATE_MODEL', `a model with the key ${m.key} exists`);
    const created = await this.db.predictionModel.create({
      data: {
        key: m.key,
        name: m.name,
        kind: m.kind,
        equipmentModelId: equipment.id,
        failureModeId: mode.id,
        versions: {
          create: {
            version: 1,
            status: 'DRAFT',
            author,
            note: m.note ?? null,
            params: m.params as object,
            events: { create: { to: 'DRAFT', actor: author, note: m.note ?? null } },
          },
        },
      },
    });
    return this.get(created.id);
  }

  /** A new DRAFT version with the given parameters (an edit of `basedOn`, if given). */
  async createVersion(
    modelId: string,
    v: { params: unknown; note?: string; basedOn?: number },
    author: string,
  ): Promise<VersionView & { modelId: string }> {
    const model = await this.db.predictionModel.findUnique({
      where: { id: modelId },
      include: { equipmentModel: { select: { key: true, metrics: { select: { name: true } } } } },
    });
    if (!model) throw new AppError('PREDICT_UNKNOWN_MODEL', 'no such model');
    assertParams(model.kind, v.params);
    assertMetrics(model.kind, v.params, model.equipmentModel);
    const id = await this.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "PredictionModel" WHERE id = ${modelId} FOR UPDATE`;
      const versions = await tx.modelVersion.findMany({ where: { modelId }, select: { version: true } });
      if (v.basedOn !== undefined && !versions.some((x) => x.version === v.basedOn))
        throw new AppError('NOT_FOUND', `no version ${v.basedOn} to base the new one on`);
      const created = await tx.modelVersion.create({
        data: {
          modelId,
          version: nextVersion(versions),
          status: 'DRAFT',
          author,
          note: v.note ?? null,
          basedOn: v.basedOn ?? null,
          params: v.params as object,
          events: { create: { to: 'DRAFT', actor: author, note: v.note ?? null } },
        },
      });
      return created.id;
    });
    const mv = (await this.get(modelId)).versions.find((x) => x.id === id)!;
    return { ...mv, modelId };
  }

  /**
   * Moves a version to `to`; a promotion retires the active one. Returns every change made. Promoting a
   * version without a finished backtest needs `confirmed` (else PREDICT_PROMOTE_UNTESTED).
   */
  async transition(
    modelId: string,
    version: number,
    to: VersionStatus,
    actor: string,
    note?: string,
    confirmed = false,
  ): Promise<(StatusChange & { versionId: string })[]> {
    return this.db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM "PredictionModel" WHERE id = ${modelId} FOR UPDATE`;
      if (locked.length === 0) throw new AppError('PREDICT_UNKNOWN_MODEL', 'no such model');
      const versions = await tx.modelVersion.findMany({
        where: { modelId },
        select: { id: true, version: true, status: true },
      });
      const changes = planTransition(versions, version, to);
      if (to === 'SHADOW' || to === 'ACTIVE') {
        // a version created before metrics were checked must not start predicting on metrics that never come
        const model = await tx.predictionModel.findUniqueOrThrow({
          where: { id: modelId },
          select: {
            kind: true,
            equipmentModel: { select: { key: true, metrics: { select: { name: true } } } },
          },
        });
        const target = await tx.modelVersion.findUniqueOrThrow({
          where: { modelId_version: { modelId, version } },
          select: { params: true },
        });
        assertMetrics(model.kind, target.params, model.equipmentModel);
      }
      if (to === 'ACTIVE' && !confirmed) {
        const id = versions.find((x) => x.version === version)!.id;
        const tested = await tx.backtestRun.count({ where: { modelVersionId: id, status: 'DONE' } });
        if (tested === 0)
          throw new AppError(
            'PREDICT_PROMOTE_UNTESTED',
            `v${version} has no finished backtest: backtest it first, or promote it with confirm: true`,
          );
      }
      const at = new Date();
      const out: (StatusChange & { versionId: string })[] = [];
      for (const c of changes) {
        const v = versions.find((x) => x.version === c.version)!;
        await tx.modelVersion.update({
          where: { id: v.id },
          data: { status: c.to, statusChangedAt: at, statusChangedBy: actor },
        });
        await tx.modelVersionEvent.create({
          data: {
            versionId: v.id,
            from: c.from,
            to: c.to,
            actor,
            at,
            note: c.version === version ? (note ?? null) : `retired by the promotion of v${version}`,
          },
        });
        out.push({ ...c, versionId: v.id });
      }
      return out;
    });
  }

  /** Status changes of a model's versions, newest first. */
  async events(modelId: string) {
    const rows = await this.db.modelVersionEvent.findMany({
      where: { version: { modelId } },
      include: { version: { select: { version: true } } },
      orderBy: { id: 'desc' },
      take: 200,
    });
    return rows.map((e) => ({
      version: e.version.version,
      from: e.from,
      to: e.to,
      actor: e.actor,
      at: e.at.toISOString(),
      note: e.note,
    }));
  }
}
