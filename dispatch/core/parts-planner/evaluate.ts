/**
 * The spec's expected plan cost by simulation, written literally (the reference evaluator): holding +
 * positioning + the mean service cost over `scenarios` seeded draws. In each scenario every asset fails with
 * probability pFail at a time uniform in its window; failures are served one by one in time order: the nearest
 * location of Reach with a unit on hand (replenished from the hub L days later when the hub has a unit), else
 * the hub, else an emergency. The optimiser uses a faster per-sku simulator (sim.ts), checked against this one.
 */
import { seededRandom } from '../../../common/random.ts';
import type { PartsInstance, PartsPlan } from './instance.ts';
import { compileModel, fixedCost, planToLevels } from './model.ts';
import type { PartsModel } from './model.ts';

export interface PlanEvaluation {
  cost: number;
  holding: number;
  positioning: number;
  /** Mean service cost per scenario (local serves, replenishment transfers, hub ships, emergencies, penalties). */
  service: number;
  /** Share of failures served within their SLA. */
  fillWithinSla: number;
  /** Σ qty × unitCost. */
  inventoryValue: number;
  /** Mean failures per scenario. */
  failures: number;
  scenarios: number;
  /** With `groups`: the share of each group's failures served within their SLA (1 when it has none). */
  fillWithinSlaByGroup?: number[];
}

export interface EvaluateOptions {
  scenarios?: number;
  seed?: number;
  /** A group index per asset (e.g. its contract tier), for the fill within SLA per group. */
  groups?: ArrayLike<number>;
}

export function evaluatePlan(
  instance: PartsInstance | PartsModel,
  plan: PartsPlan | Int32Array,
  opts: EvaluateOptions = {},
): PlanEvaluation {
  const m = 'nSku' in instance ? instance : compileModel(instance);
  const lev = plan instanceof Int32Array ? plan : planToLevels(m, plan);
  const n = opts.scenarios ?? 20_000;
  const rnd = seededRandom(opts.seed ?? 20_201);
  const { nSku, hub, transferCost: T, replenishDays: L } = m;
  const onHand = new Int32Array(m.nLoc * nSku);
  const evT: number[] = [];
  const evA: number[] = [];
  const order: number[] = [];
  let service = 0;
  let failures = 0;
  let inSla = 0;
  const groups = opts.groups;
  const nGroups = groups ? Math.max(0, ...Array.from(groups)) + 1 : 0;
  const gFailures = new Float64Array(nGroups);
  const gInSla = new Float64Array(nGroups);
  for (let k = 0; k < n; k++) {
    evT.length = 0;
    evA.length = 0;
    for (let a = 0; a < m.nAsset; a++) {
      const u = rnd();
      const t = rnd();
      if (u < (m.aP[a] as number)) {
        const from = m.aFrom[a] as number;
        evT.push(from + t * ((m.aTo[a] as number) - from));
        evA.push(a);
      }
    }
    order.length = 0;
    for (let i = 0; i < evT.length; i++) order.push(i);
    order.sort((x, y) => (evT[x] as number) - (evT[y] as number));
    onHand.set(lev);
    // replenishments in flight, in arrival order (all take L days, and failures come in time order)
    const pending: { at: number; cell: number }[] = [];
    let head = 0;
    for (const i of order) {
      const t = evT[i] as number;
      const a = evA[i] as number;
      const s = m.aSku[a] as number;
      while (head < pending.length && (pending[head] as { at: number }).at <= t) {
        const p = pending[head++] as { cell: number };
        onHand[p.cell] = (onHand[p.cell] as number) + 1;
      }
      failures++;
      const g = groups ? (groups[a] as number) : -1;
      const inSlaBefore = inSla;
      const hubCell = hub * nSku + s;
      let served = false;
      for (let r = m.reachStart[a] as number; r < (m.reachStart[a + 1] as number); r++) {
        const cell = (m.reachLoc[r] as number) * nSku + s;
        if ((onHand[cell] as number) > 0) {
          onHand[cell] = (onHand[cell] as number) - 1;
          service += m.reachCost[r] as number;
          if ((onHand[hubCell] as number) > 0) {
            onHand[hubCell] = (onHand[hubCell] as number) - 1;
            service += T;
            pending.push({ at: t + L, cell });
          }
          served = true;
          inSla++;
          break;
        }
      }
      if (!served) {
        if ((onHand[hubCell] as number) > 0) {
          onHand[hubCell] = (onHand[hubCell] as number) - 1;
          service += m.hubCost[a] as number;
          inSla += m.hubInSla[a] as number;
        } else {
          service += m.emergencyCost[a] as number;
        }
      }
      if (g >= 0) {
        gFailures[g] = (gFailures[g] as number) + 1;
        gInSla[g] = (gInSla[g] as number) + inSla - inSlaBefore;
      }
    }
  }
  const { holding, positioning } = fixedCost(m, lev);
  let inventoryValue = 0;
  for (let i = 0; i < lev.length; i++)
    inventoryValue += (lev[i] as number) * (m.unitCost[i % nSku] as number);
  const meanService = service / n;
  return {
    cost: holding + positioning + meanService,
    holding,
    positioning,
    service: meanService,
    fillWithinSla: failures === 0 ? 1 : inSla / failures,
    inventoryValue,
    failures: failures / n,
    scenarios: n,
    ...(groups
      ? { fillWithinSlaByGroup: Array.from(gFailures, (f, i) => (f === 0 ? 1 : (gInSla[i] as number) / f)) }
      : {}),
  };
}
