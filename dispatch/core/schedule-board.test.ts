import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './policy.ts';
import { previewMove, type MoveOrder, type MoveTechnician } from './reassign-preview.ts';
import {
  AWAITING_ROUND,
  bookingConflicts,
  bookingSegments,
  dailyWindows,
  scheduleBoard,
  type BoardOrder,
  type BoardTechnician,
} from './schedule-board.ts';

const at = (iso: string) => new Date(iso);
const FROM = at('2026-12-03T00:00:00Z');
const TO = at('2026-12-06T00:00:00Z');
// 70 km/h, road factor 1.3: 0.5385° of longitude on the equator is 60 km by air, 78 km by road ≈ 66.9 min
const PICKUP = {
  id: 'CTR-1',
  name: 'Counter 1',
  kind: 'COUNTER' as const,
  lat: 0,
  lon: 0.5385,
  openUtc: '08:00',
  closeUtc: '18:00',
};

const tech = (code: string, patch: Partial<BoardTechnician> = {}): BoardTechnician => ({
  code,
  name: `Tech ${code}`,
  skills: ['chiller'],
  shiftStartUtc: '00:00',
  shiftEndUtc: '23:59',
  lat: 0,
  lon: 0,
  ...patch,
});

const order = (n: number, patch: Partial<BoardOrder> = {}): BoardOrder => ({
  id: `o${n}`,
  number: n,
  status: 'PLANNED',
  assetName: `Chiller ${n}`,
  skill: 'chiller',
  repairMinutes: 90,
  technician: 'T-1',
  site: { lat: 0, lon: 1.077 },
  pickup: PICKUP,
  etaAt: at('2026-12-03T12:00:00Z'),
  expectedFailureAt: at('2026-12-04T00:00:00Z'),
  verdictReason: null,
  escalated: false,
  ...patch,
});

describe('dailyWindows', () => {
  it('lays a day shift on every day of the range and runs a night shift past midnight', () => {
    const day = dailyWindows('08:00', '17:00', FROM, at('2026-12-04T23:00:00Z'));
    expect(day.map((w) => w.start.toISOString())).toEqual([
      '2026-12-03T08:00:00.000Z',
      '2026-12-04T08:00:00.000Z',
    ]);
    const night = dailyWindows('22:00', '06:00', FROM, at('2026-12-03T12:00:00Z'));
    expect(night[0]).toEqual({ start: at('2026-12-02T22:00:00Z'), end: at('2026-12-03T06:00:00Z') });
  });

  it('merges a 00:00–23:59 shift into one window around the clock', () => {
    const w = dailyWindows('00:00', '23:59', FROM, TO);
    expect(w).toHaveLength(1);
    expect(w[0]!.start <= FROM && w[0]!.end >= TO).toBe(true);
  });
});

describe('bookingSegments', () => {
  it('times the drive to the pickup, the collection, the drive to the site and the repair back from the ETA', () => {
    const segs = bookingSegments(order(1) as BoardOrder & { etaAt: Date }, tech('T-1'), DEFAULT_POLICY);
    expect(segs.map((s) => s.kind)).toEqual(['travel', 'collect', 'travel', 'onsite']);
    const [toPickup, collect, toSite, onsite] = segs;
    expect(toSite!.end).toEqual(at('2026-12-03T12:00:00Z'));
    expect(onsite!.end).toEqual(at('2026-12-03T13:30:00Z'));
    const minutes = (s: { start: Date; end: Date }) => (s.end.getTime() - s.start.getTime()) / 60_000;
    expect(minutes(toSite!)).toBeCloseTo(66.9, 0);
    expect(minutes(toPickup!)).toBeCloseTo(66.9, 0);
    expect(collect!.start).toEqual(toSite!.start);
    expect(collect!.place).toBe('CTR-1');
  });

  it('has only the repair when the order has no pickup', () => {
    const segs = bookingSegments(
      { ...order(1), pickup: null, etaAt: at('2026-12-03T12:00:00Z') },
      tech('T-1'),
      DEFAULT_POLICY,
    );
    expect(segs.map((s) => s.kind)).toEqual(['onsite']);
  });
});

describe('bookingConflicts', () => {
  const b = {
    number: 1,
    skill: 'chiller',
    start: at('2026-12-03T16:00:00Z'),
    end: at('2026-12-03T19:00:00Z'),
  };

  it('flags a missing skill, a booking past the shift and an overlap with another booking', () => {
    const t = tech('T-1', { skills: ['pump'], shiftStartUtc: '08:00', shiftEndUtc: '18:00' });
    const other = { number: 2, start: at('2026-12-03T18:30:00Z'), end: at('2026-12-03T20:00:00Z') };
    expect(bookingConflicts(b, t, [b, other]).map((c) => c.code)).toEqual([
      'SKILL_MISMATCH',
      'OUTSIDE_SHIFT',
      'OVERLAP',
    ]);
  });

  it('finds none for a booking inside the shift, alone and with the skill', () => {
    const t = tech('T-1', { shiftStartUtc: '08:00', shiftEndUtc: '20:00' });
    const later = { number: 2, start: at('2026-12-03T19:00:00Z'), end: at('2026-12-03T20:00:00Z') };
    expect(bookingConflicts(b, t, [b, later])).toEqual([]);
  });
});

