// Reactive repair for bench:loop: a customer calls when the machine stops, and the planner sends the technician
// and part that reach the site soonest from the network as it stood at the start (every technician free at
// home) — an optimistic run-to-failure service, so the benchmark's downtime reduction is not flattered.
import type { Db } from '../../common/db.ts';
import { PrismaNetworkStore } from '../../dispatch/adapters/network-store.ts';
import { toPlanInstance, type NetworkSnapshot } from '../../dispatch/core/network-instance.ts';
import { planDispatch } from '../../dispatch/core/planner/index.ts';
import { DEFAULT_POLICY } from '../../dispatch/core/policy.ts';

const HOUR = 3_600_000;
/** When nothing can be planned (no technician or part anywhere): a replacement from the supplier. */
const NO_PLAN_HOURS = 72;

type Job = Omit<NetworkSnapshot['orders'][number], 'id' | 'dueBy'>;

export class ReactiveRepair {
  private constructor(
    private readonly network: Omit<NetworkSnapshot, 'now' | 'orders'>,
    private readonly jobs: Map<string, Job>,
  ) {}

  static async fromNetwork(db: Db, start: number): Promise<ReactiveRepair> {
    // the network as the live planner sees it at the start: every technician free at home
    const [network, assets] = await Promise.all([
      new PrismaNetworkStore(db).snapshot(new Date(start)),
      db.asset.findMany({
        include: { site: true, equipmentModel: { include: { failureModes: { include: { part: true } } } } },
      }),
    ]);
    const jobs = new Map<string, Job>();
    for (const a of assets) {
      const fm = a.equipmentModel.failureModes[0];
      if (!fm) continue;
      jobs.set(a.id, {
        lat: a.site.lat,
        lon: a.site.lon,
        skill: fm.skill,
        sku: fm.part.sku,
        qty: fm.partQty,
        repairMinutes: fm.repairMinutes,
      });
    }
    return new ReactiveRepair({ locations: network.locations, technicians: network.technicians }, jobs);
  }

  /** When the asset, stopped at `failedAt`, runs again: the technician's arrival plus the repair. */
  async repairAt(assetId: string, failedAt: number): Promise<number> {
    const job = this.jobs.get(assetId);
    if (!job) return failedAt + NO_PLAN_HOURS * HOUR;
    const now = new Date(failedAt);
    const instance = toPlanInstance(
      {
        now,
        locations: this.network.locations,
        technicians: this.network.technicians.map((t) => ({ ...t, availableFrom: now })),
        orders: [{ id: 'call', ...job, dueBy: now }],
      },
      DEFAULT_POLICY,
    );
    const plan = await planDispatch(instance, { timeLimitMs: 2_000 });
    const a = plan.assignments[0];
    return a ? Date.parse(a.arrivalAt) + job.repairMinutes * 60_000 : failedAt + NO_PLAN_HOURS * HOUR;
  }
}
