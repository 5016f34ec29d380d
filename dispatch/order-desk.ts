// The dispatcher's desk: accept, reassign, restage, cancel and field progress of orders, and the returns of
// completed ones. Each change is one transaction in the stores; afterwards the bus tells everyone
// (order.updated → DispatchService publishes order.view to the live channels; order.closed when a job is
// completed or cancelled, so predict starts the pair afresh; order.eta-changed when a reassign or re-stage moves
// the ETA; order.en-route when the technician leaves; return.authorized; prediction.outcome for whoever tracks
// model quality).
import type { Clock } from '../common/clock.ts';
import type { PlatformBus } from '../common/events.ts';
import type { FieldStatus } from './core/lifecycle.ts';
import { snoozeUntil, type CancelReason, type FlaggedOrder } from './core/order-closure.ts';
import type { PlanPolicy } from './core/policy.ts';
import type { RepairFinding } from './core/returns.ts';
import type { ActionContext, ActionResult, FieldReport, OrderActionStore } from './adapters/order-actions.ts';
import type { ReturnStore, ReturnView } from './adapters/return-store.ts';

export interface OrderDeskOptions {
  actions: OrderActionStore;
  returns: ReturnStore;
  bus: PlatformBus;
  clock: Clock;
  policy: PlanPolicy;
}

export class OrderDesk {
  constructor(private readonly o: OrderDeskOptions) {}

  private ctx(actor: string): ActionContext {
    return { now: this.o.clock.now(), actor, policy: this.o.policy };
  }

  private closed(r: ActionResult, at: Date, c?: { reason: CancelReason; snoozeUntil?: Date }): void {
    if (r.status !== 'COMPLETED' && r.status !== 'CANCELLED') return;
    this.o.bus.emit('order.closed', {
      orderId: r.orderId,
      tenantId: r.tenantId,
      assetId: r.assetId,
      failureModeId: r.failureModeId,
      status: r.status,
      at,
      ...(c ? { cancelReason: c.reason } : {}),
      ...(c?.snoozeUntil ? { snoozeUntil: c.snoozeUntil } : {}),
    });
  }

  private changed(r: ActionResult): ActionResult {
    this.o.bus.emit('order.updated', { orderId: r.orderId, tenantId: r.tenantId });
    if (r.eta && r.eta.from?.getTime() !== r.eta.to.getTime())
      this.o.bus.emit('order.eta-changed', {
        orderId: r.orderId,
        tenantId: r.tenantId,
        etaAt: r.eta.to,
        previousEtaAt: r.eta.from,
      });
    return r;
  }

  async accept(id: string, actor: string): Promise<ActionResult> {
    return this.changed(await this.o.actions.accept(id, this.ctx(actor)));
  }

  /**
   * Cancels with a reason; `snoozeHours` (0-720) keeps predict from raising a new order for the asset and
   * failure mode that long. `onlyIf` is checked on the locked order (the platform's risk-cleared release).
   */
  async cancel(
    id: string,
    c: { reason: CancelReason; note?: string; snoozeHours?: number; onlyIf?: (o: FlaggedOrder) => boolean },
    actor: string,
  ): Promise<ActionResult> {
    const ctx = this.ctx(actor);
    const until = snoozeUntil(ctx.now, c.snoozeHours);
    const r = await this.o.actions.cancel(
      id,
      { reason: c.reason, note: c.note, snoozeUntil: until, onlyIf: c.onlyIf },
      ctx,
    );
    this.closed(r, ctx.now, { reason: c.reason, snoozeUntil: until });
    return this.changed(r);
  }

  /** `startAt`: the technician leaves no earlier (a booking moved to a later time on the schedule board). */
  async reassign(id: string, technician: string, actor: string, startAt?: Date): Promise<ActionResult> {
    return this.changed(await this.o.actions.reassign(id, technician, this.ctx(actor), startAt));
  }

  async restage(
    id: string,
    to: { pickup: string; source?: string; inTransit?: boolean },
    actor: string,
  ): Promise<ActionResult> {
    return this.changed(await this.o.actions.restage(id, to, this.ctx(actor)));
  }

  async advance(id: string, to: FieldStatus, report: FieldReport, actor: string): Promise<ActionResult> {
    const ctx = this.ctx(actor);
    const { returns, ...r } = await this.o.actions.advance(id, to, report, ctx);
    for (const ref of returns) this.o.bus.emit('return.authorized', ref);
    this.closed(r, ctx.now);
    if (r.status === 'TECHNICIAN_EN_ROUTE')
      this.o.bus.emit('order.en-route', { orderId: r.orderId, tenantId: r.tenantId, at: ctx.now });
    return this.changed(r);
  }

  receiveReturn(id: string, actor: string): Promise<ReturnView> {
    return this.o.returns.receive(id, this.ctx(actor));
  }

  async recordFinding(
    id: string,
    f: { finding: RepairFinding; note?: string },
    actor: string,
  ): Promise<ReturnView> {
    const { view, outcome } = await this.o.returns.recordFinding(id, f, this.ctx(actor));
    if (outcome) this.o.bus.emit('prediction.outcome', outcome);
    return view;
  }
}