describe('scheduleBoard', () => {
  it('puts bookings on their rows, flags late ones with the reason and lists unbooked orders with theirs', () => {
    const board = scheduleBoard({
      from: FROM,
      to: TO,
      policy: DEFAULT_POLICY,
      technicians: [tech('T-1'), tech('T-2')],
      orders: [
        order(1),
        order(2, {
          technician: 'T-2',
          expectedFailureAt: at('2026-12-03T11:00:00Z'),
          verdictReason: 'the counter opens at 08:00 UTC',
          escalated: true,
        }),
        order(3, { technician: null, etaAt: null, status: 'PREDICTED' }),
        order(4, {
          technician: null,
          etaAt: null,
          status: 'PREDICTED',
          verdictReason: 'no qualified technician is free',
        }),
      ],
      counters: [{ code: 'CTR-1', name: 'Counter 1', openUtc: '08:00', closeUtc: '18:00' }],
    });
    expect(board.technicians.map((t) => t.bookings.map((b) => b.number))).toEqual([[1], [2]]);
    const late = board.technicians[1]!.bookings[0]!;
    expect(late).toMatchObject({ late: true, lateByMinutes: 60, reason: 'the counter opens at 08:00 UTC' });
    expect(board.technicians[0]!.bookings[0]!.late).toBe(false);
    expect(board.unbooked.map((u) => [u.number, u.reason])).toEqual([
      [3, AWAITING_ROUND],
      [4, 'no qualified technician is free'],
    ]);
    expect(board.counters[0]!.openings).toHaveLength(3);
    expect(board.counts).toEqual({ bookings: 2, conflicts: 0, late: 1, unbooked: 2 });
  });

  it('flags both of two overlapping bookings of one technician and leaves out bookings outside the range', () => {
    const board = scheduleBoard({
      from: FROM,
      to: TO,
      policy: DEFAULT_POLICY,
      technicians: [tech('T-1')],
      orders: [
        order(1),
        order(2, { etaAt: at('2026-12-03T12:30:00Z') }),
        order(3, { etaAt: at('2026-12-09T12:00:00Z') }),
      ],
      counters: [],
    });
    const bookings = board.technicians[0]!.bookings;
    expect(bookings.map((b) => b.number)).toEqual([1, 2]);
    expect(bookings.map((b) => b.conflicts.map((c) => c.code))).toEqual([['OVERLAP'], ['OVERLAP']]);
    expect(board.counts.conflicts).toBe(2);
  });
});

describe('previewMove', () => {
  const NOW = at('2026-12-03T09:00:00Z');
  const moving: MoveOrder = {
    number: 7,
    technician: 'T-1',
    skill: 'chiller',
    repairMinutes: 90,
    site: { lat: 0, lon: 1.077 },
    dueBy: at('2026-12-03T20:00:00Z'),
    expectedFailureAt: at('2026-12-03T21:00:00Z'),
    pickup: PICKUP,
    partsReadyAt: NOW,
    shipCost: 0,
  };
  const to = (patch: Partial<MoveTechnician> = {}): MoveTechnician => ({
    ...tech('T-2'),
    availableFrom: NOW,
    booked: [],
    bookedUntimed: [],
    ...patch,
  });

  it('previews the ETA, cost and verdict of leaving now, and of leaving at a later dropped time', () => {
    const now = previewMove(moving, to(), undefined, NOW, DEFAULT_POLICY);
    // 66.9 min to the counter, 66.9 min on to the site
    const minutes = (Date.parse(now.etaAt!) - NOW.getTime()) / 60_000;
    expect(minutes > 130 && minutes < 137).toBe(true);
    expect(now).toMatchObject({ onTime: true, lateByMinutes: 0, refusal: null, conflicts: [] });
    expect(now.cost).toBeGreaterThan(0);
    const later = previewMove(moving, to(), at('2026-12-03T19:00:00Z'), NOW, DEFAULT_POLICY);
    // the counter closes at 18:00: the part is collected at 08:00 the next day, after the expected failure
    expect(later.etaAt! > '2026-12-04T08:00').toBe(true);
    expect(later.onTime).toBe(false);
    expect(later.lateByMinutes).toBeGreaterThan(600);
  });

  it('names what a confirm would be refused with: skill, another booking, the shift, the same slot', () => {
    expect(previewMove(moving, to({ skills: ['pump'] }), undefined, NOW, DEFAULT_POLICY).refusal?.code).toBe(
      'DISPATCH_NO_QUALIFIED_TECHNICIAN',
    );
    expect(
      previewMove(moving, to({ bookedUntimed: [9] }), undefined, NOW, DEFAULT_POLICY).refusal?.code,
    ).toBe('DISPATCH_TECHNICIAN_BUSY');
    const shift = to({ shiftStartUtc: '06:00', shiftEndUtc: '10:00' });
    expect(previewMove(moving, shift, undefined, NOW, DEFAULT_POLICY).refusal?.code).toBe(
      'DISPATCH_SLOT_CONFLICT',
    );
    expect(previewMove(moving, to({ code: 'T-1' }), undefined, NOW, DEFAULT_POLICY).refusal?.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      previewMove(moving, to({ code: 'T-1' }), at('2026-12-03T10:00:00Z'), NOW, DEFAULT_POLICY).refusal,
    ).toBeNull();
  });
});
