// Reads an order's detail: the order and its events (OrderView), its prediction with the model version behind it,
// its reservations, shipments and returns (PostgreSQL), and the watched metric's recent trend, downsampled by the
// TelemetryStore. Who may see what is decided by the caller (dispatch/core/customer-detail.ts).
import type { Clock } from '../../common/clock.ts';
import type { Db } from '../../common/db.ts';
import type { TelemetryStore } from '../../common/telemetry-store.ts';
import {
  planOf,
  trendWindow,
  watchedMetric,
  type MetricTrend,
  type OrderDetail,
  type PredictionDetail,
  type ShipmentDetail,
} from '../core/order-detail.ts';
import type { OrderView } from './order-view.ts';
import { readJobReport } from './job-report-reader.ts';
import { returnTransfer } from './return-store.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export class OrderDetailReader {
  constructor(private readonly deps: { db: Db; orders: OrderView; store: TelemetryStore; clock: Clock }) {}

  async get(id: string): Promise<OrderDetail | undefined> {
    const { db, orders } = this.deps;
    const order = await orders.get(id);
    if (!order) return undefined;
    const [row, timeline] = await Promise.all([
      db.serviceOrder.findUniqueOrThrow({
        where: { id },
        select: {
          closedAt: true,
          asset: { select: { equipmentModel: { select: { metrics: true } } } },
          prediction: {
            include: {
              modelVersion: { include: { model: { select: { key: true, name: true, kind: true } } } },
            },
          },
          reservations: {
            include: { location: { select: { code: true } }, part: { select: { sku: true } } },
            orderBy: { createdAt: 'asc' },
          },
          shipments: {
            include: {
              fromLocation: { select: { code: true } },
              toLocation: { select: { code: true } },
              part: { select: { sku: true } },
            },
            orderBy: { shipAt: 'asc' },
          },
          returns: {
            include: {
              toLocation: { select: { code: true } },
              part: { select: { sku: true } },
              transfer: {
                include: { fromLocation: { select: { code: true } }, toLocation: { select: { code: true } } },
              },
            },
            orderBy: { createdAt: 'asc' },
          },
        },
      }),
      orders.history(id),
    ]);

    let prediction: PredictionDetail | null = null;
    let trend: MetricTrend | null = null;
    const p = row.prediction;
    if (p) {
      const watched = watchedMetric(p.evidence, p.modelVersion.params);
      prediction = {
        raisedAt: p.raisedAt.toISOString(),
        expectedFailureAt: p.expectedFailureAt.toISOString(),
        earliestAt: p.bandEarliestAt.toISOString(),
        latestAt: p.bandLatestAt.toISOString(),
        confidence: p.confidence,
        outcome: p.outcome,
        ...watched,
        model: { ...p.modelVersion.model, version: p.modelVersion.version },
        evidence:
          typeof p.evidence === 'object' && p.evidence !== null && !Array.isArray(p.evidence)
            ? (p.evidence as Record<string, unknown>)
            : null,
      };
      if (watched.metric) {
        const now = this.deps.clock.now();
        const widest = trendWindow(p.raisedAt, row.closedAt, now);
        const [first] = await this.deps.store.range({
          assetId: order.assetId,
          metric: watched.metric,
          from: widest.from,
          to: widest.to,
          limit: 1,
        });
        const w = trendWindow(p.raisedAt, row.closedAt, now, first?.ts);
        const windows = await this.deps.store.aggregate({
          assetId: order.assetId,
          metric: watched.metric,
          from: w.from,
          to: w.to,
          everyMs: w.everyMs,
        });
        trend = {
          metric: watched.metric,
          unit: row.asset.equipmentModel.metrics.find((m) => m.name === watched.metric)?.unit ?? null,
          failureLevel: watched.failureLevel,
          from: w.from.toISOString(),
          to: w.to.toISOString(),
          everySeconds: w.everyMs / 1000,
          points: windows.map((x) => ({ ts: x.ts.toISOString(), value: x.mean, min: x.min, max: x.max })),
        };
      }
    }

    const shipments: ShipmentDetail[] = row.shipments.map((s) => ({
      id: s.id,
      from: s.fromLocation.code,
      to: s.toLocation.code,
      sku: s.part.sku,
      qty: s.qty,
      mode: s.mode,
      status: s.status,
      shipAt: s.shipAt.toISOString(),
      readyAt: s.readyAt.toISOString(),
      tracking: s.trackingState,
      cost: s.cost,
    }));
    return {
      order,
      prediction,
      trend,
      plan: planOf(order, shipments),
      timeline,
      report: await readJobReport(db, id),
      reservations: row.reservations.map((r) => ({
        location: r.location.code,
        sku: r.part.sku,
        qty: r.qty,
        status: r.status,
        at: r.createdAt.toISOString(),
      })),
      shipments,
      returns: row.returns.map((r) => ({
        id: r.id,
        number: r.number,
        sku: r.part.sku,
        qty: r.qty,
        serial: r.serial,
        reason: r.reason,
        to: r.toLocation.code,
        finding: r.finding,
        findingNote: r.findingNote,
        createdAt: r.createdAt.toISOString(),
        receivedAt: iso(r.receivedAt),
        closedAt: iso(r.closedAt),
        routeReason: r.routeReason,
        tracking: r.trackingState,
        transfer: r.transfer ? returnTransfer(r.transfer) : null,
      })),
    };
  }
}
