import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES } from './lifecycle.ts';
import {
  cancelNote,
  customerStatus,
  MAX_SNOOZE_HOURS,
  RELEASABLE_STATUSES,
  releaseDue,
  snoozeUntil,
  type RiskClearedPolicy,
} from './order-closure.ts';

const now = new Date('2026-05-01T12:00:00Z');
const MIN = 60_000;
const release: RiskClearedPolicy = { mode: 'release', graceMinutes: 60 };

describe('cancel reasons and snooze', () => {
  it('snoozes for the hours asked, none for 0, and refuses more than 30 days', () => {
    expect(snoozeUntil(now, undefined)).toBeUndefined();
    expect(snoozeUntil(now, 0)).toBeUndefined();
    expect(snoozeUntil(now, 24)).toEqual(new Date('2026-05-02T12:00:00Z'));
    expect(() => snoozeUntil(now, MAX_SNOOZE_HOURS + 1)).toThrow(RangeError);
  });

  it('writes the reason, the note and the snooze into the history note', () => {
    expect(cancelNote({ reason: 'FALSE_ALARM' })).toBe('false alarm');
    expect(cancelNote({ reason: 'CUSTOMER_DECLINED', note: ' plant shut for a week ' })).toBe(
      'customer declined: plant shut for a week',
    );
    expect(cancelNote({ reason: 'OTHER', snoozeUntil: new Date('2026-05-02T12:00:00Z') })).toBe(
      'other; no new order for this failure mode before 2026-05-02T12:00:00.000Z',
    );
  });
});

describe('risk-cleared policy', () => {
  const flagged = (status: (typeof ORDER_STATUSES)[number], minutesAgo: number) => ({
    status,
    riskCleared: true,
    riskClearedAt: new Date(now.getTime() - minutesAgo * MIN),
  });

  it('releases a flagged order once the grace has passed, not before', () => {
    expect(releaseDue(flagged('PLANNED', 59), release, now)).toBe(false);
    expect(releaseDue(flagged('PLANNED', 60), release, now)).toBe(true);
    expect(releaseDue(flagged('PLANNED', 0), { mode: 'release', graceMinutes: 0 }, now)).toBe(true);
  });

  it('never releases under confirm, an unflagged order, or one whose technician has left', () => {
    expect(releaseDue(flagged('PLANNED', 600), { mode: 'confirm', graceMinutes: 60 }, now)).toBe(false);
    expect(releaseDue({ ...flagged('PLANNED', 600), riskCleared: false }, release, now)).toBe(false);
    expect(releaseDue({ ...flagged('PLANNED', 600), riskClearedAt: null }, release, now)).toBe(false);
    const released = ORDER_STATUSES.filter((s) => releaseDue(flagged(s, 600), release, now));
    expect(released).toEqual([...RELEASABLE_STATUSES]);
    expect(released).toEqual(['PREDICTED', 'PLANNED', 'PARTS_IN_TRANSIT', 'PARTS_STAGED']);
  });

  it('shows the customer a flagged order as under review and a release as cancelled, risk cleared', () => {
    const o = { status: 'PLANNED' as const, riskCleared: false, cancelReason: null };
    expect(customerStatus(o)).toBe('planned');
    expect(customerStatus({ ...o, status: 'PARTS_STAGED' })).toBe('parts staged');
    expect(customerStatus({ ...o, riskCleared: true })).toBe('risk cleared – under review');
    expect(customerStatus({ ...o, status: 'CANCELLED', cancelReason: 'RISK_CLEARED' })).toBe(
      'cancelled – risk cleared',
    );
    expect(customerStatus({ ...o, status: 'CANCELLED', cancelReason: 'FALSE_ALARM' })).toBe('cancelled');
    expect(customerStatus({ ...o, status: 'COMPLETED', riskCleared: true })).toBe('completed');
  });
});
