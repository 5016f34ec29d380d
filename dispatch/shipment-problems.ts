// A late or failed shipment (shipment.problem, from a carrier's tracking event) flags its order for re-planning
// and tells the dispatcher: order.escalated with the reason, order.updated for the live board.
import type { Clock } from '../common/clock.ts';
import type { PlatformBus } from '../common/events.ts';
import type { Logger } from '../common/logger.ts';
import type { PrismaCarrierEvents } from './adapters/carrier-events.ts';

export function watchShipmentProblems(o: {
  bus: PlatformBus;
  carriers: PrismaCarrierEvents;
  clock: Clock;
  log: Logger;
}): void {
  o.bus.on('shipment.problem', async (p) => {
    const flagged = await o.carriers.flagForReplan(p.orderId, p.reason, o.clock.now());
    if (!flagged) return;
    o.log.warn({ order: p.orderId, shipment: p.shipmentId, kind: p.kind }, `re-plan: ${p.reason}`);
    o.bus.emit('order.escalated', {
      orderId: p.orderId,
      tenantId: p.tenantId,
      reason: `re-plan: ${p.reason}`,
      lateByMinutes: p.minutesLate,
    });
    o.bus.emit('order.updated', { orderId: p.orderId, tenantId: p.tenantId });
  });
}
