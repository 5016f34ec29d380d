import { describe, expect, it } from 'vitest';
import { dueBy, inOrderHorizon } from './order-decision.ts';
import {
  CREW_POLICY,
  DEFAULT_PARTS_POLICY,
  orderHorizon,
  overnightReadyAt,
  partsLead,
  technicianLead,
  type CrewMember,
  type StockSite,
} from './order-horizon.ts';

const hamburg = { lat: 53.55, lon: 9.99 };
const hub: StockSite = { code: 'HUB-KS', kind: 'HUB', lat: 51.31, lon: 9.48, available: 10 };
const fslHamburg: StockSite = { code: 'FSL-HH', kind: 'FSL', lat: 53.56, lon: 10.0, available: 1 };
const at = (iso: string) => new Date(iso);

describe('parts lead time', () => {
  it('takes local stock by courier when it is there', () => {
    const lead = partsLead(hamburg, [hub, fslHamburg], 1, at('2026-05-01T12:00:00Z'));
    expect(lead.mode).toBe('courier');
    expect(lead.from).toBe('FSL-HH');
    expect(lead.hours).toBeLessThan(1);
  });

  it("falls back to the hub's overnight service, or its courier when that is faster", () => {
    const noon = at('2026-05-01T12:00:00Z');
    // the hub is ~250 km by road from Hamburg: courier 45 min + ~4.2 h beats overnight (ready 08:00 next day)
    const lead = partsLead(hamburg, [hub, { ...fslHamburg, available: 0 }], 1, noon);
    expect(lead).toMatchObject({ mode: 'courier', from: 'HUB-KS' });
    const far = { lat: 48.14, lon: 11.58 }; // Munich: beyond the courier's reach
    expect(partsLead(far, [hub], 1, noon)).toEqual({ hours: 20, mode: 'overnight', from: 'HUB-KS' });
  });

  it('needs replenishment when nobody has enough', () => {
    expect(partsLead(hamburg, [{ ...hub, available: 1 }], 2, at('2026-05-01T12:00:00Z'))).toEqual({
      hours: DEFAULT_PARTS_POLICY.noStockHours,
      mode: 'none',
      from: null,
    });
  });

  it('ships overnight at the next cut-off and delivers the morning after it', () => {
    const ready = (iso: string) =>
      new Date(overnightReadyAt(Date.parse(iso), DEFAULT_PARTS_POLICY)).toISOString();
    expect(ready('2026-05-01T00:30:00Z')).toBe('2026-05-01T08:00:00.000Z');
    expect(ready('2026-05-01T01:30:00Z')).toBe('2026-05-02T08:00:00.000Z');
    expect(ready('2026-05-01T23:00:00Z')).toBe('2026-05-02T08:00:00.000Z');
  });
});

describe('order horizon and due-by', () => {
  it('adds parts lead time, contract response and margin', () => {
    const h = orderHorizon({ hours: 20, mode: 'overnight', from: 'HUB-KS' }, 4, 30);
    expect(h.hours).toBe(24.5);
    expect(h).toMatchObject({
      partsLeadHours: 20,
      responseHours: 4,
      marginMinutes: 30,
      partsMode: 'overnight',
    });
  });

  it('takes the slower of the part and the technician', () => {
    const parts = { hours: 2, mode: 'courier' as const, from: 'FSL-HH' };
    expect(orderHorizon(parts, 4, 30, { hours: 30, technician: 'T-01' })).toMatchObject({
      hours: 34.5,
      partsLeadHours: 2,
      technicianLeadHours: 30,
    });
    expect(orderHorizon(parts, 4, 30, { hours: 1, technician: 'T-01' }).hours).toBe(6.5);
  });

  it('opens orders for failures inside the horizon only, due the margin before the failure', () => {
    const now = at('2026-05-01T12:00:00Z');
    expect(inOrderHorizon(at('2026-05-02T12:00:00Z'), now, 24.5)).toBe(true);
    expect(inOrderHorizon(at('2026-05-02T13:00:00Z'), now, 24.5)).toBe(false);
    expect(dueBy(at('2026-05-02T12:00:00Z'), now, 30).toISOString()).toBe('2026-05-02T11:30:00.000Z');
    // a wide band: due by its lower edge; a narrow one: by the margin; never before now
    const expected = at('2026-05-02T12:00:00Z');
    expect(dueBy(expected, now, 30, at('2026-05-02T06:00:00Z')).toISOString()).toBe(
      '2026-05-02T06:00:00.000Z',
    );
    expect(dueBy(expected, now, 30, at('2026-05-02T11:50:00Z')).toISOString()).toBe(
      '2026-05-02T11:30:00.000Z',
    );
    expect(dueBy(expected, now, 30, at('2026-05-01T06:00:00Z')).toISOString()).toBe(now.toISOString());
  });
});

describe('technician lead time', () => {
  const now = at('2026-05-01T12:00:00Z');
  const tech = (code: string, skills: string[], lat: number, lon: number, freeInHours = 0): CrewMember => ({
    code,
    skills,
    lat,
    lon,
    freeAt: now.getTime() + freeInHours * 3_600_000,
  });

  it('is the soonest qualified technician: the wait for the booked jobs, then the drive', () => {
    const crew = [
      tech('T-near-busy', ['imaging'], 53.5, 10.0, 20),
      tech('T-far-free', ['imaging'], 51.31, 9.48),
      tech('T-near-other-skill', ['hvac'], 53.55, 9.99),
    ];
    const lead = technicianLead(hamburg, crew, 'imaging', now);
    expect(lead.technician).toBe('T-far-free');
    // ~250 km straight, ~325 km by road at 70 km/h
    expect(lead.hours).toBeGreaterThan(4);
    expect(lead.hours).toBeLessThan(5);
  });

  it('waits for the technician who frees up first when the near ones are all booked', () => {
    const crew = [tech('T-a', ['imaging'], 53.55, 9.99, 10), tech('T-b', ['imaging'], 53.55, 9.99, 5)];
    expect(technicianLead(hamburg, crew, 'imaging', now)).toEqual({ hours: 5, technician: 'T-b' });
  });

  it('assumes a long wait when nobody has the skill', () => {
    expect(technicianLead(hamburg, [tech('T-a', ['hvac'], 53.55, 9.99)], 'imaging', now)).toEqual({
      hours: CREW_POLICY.noTechnicianHours,
      technician: null,
    });
  });
});
