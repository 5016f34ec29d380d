// What a dispatcher can pick when reassigning or restaging one order: technicians (qualified, free, ETA) and
// stock locations with what they have available of the order's part.
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import {
  stagingChoices,
  technicianChoices,
  type StagingChoice,
  type TechnicianChoice,
} from '../core/choices.ts';
import type { PlanPolicy } from '../core/policy.ts';
import { arrivalReadyAt } from '../core/transfer-reservations.ts';
import { ACTIVE_STATUSES } from './network-store.ts';

export interface LocationChoice {
  code: string;
  name: string;
  kind: string;
  /** On hand less reserved of the order's part. */
  available: number;
  /** The order is staged (pickup) or reserved (source) here now. */
  pickup: boolean;
  source: boolean;
}

export interface OrderChoicesView {
  sku: string;
  qty: number;
  expectedFailureAt: string;
  technicians: TechnicianChoice[];
  locations: LocationChoice[];
  /** Every way to re-stage the part for the current technician, with its ETA, cost and verdict, fastest first. */
  stagings: StagingChoice[];
}

export class OrderChoices {
  constructor(
    private readonly db: Db,
    private readonly policy: PlanPolicy,
  ) {}

  async get(id: string, now: Date): Promise<OrderChoicesView> {
    const o = await this.db.serviceOrder.findUnique({
      where: { id },
      include: {
        failureMode: { include: { part: true } },
        asset: { include: { site: true } },
        technician: true,
        pickupLocation: true,
        sourceLocation: { select: { code: true } },
        shipments: { where: { status: { in: ['PLANNED', 'IN_TRANSIT'] } }, select: { cost: true } },
      },
    });
    if (!o) throw new AppError('NOT_FOUND', 'no such order');
    const [technicians, locations, transfers] = await Promise.all([
      this.db.technician.findMany({
        include: {
          orders: { where: { status: { in: [...ACTIVE_STATUSES] } }, select: { number: true }, take: 1 },
        },
        orderBy: { code: 'asc' },
      }),
      this.db.stockLocation.findMany({
        include: { stock: { where: { partId: o.failureMode.partId } } },
        orderBy: { code: 'asc' },
      }),
      // units of the part on their way by stock transfer, less what orders hold of them (restage: in-transit)
      this.db.stockTransfer.findMany({
        where: { status: 'IN_TRANSIT', partId: o.failureMode.partId },
        select: {
          id: true,
          toLocationId: true,
          qty: true,
          etaAt: true,
          trackingState: true,
          reservations: { where: { status: 'HELD' }, select: { qty: true } },
        },
      }),
    ]);
    const inTransitTo = (locationId: string) =>
      transfers
        .filter((t) => t.toLocationId === locationId)
        .map((t) => ({ ...t, reserved: t.reservations.reduce((n, r) => n + r.qty, 0) }));
    const order = {
      number: o.number,
      technician: o.technician?.code ?? null,
      skill: o.failureMode.skill,
      site: o.asset.site,
      dueBy: o.dueBy,
      pickup: o.pickupLocation ? { ...o.pickupLocation, id: o.pickupLocation.code } : null,
      partsReadyAt: o.partsReadyAt,
      expectedFailureAt: o.expectedFailureAt,
      shipCost: o.shipments.reduce((n, s) => n + s.cost, 0),
    };
    const qty = o.failureMode.partQty;
    return {
      sku: o.failureMode.part.sku,
      qty,
      expectedFailureAt: o.expectedFailureAt.toISOString(),
      stagings: stagingChoices(
        { ...order, qty, sourceCode: o.sourceLocation?.code ?? null },
        o.technician,
        locations.map((l) => ({
          ...l,
          id: l.code,
          available: l.stock.reduce((n, s) => n + s.onHand - s.reserved, 0),
          arriving: arrivalReadyAt(inTransitTo(l.id), qty),
        })),
        now,
        this.policy,
      ),
      technicians: technicianChoices(
        order,
        technicians.map((t) => ({ ...t, bookedOn: t.orders[0]?.number ?? null })),
        now,
        this.policy,
      ),
      locations: locations.map((l) => ({
        code: l.code,
        name: l.name,
        kind: l.kind,
        available: l.stock.reduce((n, s) => n + s.onHand - s.reserved, 0),
        pickup: l.id === o.pickupLocationId,
        source: l.id === o.sourceLocationId,
      })),
    };
  }
}
