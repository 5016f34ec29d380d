// Newer predictions put an open order's failure sooner (order.forecast-advanced, from predict): an order waiting
// for a plan gets one against its new due-by in the next round (started now); a planned one keeps its plan when its
// technician still arrives by the new due-by, else moves to the way that is on time and arrives first (another
// technician, or the part staged elsewhere: core/forecast-replan.ts), and when the plan ends up after the expected
// failure it is marked late and the dispatcher is told (order.escalated), as a plan made late is.
import type { Clock } from '../common/clock.ts';
import { isAppError } from '../common/errors.ts';
import type { OrderForecastAdvanced, PlatformBus } from '../common/events.ts';
import type { Logger } from '../common/logger.ts';
import type { OrderChoicesView } from './adapters/order-choices.ts';
import {
  type ForecastReplan,
  keepOrEscalate,
  pickForecastReplan,
  replanWithoutChoices,
} from './core/forecast-replan.ts';

export interface ForecastReplanPorts {
  bus: PlatformBus;
  clock: Clock;
  log: Logger;
  state(
    orderId: string,
  ): Promise<{ status: string; etaAt: Date | null; dueBy: Date; expectedFailureAt: Date } | null>;
  choices(orderId: string, now: Date): Promise<Pick<OrderChoicesView, 'technicians' | 'stagings'>>;
  reassign(orderId: string, technician: string, actor: string): Promise<unknown>;
  restage(
    orderId: string,
    to: { pickup: string; source: string; inTransit?: boolean },
    actor: string,
  ): Promise<unknown>;
  markLate(
    orderId: string,
    reason: string,
    lateByMinutes: number | null,
    now: Date,
  ): Promise<{ changed: boolean; escalated: boolean }>;
  /** Starts a planning round (orders still waiting for a plan). */
  plan(): void;
}

const ACTOR = 'forecast re-plan';

export function watchForecastAdvances(o: ForecastReplanPorts): {
  handle(e: OrderForecastAdvanced): Promise<void>;
} {
  const handle = async (e: OrderForecastAdvanced) => {
    const order = await o.state(e.orderId);
    if (!order) return;
    if (order.status === 'PREDICTED') return o.plan();
    const now = o.clock.now();
    // an order whose plan holds, or whose technician is on the road or on site, needs no choices loaded
    let pick: ForecastReplan | null = replanWithoutChoices(order);
    if (!pick) {
      const { technicians, stagings } = await o.choices(e.orderId, now);
      pick = pickForecastReplan({ ...order, technicians, stagings });
    }
    const log = o.log.child({ order: e.orderId });
    try {
      if (pick.kind === 'reassign') {
        await o.reassign(e.orderId, pick.technician, ACTOR);
        log.info({ technician: pick.technician, etaAt: pick.etaAt }, 'failure expected sooner: reassigned');
        return;
      }
      if (pick.kind === 'restage') {
        const { pickup, source, inTransit } = pick;
        await o.restage(e.orderId, { pickup, source, inTransit }, ACTOR);
        log.info({ pickup, source, etaAt: pick.etaAt }, 'failure expected sooner: re-staged');
        return;
      }
    } catch (err) {
      if (!isAppError(err)) throw err;
      log.warn({ code: err.code }, `forecast re-plan not done: ${err.message}`);
      pick = keepOrEscalate(order);
    }
    if (pick.kind !== 'escalate') return;
    const late = pick.lateByMinutes;
    const reason = `failure now expected ${e.expectedFailureAt.toISOString()}: no technician or staging reaches the site before it`;
    const marked = await o.markLate(e.orderId, reason, late, now);
    if (marked.escalated) {
      log.warn(
        { lateByMinutes: late },
        'order escalated: the failure is now expected before the plan arrives',
      );
      o.bus.emit('order.escalated', {
        orderId: e.orderId,
        tenantId: e.tenantId,
        reason,
        lateByMinutes: late,
      });
    }
    if (marked.changed) o.bus.emit('order.updated', { orderId: e.orderId, tenantId: e.tenantId });
  };
  o.bus.on('order.forecast-advanced', (e) =>
    handle(e).catch((err: unknown) => o.log.error({ err, order: e.orderId }, 'forecast re-plan failed')),
  );
  return { handle };
}
