// The schedule board and the previews of moving a booking, read from PostgreSQL: technicians with their shifts,
// the open orders with their plans, and the pickup counters' opening hours (dispatch/core/schedule-board.ts).
import type { Db } from '../../common/db.ts';
import type { Prisma } from '../../prisma/generated/client.ts';
import { AppError } from '../../common/errors.ts';
import type { PlanPolicy } from '../core/policy.ts';
import {
  previewMove,
  type MoveOrder,
  type MovePreview,
  type MoveTechnician,
} from '../core/reassign-preview.ts';
import {
  bookingSegments,
  scheduleBoard,
  type BoardOrder,
  type ScheduleBoard,
} from '../core/schedule-board.ts';
import { ACTIVE_STATUSES } from './network-store.ts';

const OPEN = ['PREDICTED', ...ACTIVE_STATUSES] as const;

const orderInclude = {
  failureMode: { select: { skill: true, repairMinutes: true } },
  asset: { select: { name: true, site: { select: { lat: true, lon: true } } } },
  technician: { select: { code: true } },
  pickupLocation: true,
  shipments: { where: { status: { in: ['PLANNED', 'IN_TRANSIT'] } }, select: { cost: true } },
} satisfies Prisma.ServiceOrderInclude;

const findOpen = (db: Db) =>
  db.serviceOrder.findMany({
    where: { status: { in: [...OPEN] } },
    include: orderInclude,
    orderBy: { number: 'asc' },
  });

type OrderRow = Awaited<ReturnType<typeof findOpen>>[number];

function boardOrder(o: OrderRow): BoardOrder & MoveOrder {
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    assetName: o.asset.name,
    skill: o.failureMode.skill,
    repairMinutes: o.failureMode.repairMinutes,
    technician: o.technician?.code ?? null,
    site: o.asset.site,
    pickup: o.pickupLocation ? { ...o.pickupLocation, id: o.pickupLocation.code } : null,
    partsReadyAt: o.partsReadyAt,
    etaAt: o.etaAt,
    dueBy: o.dueBy,
    expectedFailureAt: o.expectedFailureAt,
    verdictReason: o.verdictReason,
    escalated: o.escalatedAt !== null,
    shipCost: o.shipments.reduce((n, s) => n + s.cost, 0),
  };
}

export class ScheduleReader {
  constructor(
    private readonly db: Db,
    private readonly policy: PlanPolicy,
  ) {}

  private async openOrders(): Promise<(BoardOrder & MoveOrder)[]> {
    return (await findOpen(this.db)).map(boardOrder);
  }

  async board(from: Date, to: Date): Promise<ScheduleBoard> {
    const [technicians, orders, counters] = await Promise.all([
      this.db.technician.findMany({ orderBy: { code: 'asc' } }),
      this.openOrders(),
      this.db.stockLocation.findMany({ where: { kind: 'COUNTER' }, orderBy: { code: 'asc' } }),
    ]);
    return scheduleBoard({ from, to, policy: this.policy, technicians, orders, counters });
  }

  /** What moving the order to `technician` (leaving no earlier than `startAt`) would do; changes nothing. */
  async preview(id: string, technician: string, startAt: Date | undefined, now: Date): Promise<MovePreview> {
    const orders = await this.openOrders();
    const order = orders.find((o) => o.id === id);
    if (!order) {
      const exists = await this.db.serviceOrder.findUnique({ where: { id }, select: { number: true } });
      if (!exists) throw new AppError('NOT_FOUND', 'no such order');
      throw new AppError('DISPATCH_ORDER_CLOSED', `order #${exists.number} is closed`);
    }
    const tech = await this.db.technician.findUnique({ where: { code: technician } });
    if (!tech) throw new AppError('NOT_FOUND', `no technician ${technician}`);
    return previewMove(order, this.withBookings(tech, orders, order.number), startAt, now, this.policy);
  }

  private withBookings(
    tech: Omit<MoveTechnician, 'booked' | 'bookedUntimed'>,
    orders: (BoardOrder & MoveOrder)[],
    except: number,
  ): MoveTechnician {
    const mine = orders.filter((o) => o.technician === tech.code && o.number !== except);
    const booked: MoveTechnician['booked'] = [];
    const bookedUntimed: number[] = [];
    for (const o of mine) {
      const segs = o.etaAt ? bookingSegments({ ...o, etaAt: o.etaAt }, tech, this.policy) : [];
      const first = segs[0];
      const last = segs[segs.length - 1];
      if (first && last) booked.push({ number: o.number, start: first.start, end: last.end });
      else bookedUntimed.push(o.number);
    }
    return { ...tech, booked, bookedUntimed };
  }
}
