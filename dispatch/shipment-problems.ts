// A late or failed shipment flags its order for re-planning and tells the dispatcher (order.escalated with the
// reason, order.updated for the live board); a lost, damaged or overdue part moves the order to the fastest other
// source and pickup on its own (docs/reverse-logistics.md). Shipments of orders waiting for their parts that are not
// delivered by the time the part is needed are found by a sweep on the platform clock.
import type { Clock } from '../common/clock.ts';
import { isAppError } from '../common/errors.ts';
import type { PlatformBus, ShipmentProblem } from '../common/events.ts';
import type { Logger } from '../common/logger.ts';
import type { PrismaCarrierEvents } from './adapters/carrier-events.ts';
import { pickReplan, replansItself } from './core/carrier.ts';

/** Moving an order's staging: its choices (fastest first) and the dispatcher's restage, done by the platform. */
export interface Restager {
  stagings(
    orderId: string,
    now: Date,
  ): Promise<{ pickup: string; source: string; current: boolean; mode: string }[]>;
  restage(
    orderId: string,
    to: { pickup: string; source: string; inTransit?: boolean },
    actor: string,
  ): Promise<unknown>;
}

export interface ShipmentProblemOptions {
  bus: PlatformBus;
  carriers: PrismaCarrierEvents;
  clock: Clock;
  log: Logger;
  restager?: Restager;
  /** How often to look for overdue shipments; 0: never. */
  sweepEveryMs?: number;
}

export function watchShipmentProblems(o: ShipmentProblemOptions): { sweep(): Promise<number>; stop(): void } {
  const replan = async (p: ShipmentProblem) => {
    if (!o.restager || !replansItself(p)) return;
    const now = o.clock.now();
    const failedSource = await o.carriers.sourceOf(p.shipmentId);
    const to = pickReplan(await o.restager.stagings(p.orderId, now), failedSource);
    if (!to) {
      o.log.warn({ order: p.orderId }, 're-plan: no other source or pickup; left to the dispatcher');
      return;
    }
    try {
      await o.carriers.writeOffInTransit(p.shipmentId, now);
      await o.restager.restage(
        p.orderId,
        { pickup: to.pickup, source: to.source, inTransit: to.mode === 'in-transit' },
        'carrier re-plan',
      );
      o.log.info({ order: p.orderId, pickup: to.pickup, source: to.source, mode: to.mode }, 're-planned');
    } catch (err) {
      if (!isAppError(err)) throw err;
      o.log.warn({ order: p.orderId, code: err.code }, `re-plan not done: ${err.message}`);
    }
  };

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
    await replan(p);
    o.bus.emit('order.updated', { orderId: p.orderId, tenantId: p.tenantId });
  });

  const sweep = async () => {
    const found = await o.carriers.overdue(o.clock.now());
    for (const p of found) o.bus.emit('shipment.problem', p);
    return found.length;
  };
  let running = false;
  const timer =
    o.sweepEveryMs && o.sweepEveryMs > 0
      ? setInterval(() => {
          if (running) return;
          running = true;
          sweep()
            .catch((err: unknown) => o.log.error({ err }, 'overdue shipment sweep failed'))
            .finally(() => (running = false));
        }, o.sweepEveryMs)
      : undefined;
  timer?.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
