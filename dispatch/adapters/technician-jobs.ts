// A technician's jobs as his phone shows them: the order, where to collect the part (with the counter's opening
// hours), the staged parts, where the site is and how to get there, his report and photos. Only orders assigned
// to his technician record are ever read.
import type { Db, Prisma } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { stepOf, waitingFor, type TechnicianStep } from '../core/field-steps.ts';
import { nextStatus, type OrderStatus } from '../core/lifecycle.ts';
import { navigation, openingHours, type Point } from '../core/navigation.ts';
import { stateOf } from './order-tx.ts';

export interface Link {
  geo: string;
  osm: string;
}

export interface Job {
  orderId: string;
  number: number;
  status: OrderStatus;
  nextStep: TechnicianStep | null;
  waitingFor: string | null;
  etaAt: string | null;
  partsReadyAt: string | null;
  expectedFailureAt: string;
  slaTier: string;
  failureMode: string;
  customer: string;
  asset: { id: string; name: string; serial: string };
  site: { name: string; lat: number; lon: number };
  pickup: {
    code: string;
    name: string;
    kind: string;
    lat: number;
    lon: number;
    openUtc: string | null;
    closeUtc: string | null;
    hours: string;
  } | null;
  parts: { sku: string; name: string; qty: number; at: string; status: string }[];
  navigation: { pickup: Link | null; site: Link };
  report: {
    removedSerial: string;
    note: string | null;
    flagged: boolean;
    reportedAt: string;
    fitted: { sku: string; name: string; qty: number; staged: number }[];
  } | null;
  photos: { id: string; contentType: string; size: number; uploadedAt: string }[];
}

export interface TechnicianRef {
  id: string;
  code: string;
  name: string;
}

const include = {
  tenant: { select: { name: true } },
  asset: { select: { id: true, name: true, serial: true, site: true } },
  failureMode: { select: { name: true } },
  pickupLocation: true,
  technician: { select: { lat: true, lon: true } },
  reservations: {
    where: { status: { in: ['HELD' as const, 'CONSUMED' as const] } },
    include: { part: { select: { sku: true, name: true } }, location: { select: { code: true } } },
  },
  report: { include: { fitted: { include: { part: { select: { sku: true, name: true } } } } } },
  photos: {
    select: { id: true, contentType: true, size: true, uploadedAt: true },
    orderBy: { uploadedAt: 'asc' as const },
  },
} satisfies Prisma.ServiceOrderInclude;

type Row = Prisma.ServiceOrderGetPayload<{ include: typeof include }>;

/** Statuses of a job the technician has in hand (planned for him, not yet done). */
export const OPEN_JOB_STATUSES = [
  'PLANNED',
  'PARTS_IN_TRANSIT',
  'PARTS_STAGED',
  'TECHNICIAN_EN_ROUTE',
  'ON_SITE',
] as const satisfies readonly OrderStatus[];

function toJob(o: Row): Job {
  const state = stateOf(o);
  const next = nextStatus(state);
  const site: Point = o.asset.site;
  const from: Point = o.technician ?? site;
  const p = o.pickupLocation;
  return {
    orderId: o.id,
    number: o.number,
    status: o.status,
    nextStep: stepOf(next),
    waitingFor: waitingFor(o.status, state.accepted, next),
    etaAt: o.etaAt?.toISOString() ?? null,
    partsReadyAt: o.partsReadyAt?.toISOString() ?? null,
    expectedFailureAt: o.expectedFailureAt.toISOString(),
    slaTier: o.slaTier,
    failureMode: o.failureMode.name,
    customer: o.tenant.name,
    asset: { id: o.asset.id, name: o.asset.name, serial: o.asset.serial },
    site: { name: o.asset.site.name, lat: site.lat, lon: site.lon },
    pickup: p
      ? {
          code: p.code,
          name: p.name,
          kind: p.kind,
          lat: p.lat,
          lon: p.lon,
          openUtc: p.openUtc,
          closeUtc: p.closeUtc,
          hours: openingHours(p.openUtc, p.closeUtc),
        }
      : null,
    parts: o.reservations.map((r) => ({
      sku: r.part.sku,
      name: r.part.name,
      qty: r.qty,
      at: r.location.code,
      status: r.status,
    })),
    navigation: {
      pickup: p ? navigation(from, p) : null,
      site: navigation(p && o.status !== 'ON_SITE' ? p : from, site),
    },
    report: o.report
      ? {
          removedSerial: o.report.removedSerial,
          note: o.report.note,
          flagged: o.report.flagged,
          reportedAt: o.report.reportedAt.toISOString(),
          fitted: o.report.fitted.map((f) => ({
            sku: f.part.sku,
            name: f.part.name,
            qty: f.qty,
            staged: f.staged,
          })),
        }
      : null,
    photos: o.photos.map((ph) => ({ ...ph, uploadedAt: ph.uploadedAt.toISOString() })),
  };
}

export class TechnicianJobs {
  constructor(private readonly db: Db) {}

  /** The technician linked to a TECHNICIAN account; TECHNICIAN_NOT_LINKED when there is none. */
  async technicianOf(userId: string): Promise<TechnicianRef> {
    const u = await this.db.user.findUnique({
      where: { id: userId },
      select: { technician: { select: { id: true, code: true, name: true } } },
    });
    if (!u?.technician)
      throw new AppError(
        'TECHNICIAN_NOT_LINKED',
        'this account is linked to no technician: ask an administrator',
      );
    return u.technician;
  }

  /**
   * The jobs of a day in the order he works them (by ETA): open jobs due that day — on today also those left
   * over from before — and the jobs he completed that day.
   */
  async day(technicianId: string, day: { start: Date; end: Date }, today: boolean): Promise<Job[]> {
    const rows = await this.db.serviceOrder.findMany({
      where: {
        technicianId,
        OR: [
          {
            status: { in: [...OPEN_JOB_STATUSES] },
            etaAt: { lt: day.end, ...(today ? {} : { gte: day.start }) },
          },
          { status: 'COMPLETED', closedAt: { gte: day.start, lt: day.end } },
        ],
      },
      include,
      orderBy: [{ etaAt: 'asc' }, { number: 'asc' }],
    });
    return rows.map(toJob);
  }

  /** When his next open job after the day is due, if any (the phone offers to go there). */
  async nextAfter(technicianId: string, end: Date): Promise<Date | null> {
    const o = await this.db.serviceOrder.findFirst({
      where: { technicianId, status: { in: [...OPEN_JOB_STATUSES] }, etaAt: { gte: end } },
      orderBy: { etaAt: 'asc' },
      select: { etaAt: true },
    });
    return o?.etaAt ?? null;
  }

  /** One of his jobs; NOT_FOUND when there is none or it is someone else's (no hint which). */
  async get(technicianId: string, orderId: string): Promise<Job> {
    const o = await this.db.serviceOrder.findFirst({ where: { id: orderId, technicianId }, include });
    if (!o) throw new AppError('NOT_FOUND', 'no such job');
    return toJob(o);
  }
}
