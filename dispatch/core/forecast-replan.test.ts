import { describe, expect, it } from 'vitest';
import type { StagingChoice, TechnicianChoice } from './choices.ts';
import { pickForecastReplan, replanWithoutChoices } from './forecast-replan.ts';

const failure = new Date('2027-01-04T09:00:00Z');
const dueBy = new Date('2027-01-04T07:00:00Z');
const at = (hhmm: string) => `2027-01-04T${hhmm}:00.000Z`;

function tech(code: string, etaAt: string | null, o: Partial<TechnicianChoice> = {}): TechnicianChoice {
  const onTime = etaAt === null ? null : etaAt <= failure.toISOString();
  return {
    code,
    name: code,
    current: false,
    qualified: true,
    free: true,
    bookedOn: null,
    eligible: true,
    arrivalAt: etaAt,
    late: false,
    etaAt,
    cost: 100,
    onTime,
    lateByMinutes: 0,
    ...o,
  };
}

function staging(pickup: string, etaAt: string, o: Partial<StagingChoice> = {}): StagingChoice {
  return {
    pickup,
    source: pickup,
    mode: 'stock',
    partsReadyAt: etaAt,
    current: false,
    etaAt,
    cost: 50,
    onTime: etaAt <= failure.toISOString(),
    lateByMinutes: 0,
    ...o,
  };
}

describe('pickForecastReplan', () => {
  it('keeps a plan that still reaches the site by the new due-by', () => {
    const r = pickForecastReplan({
      status: 'PLANNED',
      etaAt: new Date(at('06:30')),
      dueBy,
      expectedFailureAt: failure,
      technicians: [tech('T-02', at('05:00'))],
      stagings: [],
    });
    expect(r).toEqual({ kind: 'keep' });
  });

  it('moves a plan past the due-by to a sooner choice, else keeps it while it is before the failure', () => {
    const base = { status: 'PLANNED', etaAt: new Date(at('08:00')), dueBy, expectedFailureAt: failure };
    expect(pickForecastReplan({ ...base, technicians: [tech('T-02', at('06:00'))], stagings: [] })).toEqual({
      kind: 'reassign',
      technician: 'T-02',
      etaAt: at('06:00'),
    });
    // the only other choice arrives later than the plan: no move, and the plan is before the failure
    expect(pickForecastReplan({ ...base, technicians: [tech('T-02', at('08:30'))], stagings: [] })).toEqual({
      kind: 'keep',
    });
  });

  it('takes the way to be there in time that arrives first, a technician or a staging', () => {
    const base = { status: 'PARTS_STAGED', etaAt: new Date(at('14:00')), dueBy, expectedFailureAt: failure };
    expect(
      pickForecastReplan({
        ...base,
        technicians: [
          tech('T-01', at('14:00'), { current: true, eligible: false }),
          tech('T-03', at('08:30')),
        ],
        stagings: [staging('FSL-2', at('07:45')), staging('FSL-1', at('13:00'), { current: true })],
      }),
    ).toEqual({ kind: 'restage', pickup: 'FSL-2', source: 'FSL-2', inTransit: false, etaAt: at('07:45') });
    expect(
      pickForecastReplan({
        ...base,
        technicians: [tech('T-03', at('08:30')), tech('T-04', at('07:00'), { eligible: false, free: false })],
        stagings: [staging('CTR-1', at('10:00'))],
      }),
    ).toEqual({ kind: 'reassign', technician: 'T-03', etaAt: at('08:30') });
  });

  it('escalates with how late the plan is when no choice is in time', () => {
    expect(
      pickForecastReplan({
        status: 'PLANNED',
        etaAt: new Date(at('14:33')),
        dueBy,
        expectedFailureAt: failure,
        technicians: [tech('T-05', at('11:00')), tech('T-06', null)],
        stagings: [staging('FSL-3', at('12:00')), staging('FSL-4', at('08:00'), { current: true })],
      }),
    ).toEqual({ kind: 'escalate', lateByMinutes: 333 });
    expect(
      pickForecastReplan({
        status: 'PLANNED',
        etaAt: null,
        dueBy,
        expectedFailureAt: failure,
        technicians: [],
        stagings: [],
      }),
    ).toEqual({ kind: 'escalate', lateByMinutes: null });
  });

  it('never moves a technician already on the road, nor an order on site or closed, without a person deciding', () => {
    const sooner = { technicians: [tech('T-02', at('06:00'))], stagings: [staging('FSL-2', at('05:30'))] };
    const late = { etaAt: new Date(at('10:00')), dueBy, expectedFailureAt: failure, ...sooner };
    // en route: the plan stays; after the failure it is escalated for the dispatcher, before it kept
    expect(pickForecastReplan({ status: 'TECHNICIAN_EN_ROUTE', ...late })).toEqual({
      kind: 'escalate',
      lateByMinutes: 60,
    });
    expect(
      pickForecastReplan({ status: 'TECHNICIAN_EN_ROUTE', ...late, etaAt: new Date(at('08:00')) }),
    ).toEqual({ kind: 'keep' });
    for (const status of ['ON_SITE', 'COMPLETED', 'CANCELLED'])
      expect(pickForecastReplan({ status, ...late })).toEqual({ kind: 'keep' });
    // the same plan before the technician sets off moves to the way that arrives first
    expect(pickForecastReplan({ status: 'PARTS_IN_TRANSIT', ...late })).toMatchObject({ kind: 'restage' });
  });

  it('decides without the choices when they cannot change the outcome, so the watcher need not load them', () => {
    const base = { dueBy, expectedFailureAt: failure };
    const late = { ...base, etaAt: new Date(at('10:00')) };
    expect(replanWithoutChoices({ status: 'PLANNED', ...base, etaAt: new Date(at('06:00')) })).toEqual({
      kind: 'keep',
    });
    expect(replanWithoutChoices({ status: 'TECHNICIAN_EN_ROUTE', ...late })).toEqual({
      kind: 'escalate',
      lateByMinutes: 60,
    });
    for (const status of ['ON_SITE', 'COMPLETED', 'CANCELLED'])
      expect(replanWithoutChoices({ status, ...late })).toEqual({ kind: 'keep' });
    // a plan past the due-by that can still move: the choices decide
    for (const status of ['PLANNED', 'PARTS_IN_TRANSIT', 'PARTS_STAGED'])
      expect(replanWithoutChoices({ status, ...late })).toBeNull();
    expect(replanWithoutChoices({ status: 'PLANNED', ...base, etaAt: null })).toBeNull();
  });
});
