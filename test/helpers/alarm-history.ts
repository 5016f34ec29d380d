// A small fleet history with known answers for training ALARM versions: hourly readings, failures every 4-6 days,
// each preceded by an error code 12, 9, 6 and 3 h before (written as the import writes it).
import type { Db } from '../../common/db.ts';

const H = 3_600_000;
export const PRECURSOR_CODE = 'E-PRECURSOR';

export async function writeAlarmHistory(
  db: Db,
  o: {
    tenantId: string;
    name: string;
    machines: number;
    /** Asset names are `${prefix}${i}`. */
    prefix: string;
    metrics: string[];
    mode: string;
    /** Hour-aligned start, ms. */
    start: number;
    /** One code per machine on day 1 + i that no failure follows (bait). */
    strayCode?: string;
  },
): Promise<string> {
  const h = await db.fleetHistory.create({
    data: { tenantId: o.tenantId, name: o.name, importedBy: 'test' },
  });
  const points: { historyId: string; asset: string; metric: string; ts: Date; value: number }[] = [];
  const records: { historyId: string; kind: string; asset: string; ts: Date; key: string }[] = [];
  const days = 30;
  const end = o.start + days * 24 * H;
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  for (let a = 0; a < o.machines; a++) {
    const asset = `${o.prefix}${a}`;
    for (let t = o.start; t < end; t += H)
      o.metrics.forEach((m, j) =>
        points.push({ historyId: h.id, asset, metric: m, ts: new Date(t), value: 10 + j + rand() }),
      );
    for (let f = o.start + (3 + a * 0.4) * 24 * H; f < end; f += (4 + 2 * rand()) * 24 * H) {
      const at = Math.round(f / H) * H + 30 * 60_000;
      records.push({ historyId: h.id, kind: 'failure', asset, ts: new Date(at), key: o.mode });
      for (const before of [12, 9, 6, 3])
        records.push({
          historyId: h.id,
          kind: 'event',
          asset,
          ts: new Date(at - before * H),
          key: PRECURSOR_CODE,
        });
      records.push({ historyId: h.id, kind: 'maintenance', asset, ts: new Date(at + H), key: o.mode });
    }
    if (o.strayCode !== undefined)
      records.push({
        historyId: h.id,
        kind: 'event',
        asset,
        ts: new Date(o.start + (1 + a) * 24 * H),
        key: o.strayCode,
      });
  }
  await db.fleetHistoryPoint.createMany({ data: points });
  await db.fleetHistoryRecord.createMany({ data: records });
  return h.id;
}
