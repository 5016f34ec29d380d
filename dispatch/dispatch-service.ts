// Runs planning rounds: on each new predicted order (debounced) and on a schedule for re-planning,
// with the live network as the instance. One round at a time per process; the database transaction of
// each commit keeps concurrent planners in other processes from double-booking.
import type { Clock } from '../common/clock.ts';
import { isAppError } from '../common/errors.ts';
import type { PlatformBus } from '../common/events.ts';
import type { Logger } from '../common/logger.ts';
import { observePlannerRound } from '../common/metrics.ts';
import { lateWeights, toPlanInstance } from './core/network-instance.ts';
import { planDispatch } from './core/planner/index.ts';
import { LATE_WEIGHT_BY_TIER, type PlanPolicy } from './core/policy.ts';
import { roundFacts, roundVerdict } from './core/verdict.ts';
import type { NetworkStore } from './adapters/network-store.ts';
import type { OrderView } from './adapters/order-view.ts';

export interface DispatchOptions {
  network: NetworkStore;
  orders: OrderView;
  bus: PlatformBus;
  clock: Clock;
  log: Logger;
  policy: PlanPolicy;
  replanEveryMs?: number;
  debounceMs?: number;
}

export class DispatchService {
  private running: Promise<void> | undefined;
  private again = false;
  private debounce: NodeJS.Timeout | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  rounds = 0;
  lastRound: { at: Date; orders: number; planned: number; cost: number; gap: number; ms: number } | undefined;

  constructor(private readonly o: DispatchOptions) {}

  start(): void {
    const { bus } = this.o;
    bus.on('order.created', (ref) => {
      void this.publish(ref.orderId);
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.plan(), this.o.debounceMs ?? 250);
    });
    bus.on('order.updated', (ref) => this.publish(ref.orderId));
    bus.on('order.planned', (ref) => this.publish(ref.orderId));
    this.timer = setInterval(() => void this.plan(), this.o.replanEveryMs ?? 60_000);
    this.timer.unref();
  }

  /** No more rounds; a round in flight finishes first (it would otherwise meet a closed database). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.debounce);
    clearInterval(this.timer);
    await this.running;
  }

  private async publish(orderId: string): Promise<void> {
    const view = await this.o.orders.get(orderId);
    if (view) this.o.bus.emit('order.view', view);
  }

  /** One planning round; a request during a round runs one more round after it. */
  plan(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.round()
      .catch((err: unknown) => this.o.log.error({ err }, 'planning round failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.plan();
        }
      });
    return this.running;
  }

  private async round(): Promise<void> {
    const { network, clock, log, policy, bus } = this.o;
    const now = clock.now();
    const snap = await network.snapshot(now);
    if (snap.orders.length === 0) return;
    const instance = toPlanInstance(snap, policy);
    const plan = await planDispatch(instance, {
      timeLimitMs: 5_000,
      lateWeights: lateWeights(snap, LATE_WEIGHT_BY_TIER),
    });
    const facts = roundFacts(
      instance,
      plan.assignments,
      (snap.busyTechnicians ?? []).map((t) => ({ id: t.id, skills: t.skills, on: `#${t.orderNumber}` })),
    );
    const orderOf = new Map(snap.orders.map((o) => [o.id, o]));
    const escalate = (orderId: string, reason: string, lateByMinutes: number | null) => {
      const tenantId = orderOf.get(orderId)?.tenantId ?? '';
      log.warn(
        { order: orderId, lateByMinutes, reason },
        'order escalated: no plan before the expected failure',
      );
      bus.emit('order.escalated', { orderId, tenantId, reason, lateByMinutes });
    };
    let planned = 0;
    for (const a of plan.assignments) {
      const o = orderOf.get(a.order);
      const verdict = o?.expectedFailureAt
        ? roundVerdict(facts, { id: a.order, expectedFailureAt: o.expectedFailureAt }, a)
        : undefined;
      try {
        const res = await network.commit(a, { now, policy, actor: 'planner', verdict });
        planned++;
        if (res.escalated && verdict) escalate(a.order, verdict.reason ?? 'late', verdict.lateByMinutes);
        const tenantId = o?.tenantId ?? (await this.o.orders.get(a.order))?.tenantId ?? '';
        bus.emit('order.planned', { orderId: a.order, tenantId });
      } catch (err) {
        if (!isAppError(err)) throw err;
        log.warn(
          { code: err.code, order: a.order },
          `plan not committed: ${err.message}; the next round re-plans it`,
        );
      }
    }
    for (const id of plan.unplanned) {
      const o = orderOf.get(id);
      if (!o?.expectedFailureAt) continue;
      const reason = roundVerdict(facts, { id, expectedFailureAt: o.expectedFailureAt }).reason ?? '';
      const marked = await network.markUnplanned(id, reason, now);
      if (marked.escalated) escalate(id, reason, null);
      if (marked.changed) bus.emit('order.updated', { orderId: id, tenantId: o.tenantId ?? '' });
    }
    this.rounds++;
    this.lastRound = {
      at: now,
      orders: snap.orders.length,
      planned,
      cost: plan.totalCost,
      gap: plan.gap,
      ms: plan.solveMs,
    };
    observePlannerRound(this.lastRound);
    log.info({ ...this.lastRound, unplanned: plan.unplanned.length }, 'planning round done');
  }
}
