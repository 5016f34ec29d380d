// Parts planning in the platform (docs/parts-planning.md): the periodic review (nightly at PARTS_REVIEW_AT, before
// the hub's overnight cut-off) and the one on demand build the planner's instance from live data, with demand
// calibrated on history (core/parts-planner/demand.ts), plan it, explain it and propose its transfers; a planner or
// dispatcher approves (or PARTS_AUTO_APPLY applies) it all or nothing. Time comes from the Clock port, so the review
// runs on virtual time in tests and bench:loop (`tick()`).
import type { Clock } from '../common/clock.ts';
import { AppError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { PartsPlanStore, ReviewDetail, StockMap } from './adapters/parts-plan-store.ts';
import { inlineCompute, type PartsCompute } from './adapters/parts-plan-worker.ts';
import type { PartsReviewStore } from './adapters/parts-review-store.ts';
import {
  calibrate,
  DEFAULT_BASE_RATE_PRIOR,
  learnBaseRates,
  learnCalibration,
} from './core/parts-planner/demand.ts';
import type { PartsDemandHistory } from './core/parts-planner/demand.ts';
import { PartsPlanError } from './core/parts-planner/index.ts';
import type { PartsInstance, PartsPlan } from './core/parts-planner/index.ts';
import { summarisePlan } from './core/parts-planner/plan-summary.ts';
import {
  buildPartsReviewInstance,
  DEFAULT_REVIEW_POLICY,
  demandSources,
} from './core/parts-planner/review.ts';
import type { PartsReviewPolicy } from './core/parts-planner/review.ts';
import { nextReviewAt, proposeTransfers } from './core/parts-planner/transfers.ts';
import type { TransferShipping } from './core/parts-planner/transfers.ts';
import { DEFAULT_POLICY } from './core/policy.ts';

export const DEFAULT_TRANSFER_SHIPPING: TransferShipping = {
  roadFactor: DEFAULT_POLICY.travel.roadFactor,
  courier: DEFAULT_POLICY.shipping.courier,
  overnight: DEFAULT_POLICY.shipping.overnight,
  courierWithinDays: 1,
};

export interface PartsPlanningOptions {
  reviews: PartsReviewStore;
  history: PartsDemandHistory;
  plans: PartsPlanStore;
  clock: Clock;
  log: Logger;
  /** "HH:MM" UTC of the nightly review; null: on demand only. */
  reviewAt: string | null;
  autoApply: boolean;
  planMs: number;
  /** Where the search and the scoring run: the platform passes `workerCompute` (off the event loop); default here. */
  compute?: PartsCompute;
  policy?: PartsReviewPolicy;
  shipping?: TransferShipping;
  /** How often the wall-clock timer looks whether a review is due (default 30 s). */
  checkEveryMs?: number;
}

export class PartsPlanning {
  private timer: NodeJS.Timeout | null = null;
  private nextDue: number | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  /** The on-demand review queued and not started yet, if any. */
  private waiting: Promise<ReviewDetail> | null = null;
  reviewsRun = 0;
  lastReviewAt: string | null = null;

  constructor(private readonly o: PartsPlanningOptions) {}

  start(): void {
    this.nextDue = nextReviewAt(this.o.clock.now().getTime(), this.o.reviewAt);
    if (this.nextDue === null) return;
    this.timer = setInterval(() => void this.tick(), this.o.checkEveryMs ?? 30_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Runs the periodic review when it is due on the clock (at most one per due time); returns it, if any. */
  async tick(): Promise<ReviewDetail | null> {
    const now = this.o.clock.now().getTime();
    if (this.nextDue === null) this.nextDue = nextReviewAt(now, this.o.reviewAt);
    if (this.nextDue === null || now < this.nextDue) return null;
    this.nextDue = nextReviewAt(now + 60_000, this.o.reviewAt);
    try {
      return await this.review('SCHEDULED', 'system');
    } catch (err) {
      this.o.log.error({ err }, 'the periodic parts review failed');
      return null;
    }
  }

  /**
   * One review now; reviews run one at a time. A request made while an on-demand review waits for its turn is
   * answered by that review (it will see the same data): a burst of requests, or a double click, queues one
   * review, not one each (each takes PARTS_PLAN_MS and more, and approvals wait behind them).
   */
  review(trigger: 'SCHEDULED' | 'ON_DEMAND', actor: string): Promise<ReviewDetail> {
    if (trigger === 'ON_DEMAND' && this.waiting) return this.waiting;
    const run: Promise<ReviewDetail> = this.chain.then(() => {
      if (this.waiting === run) this.waiting = null;
      return this.runReview(trigger, actor);
    });
    if (trigger === 'ON_DEMAND') this.waiting = run;
    this.chain = run.catch(() => undefined);
    return run;
  }

  approve(id: string, actor: string): Promise<ReviewDetail> {
    const run = this.chain.then(() => this.o.plans.apply(id, actor, this.o.clock.now()));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async runReview(trigger: 'SCHEDULED' | 'ON_DEMAND', actor: string): Promise<ReviewDetail> {
    const { clock, log } = this.o;
    const now = clock.now();
    const started = Date.now();
    const [snapshot, resolved, history] = await Promise.all([
      this.o.reviews.snapshot(now),
      this.o.history.resolvedPredictions(),
      this.o.history.failureModeHistory(now),
    ]);
    const base = this.o.policy ?? DEFAULT_REVIEW_POLICY;
    const calibration = learnCalibration(resolved);
    const prior = {
      ratePerDay: base.defaultBaseRatePerDay,
      strengthDays: DEFAULT_BASE_RATE_PRIOR.strengthDays,
    };
    const policy: PartsReviewPolicy = {
      ...base,
      baseRatePerDay: { ...base.baseRatePerDay, ...learnBaseRates(history, prior) },
    };
    let instance;
    try {
      instance = buildPartsReviewInstance(snapshot, policy, (c) => calibrate(calibration, c));
    } catch (err) {
      if (err instanceof PartsPlanError)
        throw new AppError('PARTS_REVIEW_FAILED', `the live network cannot be planned: ${err.message}`);
      throw err;
    }
    const compute = this.o.compute ?? inlineCompute;
    const result = await compute.plan(instance, { timeLimitMs: this.o.planMs, seed: 1 });
    const sources = demandSources(snapshot, policy);
    // the earliest predicted need behind each location's stock decides courier or overnight
    const earliestNeedDays: StockMap = {};
    for (const l of summarisePlan(instance, result.plan, sources, { scenarios: 1 }).locations)
      for (const r of l.rows)
        for (const a of r.atRisk)
          if (a.source === 'PREDICTION') {
            const row = (earliestNeedDays[l.code] ??= {});
            row[r.sku] = Math.min(row[r.sku] ?? Infinity, a.window[0]);
          }
    const kept = snapshot.locations.filter((l) => l.kind !== 'REPAIR_DEPOT');
    const hub = instance.locations.find((l) => l.kind === 'hub')?.id as string;
    const proposal = proposeTransfers(
      {
        now,
        hub,
        locations: kept.map((l) => ({
          code: l.code,
          kind: l.code === hub ? 'HUB' : l.kind === 'COUNTER' ? 'COUNTER' : 'FSL',
          lat: l.lat,
          lon: l.lon,
        })),
        available: Object.fromEntries(kept.map((l) => [l.code, l.available])),
        inbound: Object.fromEntries(kept.map((l) => [l.code, l.inbound ?? {}])),
        target: result.plan.stock,
        earliestNeedDays,
      },
      this.o.shipping ?? DEFAULT_TRANSFER_SHIPPING,
    );
    // what applying the transfers leaves (the hub neither buys nor disposes: its level is what stays there), scored
    // and explained; the planner's own hub level is kept apart
    const effective = effectivePlan(instance, result.plan, hub, proposal);
    const summary = await compute.summarise(instance, effective, sources);
    const basis: StockMap = Object.fromEntries(kept.map((l) => [l.code, l.available]));
    const review = await this.o.plans.create({
      trigger,
      requestedBy: actor,
      reviewedAt: now,
      horizonDays: policy.horizonDays,
      basis,
      planMs: Date.now() - started,
      summary: {
        ...summary,
        transfers: proposal.transfers.map((t) => ({
          ...t,
          shipAt: t.shipAt.toISOString(),
          etaAt: t.etaAt.toISOString(),
        })),
        shortfall: proposal.shortfall,
        calibration: { resolved: calibration.n, bins: calibration.bins },
        baseRatePerDay: policy.baseRatePerDay,
        hubPlannerTarget: result.plan.stock[hub] ?? {},
        planner: {
          scenarios: result.stats.scenarios,
          validationCost: Math.round(result.stats.validationCost * 100) / 100,
        },
      },
    });
    this.reviewsRun++;
    this.lastReviewAt = now.toISOString();
    log.info(
      {
        review: review.number,
        trigger,
        transfers: proposal.transfers.length,
        cost: summary.plan.total,
        ms: review.planMs,
      },
      'parts review',
    );
    if (!this.o.autoApply) return review;
    try {
      return await this.o.plans.apply(review.id, 'auto-apply', clock.now());
    } catch (err) {
      if (err instanceof AppError && err.code === 'PARTS_PLAN_STALE') {
        log.warn({ review: review.number, reason: err.message }, 'parts plan not auto-applied: stock moved');
        return (await this.o.plans.get(review.id)) ?? review;
      }
      throw err;
    }
  }
}

/** The levels after the proposed transfers: non-hub targets less what the hub lacks; the hub keeps what stays. */
export function effectivePlan(
  instance: PartsInstance,
  plan: PartsPlan,
  hub: string,
  proposal: {
    transfers: { from: string; to: string; sku: string; qty: number }[];
    shortfall: { location: string; sku: string; qty: number }[];
  },
): PartsPlan {
  const stock: StockMap = {};
  for (const l of instance.locations)
    stock[l.id] = l.id === hub ? { ...l.stock } : { ...(plan.stock[l.id] ?? {}) };
  const hubRow = stock[hub] as Record<string, number>;
  for (const t of proposal.transfers) {
    if (t.from === hub) hubRow[t.sku] = (hubRow[t.sku] ?? 0) - t.qty;
    if (t.to === hub) hubRow[t.sku] = (hubRow[t.sku] ?? 0) + t.qty;
  }
  for (const f of proposal.shortfall) {
    const row = stock[f.location] as Record<string, number>;
    row[f.sku] = Math.max(0, (row[f.sku] ?? 0) - f.qty);
  }
  return { stock };
}
