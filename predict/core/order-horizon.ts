// How far ahead a failure must be seen for a pre-emptive order to be in time: the lead time to stage the part
// for the asset (local stock by courier, or the hub's overnight service, or replenishment when nobody has it) or
// to free and bring a qualified technician, whichever is longer, plus the response time of the asset's
// contract, plus the model's margin. Predict compares it with the lower bound of the predicted failure time.

export interface PartsPolicy {
  courierKmh: number;
  courierHandlingMinutes: number;
  courierMaxKm: number;
  roadFactor: number;
  overnightCutoffUtc: string;
  overnightDeliverUtc: string;
  /** Lead time when no location has the part (replenishment from the supplier). */
  noStockHours: number;
}

/** The same shipping assumptions as the dispatch planner's policy (dispatch/core/policy.ts). */
export const DEFAULT_PARTS_POLICY: PartsPolicy = {
  courierKmh: 60,
  courierHandlingMinutes: 45,
  courierMaxKm: 400,
  roadFactor: 1.3,
  overnightCutoffUtc: '01:00',
  overnightDeliverUtc: '08:00',
  noStockHours: 72,
};

export interface StockSite {
  code: string;
  kind: 'HUB' | 'FSL' | 'COUNTER';
  lat: number;
  lon: number;
  /** On hand less reserved, of the part in question. */
  available: number;
}

export interface PartsLead {
  hours: number;
  mode: 'courier' | 'overnight' | 'none';
  from: string | null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RAD = Math.PI / 180;

function km(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const s1 = Math.sin(((b.lat - a.lat) * RAD) / 2);
  const s2 = Math.sin(((b.lon - a.lon) * RAD) / 2);
  const h = s1 * s1 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * s2 * s2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

const clockMs = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h! * 60 + m!) * 60_000;
};

/** When a part shipped overnight now is ready: the next delivery time after the next cut-off. */
export function overnightReadyAt(now: number, p: PartsPolicy): number {
  const day = Math.floor(now / DAY) * DAY;
  let cutoff = day + clockMs(p.overnightCutoffUtc);
  if (cutoff < now) cutoff += DAY;
  let ready = Math.floor(cutoff / DAY) * DAY + clockMs(p.overnightDeliverUtc);
  if (ready <= cutoff) ready += DAY;
  return ready;
}

/** The fastest way to get `qty` of the part to the site, from what the network holds now. */
export function partsLead(
  site: { lat: number; lon: number },
  stock: readonly StockSite[],
  qty: number,
  now: Date,
  p: PartsPolicy = DEFAULT_PARTS_POLICY,
): PartsLead {
  let best: PartsLead = { hours: p.noStockHours, mode: 'none', from: null };
  for (const s of stock) {
    if (s.available < qty) continue;
    const road = km(site, s) * p.roadFactor;
    const options: PartsLead[] = [];
    if (road <= p.courierMaxKm)
      options.push({
        hours: p.courierHandlingMinutes / 60 + road / p.courierKmh,
        mode: 'courier',
        from: s.code,
      });
    if (s.kind === 'HUB')
      options.push({
        hours: (overnightReadyAt(now.getTime(), p) - now.getTime()) / HOUR,
        mode: 'overnight',
        from: s.code,
      });
    for (const o of options) if (o.hours < best.hours) best = o;
  }
  return { ...best, hours: Math.round(best.hours * 100) / 100 };
}

/** A technician as predict sees the field: where, what skills, and when free of the jobs booked already. */
export interface CrewMember {
  code: string;
  lat: number;
  lon: number;
  skills: string[];
  /** When the technician is free (after the booked jobs), epoch ms. */
  freeAt: number;
}

export interface TechnicianLead {
  hours: number;
  technician: string | null;
}

/** Driving speed of the technicians (the dispatch planner's, dispatch/core/policy.ts), and the wait assumed when
 *  no technician has the skill at all (one is hired in or borrowed from another region). */
export const CREW_POLICY = { speedKmh: 70, noTechnicianHours: 48 };

/** The soonest a qualified technician can be on site: free of the jobs booked already, then the drive. */
export function technicianLead(
  site: { lat: number; lon: number },
  crew: readonly CrewMember[],
  skill: string,
  now: Date,
  p: Pick<PartsPolicy, 'roadFactor'> = DEFAULT_PARTS_POLICY,
): TechnicianLead {
  let best: TechnicianLead = { hours: CREW_POLICY.noTechnicianHours, technician: null };
  for (const t of crew) {
    if (!t.skills.includes(skill)) continue;
    const wait = Math.max(0, t.freeAt - now.getTime()) / HOUR;
    const hours = wait + (km(site, t) * p.roadFactor) / CREW_POLICY.speedKmh;
    if (hours < best.hours) best = { hours, technician: t.code };
  }
  return { ...best, hours: Math.round(best.hours * 100) / 100 };
}

export interface OrderHorizon {
  hours: number;
  partsLeadHours: number;
  partsMode: PartsLead['mode'];
  partsFrom: string | null;
  /** The soonest a qualified technician can be there (null: not considered). */
  technicianLeadHours: number | null;
  responseHours: number;
  marginMinutes: number;
}

/**
 * Order horizon = what the network needs to have the part and a technician on site (the slower of the two) +
 * contract response time + margin.
 */
export function orderHorizon(
  lead: PartsLead,
  responseHours: number,
  marginMinutes: number,
  technician?: TechnicianLead,
): OrderHorizon {
  const network = Math.max(lead.hours, technician?.hours ?? 0);
  return {
    hours: Math.round((network + responseHours + marginMinutes / 60) * 100) / 100,
    partsLeadHours: lead.hours,
    partsMode: lead.mode,
    partsFrom: lead.from,
    technicianLeadHours: technician?.hours ?? null,
    responseHours,
    marginMinutes,
  };
}
