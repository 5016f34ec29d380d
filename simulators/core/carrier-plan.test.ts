import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.ts';
import { parseShare, planCarrierEvents } from './carrier-plan.ts';

const s = {
  id: 'sh-1',
  shipAt: new Date('2026-03-01T08:00:00Z'),
  readyAt: new Date('2026-03-01T14:00:00Z'),
};
const fixed = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('the carrier of a shipment', () => {
  it('picks up, moves and delivers on time by default, with ids per shipment and kind', () => {
    const ev = planCarrierEvents(s, fixed(0, 0.99, 0), { exceptions: 0.05, late: 0.15 });
    expect(ev.map((e) => [e.eventId, e.kind, e.at.toISOString()])).toEqual([
      ['sh-1:PICKED_UP', 'PICKED_UP', '2026-03-01T08:05:00.000Z'],
      ['sh-1:IN_TRANSIT', 'IN_TRANSIT', '2026-03-01T08:15:00.000Z'],
      ['sh-1:DELIVERED', 'DELIVERED', '2026-03-01T14:00:00.000Z'],
    ]);
  });

  it('fails a share of shipments half-way with a reason, and delivers a share late', () => {
    const failed = planCarrierEvents(s, fixed(0, 0.01, 0), { exceptions: 0.05, late: 0 });
    expect(failed[2]).toMatchObject({ kind: 'EXCEPTION', detail: 'damaged in transit' });
    expect(failed[2]!.at.getTime()).toBeLessThan(s.readyAt.getTime());
    const late = planCarrierEvents(s, fixed(0, 0.5, 0), { exceptions: 0, late: 1 });
    expect(late[2]).toMatchObject({ kind: 'DELIVERED', at: new Date('2026-03-01T14:30:00Z') });
  });

  it('matches the shares over many shipments', () => {
    const rand = seededRandom(7);
    const kinds = Array.from(
      { length: 4000 },
      () => planCarrierEvents(s, rand, { exceptions: 0.1, late: 0.2 })[2]!,
    );
    const share = (f: (e: (typeof kinds)[number]) => boolean) => kinds.filter(f).length / kinds.length;
    expect(share((e) => e.kind === 'EXCEPTION')).toBeCloseTo(0.1, 1);
    expect(share((e) => e.kind === 'DELIVERED' && e.at > s.readyAt)).toBeCloseTo(0.18, 1);
  });

  it('takes shares from 0 to 1 only', () => {
    expect(parseShare('late', undefined, 0.15)).toBe(0.15);
    expect(parseShare('late', '0.3', 0.15)).toBe(0.3);
    expect(parseShare('late', '2', 0.15)).toBe('--late takes a share from 0 to 1');
    expect(parseShare('late', '', 0.15)).toBe('--late takes a share from 0 to 1');
  });
});
