// Scrape hooks of the platform process: orders by status (one GROUP BY on an indexed column, at most every 5 s)
// and each component's health as /api/health reports it.
import type { Db } from './db.ts';
import type { HealthRegistry } from './health.ts';
import { dispatchMetrics, healthMetrics, onScrape, useMetrics } from './metrics.ts';
import { OrderStatus } from '../prisma/generated/enums.ts';

const STATUSES = ['up', 'degraded', 'down'] as const;
const ORDERS_EVERY_MS = 5_000;

/** Registers the hooks; returns the function that removes them. */
export function installPlatformMetrics(db: Db, health: HealthRegistry): () => void {
  useMetrics('dispatch', 'live');
  dispatchMetrics.plannerGap.set(NaN); // no round yet: no gap to report
  let ordersAt = 0;
  const offOrders = onScrape(async () => {
    if (Date.now() - ordersAt < ORDERS_EVERY_MS) return;
    const groups = await db.serviceOrder.groupBy({ by: ['status'], _count: { _all: true } });
    ordersAt = Date.now();
    const counts = new Map(groups.map((g) => [g.status as string, g._count._all]));
    for (const status of Object.values(OrderStatus))
      dispatchMetrics.orders.set({ status }, counts.get(status) ?? 0);
  });
  const offHealth = onScrape(() => observeHealth(health));
  return () => {
    offOrders();
    offHealth();
  };
}

/** Sets preempt_health_component_status from a health report (also used by ingest workers). */
export async function observeHealth(health: HealthRegistry): Promise<void> {
  const report = await health.report();
  for (const [component, c] of Object.entries(report.components))
    for (const status of STATUSES)
      healthMetrics.component.set({ component, status }, c.status === status ? 1 : 0);
}
