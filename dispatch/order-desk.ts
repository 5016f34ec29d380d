// The dispatcher's desk: accept, reassign, restage, cancel and field progress of orders, and the returns of
// completed ones. Each change is one transaction in the stores; afterwards the bus tells everyone
// (order.updated → DispatchService publishes order.view to the live channels; return.authorized;
// prediction.outcome for whoever tracks model quality).
import type { Clock } from '../common/clock.ts';
import type { PlatformBus } from '../common/events.ts';
import type { FieldStatus } from './core/lifecycle.ts';
import type { PlanPolicy } from './core/policy.ts';
import type { RepairFinding } from './core/returns.ts';
import type { ActionResult, FieldReport, OrderActionStore } from './adapters/order-actions.ts';
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

  private ctx(actor: string) {
    return { now: this.o.clock.now(), actor, policy: this.o.policy };
  }

  private changed(r: ActionResult): ActionResult {
    this.o.bus.emit('order.updated', { orderId: r.orderId, tenantId: r.tenantId });
    return r;
  }

  async accept(id: string, actor: string): Promise<ActionResult> {
    return this.changed(await this.o.actions.accept(id, this.ctx(actor)));
  }

  async cancel(id: string, reason: string, actor: string): Promise<ActionResult> {
    return this.changed(await this.o.actions.cancel(id, reason, this.ctx(actor)));
  }

  async reassign(id: string, technician: string, actor: string): Promise<ActionResult> {
    return this.changed(await this.o.actions.reassign(id, technician, this.ctx(actor)));
  }

  async restage(id: string, to: { pickup: string; source?: string }, actor: string): Promise<ActionResult> {
    return this.changed(await this.o.actions.restage(id, to, this.ctx(actor)));
  }

  async advance(id: string, to: FieldStatus, report: FieldReport, actor: string): Promise<ActionResult> {
    const { returns, ...r } = await this.o.actions.advance(id, to, report, this.ctx(actor));
    for (const ref of returns) this.o.bus.emit('return.authorized', ref);
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
