/**
 * `npm run --silent bench:loop -- --json [--days 30] [--assets 200] [--seed 1] [--step-minutes 15]
 *   [--database-url postgresql://…]`
 *
 * The whole loop on one virtual clock (the Clock port): the real platform (embedded MQTT broker → ingest → store
 * → predict → order → dispatch planner → lifecycle → completion → return finding) against the simulated fleet.
 * Each step the clock moves `--step-minutes`; every running asset reports one reading over MQTT; the step waits
 * until ingest has stored and announced them all and predict has decided, runs a planning round, then lets the
 * field act: dispatchers accept planned jobs, parts arrive when the plan says (hub shipments at the cut-off,
 * courier, counter hours: the planner's times), technicians drive, arrive at the plan's ETA, repair for the failure
 * mode's repair time and complete with the part fitted; the repair depot records the finding from the ground
 * truth. A failure nobody ordered for is repaired reactively (a call at the failure, the planner's fastest
 * technician). The same fleet and seed run to failure (reactive only) is the baseline.
 *
 * Prints one JSON line (pretty with --pretty) scored per true failure (simulators/core/loop-score.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import type { LiveOrder } from '../common/contracts/live.ts';
import { topics } from '../common/contracts/mqtt.ts';
import { FakeClock } from '../common/clock.ts';
import { loadConfig } from '../common/config.ts';
import { createDb } from '../common/db.ts';
import { startEmbeddedPostgres } from '../common/embedded/postgres.ts';
import { createLogger } from '../common/logger.ts';
import { migrate } from '../common/migrate.ts';
import { startPlatform } from '../platform.ts';
import { Fleet, FLEET_DEFAULTS, type FleetOptions, type SimReading } from '../simulators/core/fleet.ts';
import { scoreLoop, type ObservedOrder } from '../simulators/core/loop-score.ts';
import { substream } from '../simulators/core/random.ts';
import { DEMO_ACCOUNTS, DEMO_TECHNICIAN_PASSWORD, demoTechnicianEmail } from '../simulators/demo-world.ts';
import { TECHNICIAN_STEPS, type TechnicianStep } from '../dispatch/core/field-steps.ts';
import { freePort } from '../test/helpers/ports.ts';
import { roadKm } from '../dispatch/core/planner/geo.ts';
import { progress } from './bench/harness.ts';
import { seedLoopWorld } from './bench/loop-world.ts';
import { ReactiveRepair } from './bench/loop-reactive.ts';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    pretty: { type: 'boolean', default: false },
    days: { type: 'string', default: '30' },
    assets: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    'step-minutes': { type: 'string', default: '15' },
    'database-url': { type: 'string' },
    detail: { type: 'boolean', default: false },
    // on: the nightly parts review runs (00:30 UTC on the virtual clock), its plan is approved and its transfers
    // received at their ETA; off: stock stays where it is. Both report fill within SLA and the inventory value.
    'parts-planner': { type: 'string', default: 'off' },
  },
});
function num(name: 'days' | 'assets' | 'seed' | 'step-minutes', min: number, max: number): number {
  const n = Number(args[name]);
  if (!Number.isFinite(n) || n < min || n > max) {
    console.error(`bench:loop: --${name} must be a number from ${min} to ${max}, got "${args[name]}"`);
    process.exit(2);
  }
  return n;
}
const days = num('days', 0.1, 365);
const assetCount = Math.round(num('assets', 1, 5000));
const seed = Math.round(num('seed', 0, 2 ** 31));
const stepMs = num('step-minutes', 1, 120) * 60_000;
if (!['on', 'off'].includes(args['parts-planner'] ?? '')) {
  console.error(`bench:loop: --parts-planner must be on or off, got "${args['parts-planner']}"`);
  process.exit(2);
}
const say = (msg: string) => progress('bench:loop', msg);

const HOUR = 3_600_000;
/** A Monday at midnight UTC: a fixed virtual start, so a seed replays the same run. */
const START = Date.parse('2027-01-04T00:00:00Z');
const END = START + days * 24 * HOUR;
const REPAIR_MS = 90 * 60_000;
/** The devices' logged history uploaded at the start: the demo's (platform.ts), three days. */
const HISTORY_MS = 72 * HOUR;

/**
 * The fleet's failure physics for the benchmark: the simulator's defaults (wear over 3 to 21 days, sudden failures
 * the exception), with the share of assets already degrading at the start as in a fleet in steady state.
 */
function fleetOptions(): FleetOptions {
  const [lo, hi] = FLEET_DEFAULTS.degradationHours;
  const steady = (FLEET_DEFAULTS.degradationsPerDay * ((lo + hi) / 2)) / 24;
  return {
    seed,
    start: new Date(START),
    degradingShare: steady,
    failWithinHours: [6, hi * 0.7],
    duplicateRate: 0,
    clockSkewMs: 0,
  };
}

async function main() {
  const t0 = performance.now();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'preempt-loop-'));
  const stops: (() => Promise<unknown>)[] = [
    () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
  ];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    let databaseUrl = args['database-url'];
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
      stops.push(() => pg.stop());
      databaseUrl = pg.url;
    }
    await migrate(databaseUrl);
    const db = createDb(databaseUrl);
    stops.push(() => db.$disconnect());
    if ((await db.asset.count()) > 0) throw new Error('--database-url must point to an empty database');
    const secret = 'bench-loop-secret-of-at-least-32-characters';
    const world = await seedLoopWorld(db, { assets: assetCount, seed, secret, start: new Date(START) });
    // the age of a removed unit: fitted 0 to 60 months before its removal (an assumption of the bench: the simulated
    // fleet has no service history before the run), for the depot's disposition
    const unitAgeMonths = substream(seed, 'bench-unit-age');
    // whether a refurbishment passes its final test (at the part's refurbishment yield)
    const refurbTest = substream(seed, 'bench-refurb-test');
    const fleetAssets = world.assets.map((a) => ({ id: a.id, equipment: a.equipment }));
    say(`${assetCount} assets, ${world.technicians} technicians, ${days} days, step ${stepMs / 60_000} min`);

    const reactive = await ReactiveRepair.fromNetwork(db, START);
    const baseline = await runReactiveBaseline(reactive, fleetAssets);
    say(`reactive baseline: ${baseline.failures} failures, ${baseline.downtimeHours} h down`);

    const clock = new FakeClock(new Date(START));
    const mqttPassword = 'bench-loop-broker';
    const config = loadConfig({
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      DEMO: 'false',
      PORT: '0',
      HOST: '127.0.0.1',
      MQTT_URL: '',
      MQTT_PORT: String(await freePort()),
      MQTT_PASSWORD: mqttPassword,
      MQTT_CLIENT_ID: `preempt-loop-${process.pid}`,
      AUTH_SECRET: secret,
      LOG_LEVEL: 'error',
      // the bench drives the parts review itself on the virtual clock (--parts-planner)
      PARTS_REVIEW_AT: 'off',
    });
    const platform = await startPlatform(config, { clock, log: createLogger({ level: 'error' }) });
    stops.push(() => platform.close());
    const admin = DEMO_ACCOUNTS.find((a) => a.role === 'ADMIN')!;
    // every account signs in from this one address: past the login limit (LOGIN_LIMIT_PER_IP) wait as told
    const login = async (email: string, password: string): Promise<string> => {
      for (;;) {
        const res = await fetch(`${platform.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        });
        const body = (await res.json()) as { token?: string };
        if (res.ok && body.token) return body.token;
        if (res.status !== 429) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(body)}`);
        const wait = Number(res.headers.get('retry-after') ?? 60);
        say(`login ${email}: rate limited, waiting ${wait} s`);
        await new Promise((r) => setTimeout(r, wait * 1000));
      }
    };
    const adminToken = await login(admin.email, admin.password);
    // the technicians report their own steps (en route, on site, complete) from their accounts
    const techTokens = new Map<string, string>();
    const techToken = async (code: string) => {
      let t = techTokens.get(code);
      if (!t) techTokens.set(code, (t = await login(demoTechnicianEmail(code), DEMO_TECHNICIAN_PASSWORD)));
      return t;
    };
    const api = async (
      method: string,
      route: string,
      body?: unknown,
      token = adminToken,
    ): Promise<unknown> => {
      const res = await fetch(`${platform.url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const out = (await res.json()) as unknown;
      if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(out)}`);
      return out;
    };

    const publisher = await mqtt.connectAsync(platform.mqttUrl, {
      username: config.mqttUsername,
      password: mqttPassword,
      clientId: `${config.mqttClientId}-bench`,
      clean: true,
      reconnectPeriod: 0,
    });
    stops.push(() => publisher.endAsync());
    const topicOf = new Map(world.assets.map((a) => [a.id, topics.telemetry(a.tenant, a.id)]));

    // what the platform does, observed on the virtual clock through its own event bus
    let ingested = 0;
    // --parts-planner: whether each new order's part was within its SLA (partsWithinSla, below)
    const fillChecks: Promise<boolean>[] = [];
    platform.bus.on('reading.ingested', () => void ingested++);
    const observed = new Map<string, ObservedOrder & { view: LiveOrder; enRouteAt: number | null }>();
    platform.bus.on('order.view', (v) => {
      const now = clock.now().getTime();
      let o = observed.get(v.id);
      if (!o) {
        o = {
          id: v.id,
          assetId: v.assetId,
          failureMode: v.failureMode,
          createdAt: now,
          expectedFailureAt: Date.parse(v.expectedFailureAt),
          firstEtaAt: null,
          onSiteAt: null,
          closedAt: null,
          closedAs: null,
          view: v,
          enRouteAt: null,
        };
        observed.set(v.id, o);
        fillChecks.push(partsWithinSla(v.id, v.assetId, v.part.sku));
      }
      o.view = v;
      if (o.firstEtaAt === null && v.etaAt && v.status !== 'PREDICTED') {
        o.firstEtaAt = Date.parse(v.etaAt);
        o.expectedFailureAt = Date.parse(v.expectedFailureAt);
      }
      if ((v.status === 'COMPLETED' || v.status === 'CANCELLED') && o.closedAt === null) {
        o.closedAt = now;
        o.closedAs = v.status;
      }
    });

    const fleet = new Fleet(fleetAssets, fleetOptions());
    const publish = async (readings: { assetId: string; ts: number; metrics: Record<string, number> }[]) => {
      const target = ingested + readings.length;
      await Promise.all(
        readings.map((r) =>
          publisher.publishAsync(topicOf.get(r.assetId)!, JSON.stringify({ ts: r.ts, metrics: r.metrics }), {
            qos: 1,
          }),
        ),
      );
      const deadline = Date.now() + 60_000;
      while (ingested < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      if (ingested < target) say(`${target - ingested} readings not announced within 60 s`);
      await platform.bus.drain();
    };

    // the devices connect at the start and upload the days they logged before it (one reading every step), as the
    // demo's do: the clock stays at the start, so predict learns from the history and decides on the current state
    // (moving the clock through the history instead opened orders in the past, that no technician could reach)
    say('history upload');
    // grouped by step once (in the devices' order), not filtered again for every step
    const byStep = new Map<number, SimReading[]>();
    for (const a of world.assets)
      for (const r of fleet.history(a.id, HISTORY_MS / 60_000, stepMs)) {
        const step = Math.floor((r.ts - (START - HISTORY_MS)) / stepMs);
        if (step < 0 || r.ts >= START) continue;
        let list = byStep.get(step);
        if (!list) byStep.set(step, (list = []));
        list.push(r);
      }
    for (const step of [...byStep.keys()].sort((a, b) => a - b)) await publish(byStep.get(step)!);

    const downSince = new Map<string, number>();
    const outages: { assetId: string; from: string; hours: number }[] = [];
    const reactiveAt = new Map<string, number>();
    let downtimeMs = 0;
    let repairMs = 0;
    let reactiveRepairs = 0;
    let lastReturns = 0;
    let steps = 0;
    const spent = { ingestAndPredict: 0, planning: 0, field: 0 };
    let mark = performance.now();
    const lap = (k: keyof typeof spent) => {
      const now = performance.now();
      spent[k] += now - mark;
      mark = now;
    };
    // parts planning (--parts-planner): was the part of each new order within its SLA (an unreserved unit at a
    // location within the asset's SLA drive, or at the hub when its 16-h response meets the SLA), and the network's
    // inventory value (serviceable stock and transfers in transit at unit cost) once a day
    const partsOn = args['parts-planner'] === 'on';
    const parts = {
      reviews: 0,
      applied: 0,
      stale: 0,
      transfers: 0,
      received: 0,
      valueSamples: [] as number[],
      // each review's expected fill within SLA of the stock as it stands (the reference evaluator on the review's
      // instance: every asset's probability of needing its part in the next 14 days)
      expectedFill: [] as number[],
    };
    let nextReview = Date.parse(new Date(START).toISOString().slice(0, 10) + 'T00:30:00Z');
    let lastValueAt = -Infinity;
    async function partsWithinSla(orderId: string, assetId: string, sku: string): Promise<boolean> {
      const [asset, levels, held] = await Promise.all([
        db.asset.findUniqueOrThrow({ where: { id: assetId }, include: { site: true, contract: true } }),
        db.stockLevel.findMany({ where: { part: { sku } }, include: { location: true } }),
        db.reservation.findMany({ where: { orderId }, select: { locationId: true, qty: true } }),
      ]);
      const sla = asset.contract.responseHours;
      return levels.some((l) => {
        const free =
          l.onHand -
          l.reserved +
          held.filter((r) => r.locationId === l.locationId).reduce((n, r) => n + r.qty, 0);
        if (free <= 0 || l.location.kind === 'REPAIR_DEPOT') return false;
        if (l.location.kind === 'HUB') return 16 <= sla;
        return roadKm(asset.site, l.location, 1.3) / 60 <= sla;
      });
    }
    async function inventoryValue(): Promise<number> {
      const [levels, moving] = await Promise.all([
        db.stockLevel.findMany({
          where: { location: { kind: { not: 'REPAIR_DEPOT' } } },
          include: { part: true },
        }),
        db.stockTransfer.findMany({ where: { status: 'IN_TRANSIT' }, include: { part: true } }),
      ]);
      return [...levels, ...moving].reduce(
        (v, l) => v + ('onHand' in l ? l.onHand : l.qty) * l.part.unitCost,
        0,
      );
    }
    async function partsStep(t: number): Promise<void> {
      if (t - lastValueAt >= 24 * HOUR) {
        parts.valueSamples.push(await inventoryValue());
        lastValueAt = t;
      }
      if (t >= nextReview) {
        nextReview += 24 * HOUR;
        try {
          // off: the review only measures; on: its plan is approved
          const review = (await api('POST', '/api/parts/reviews')) as {
            id: string;
            summary: { today: { fillWithinSla: number } };
          };
          parts.reviews++;
          parts.expectedFill.push(review.summary.today.fillWithinSla);
          if (!partsOn) return;
          const applied = (await api('POST', `/api/parts/reviews/${review.id}/approve`)) as {
            transfers: unknown[];
          };
          parts.applied++;
          parts.transfers += applied.transfers.length;
        } catch (err) {
          if (String(err).includes('PARTS_PLAN_STALE')) parts.stale++;
          else say(`parts review: ${(err as Error).message}`);
        }
      }
      // transfers arrive at their ETA: the plan's (on) and, in both modes, returned units from the repair depot
      const moving = (await api('GET', '/api/parts/transfers?status=IN_TRANSIT&limit=500')) as {
        id: string;
        etaAt: string;
      }[];
      for (const m of moving)
        if (Date.parse(m.etaAt) <= t) {
          await api('POST', `/api/parts/transfers/${m.id}/receive`);
          parts.received++;
        }
    }

    for (let t = START; t <= END; t += stepMs) {
      clock.set(new Date(t));
      mark = performance.now();
      await publish(fleet.tick(new Date(t)));
      lap('ingestAndPredict');
      for (const e of fleet.takeEvents()) {
        if (e.kind === 'failed') {
          downSince.set(e.assetId, e.at);
          const open = [...observed.values()].some((o) => o.assetId === e.assetId && o.closedAt === null);
          // nobody ordered for it: the customer calls, and a technician comes as fast as the network allows
          if (!open) reactiveAt.set(e.assetId, await reactive.repairAt(e.assetId, e.at));
        }
        if (e.kind === 'restored') {
          const from = downSince.get(e.assetId) ?? e.at;
          downtimeMs += e.at - from;
          outages.push({
            assetId: e.assetId,
            from: new Date(from).toISOString(),
            hours: (e.at - from) / HOUR,
          });
          downSince.delete(e.assetId);
        }
      }
      for (const [assetId, at] of reactiveAt)
        if (at <= t) {
          fleet.restore(assetId, new Date(at));
          reactiveAt.delete(assetId);
          reactiveRepairs++;
        }
      // a planning round when an order waits for a plan (the platform also plans on its own timers)
      if ([...observed.values()].some((o) => o.view.status === 'PREDICTED')) {
        await api('POST', '/api/dispatch/plan');
        await platform.bus.drain();
      }
      lap('planning');
      repairMs += await field(t);
      if (t - lastReturns >= 6 * HOUR) {
        await closeReturns(t);
        lastReturns = t;
      }
      await partsStep(t);
      lap('field');
      if (++steps % Math.round((24 * HOUR) / stepMs) === 0)
        say(
          `day ${Math.round((t - START) / (24 * HOUR))}: ${observed.size} orders, ${fleet.failures} failures, ` +
            `${Math.round((performance.now() - t0) / 1000)} s`,
        );
    }
    for (const [assetId, since] of downSince) {
      downtimeMs += END - since;
      outages.push({ assetId, from: new Date(since).toISOString(), hours: (END - since) / HOUR });
    }

    /** The field: accept planned jobs, move parts and technicians at the plan's times, repair, complete. */
    async function field(t: number): Promise<number> {
      let repairing = 0;
      for (const o of observed.values()) {
        if (o.closedAt !== null) continue;
        let v = o.view;
        if (v.status === 'PREDICTED') continue;
        try {
          if (v.actions.includes('accept') && !v.acceptedBy)
            v = (await api('POST', `/api/orders/${v.id}/accept`)) as LiveOrder;
          let stagedQty = v.part.qty;
          for (;;) {
            const next = v.nextStatus;
            const ready = v.partsReadyAt ? Date.parse(v.partsReadyAt) : t;
            const eta = v.etaAt ? Date.parse(v.etaAt) : Number.POSITIVE_INFINITY;
            let body: Record<string, unknown> | undefined;
            if (next === 'PARTS_IN_TRANSIT') body = { status: next };
            else if (next === 'PARTS_STAGED' && t >= ready) body = { status: next };
            else if (next === 'TECHNICIAN_EN_ROUTE' && t >= ready) {
              o.enRouteAt ??= t;
              body = { status: next };
            } else if (next === 'ON_SITE' && t >= eta) {
              o.onSiteAt = Math.max(eta, o.enRouteAt ?? eta);
              body = { status: next };
            } else if (next === 'COMPLETED' && o.onSiteAt !== null && t >= o.onSiteAt + REPAIR_MS) {
              body = { status: next, removedSerial: `RM-${v.assetId}-${v.number}`, note: 'bench:loop' };
            }
            if (!body) break;
            const step = (Object.keys(TECHNICIAN_STEPS) as TechnicianStep[]).find(
              (k) => TECHNICIAN_STEPS[k] === next,
            );
            if (step) {
              const code = v.technician?.split(' ')[0] ?? '';
              const { status: _status, ...report } = body;
              const job = (await api(
                'POST',
                `/api/me/jobs/${v.id}/${step}`,
                step === 'complete' ? { ...report, fitted: [{ sku: v.part.sku, qty: stagedQty }] } : {},
                await techToken(code),
              )) as {
                status: string;
                nextStep: TechnicianStep | null;
                parts: { sku: string; qty: number }[];
              };
              stagedQty =
                job.parts.filter((p) => p.sku === v.part.sku).reduce((n, p) => n + p.qty, 0) || stagedQty;
              v = {
                ...v,
                status: job.status,
                nextStatus: job.nextStep ? TECHNICIAN_STEPS[job.nextStep] : null,
              };
            } else v = (await api('POST', `/api/orders/${v.id}/status`, body)) as LiveOrder;
            o.view = v;
            if (v.status === 'COMPLETED') {
              const failed = downSince.has(v.assetId);
              fleet.restore(v.assetId, new Date(t));
              reactiveAt.delete(v.assetId);
              if (!failed) repairing += REPAIR_MS;
              break;
            }
          }
        } catch (err) {
          say(`field step on order ${v.number}: ${(err as Error).message}`);
        }
        o.view = v;
      }
      return repairing;
    }

    /**
     * The repair depot books returns in, records its finding (confirmed when the failure was developing) and confirms
     * the platform's proposed disposition of a defective unit (restock, refurbish, return to vendor, recycle, scrap).
     */
    async function closeReturns(t: number): Promise<void> {
      const open = (await api('GET', '/api/returns?open=true&limit=500')) as {
        id: string;
        state: string;
        reason: string;
        orderId: string;
      }[];
      for (const r of open) {
        try {
          if (r.state === 'AUTHORIZED' || r.state === 'IN_TRANSIT')
            await api('POST', `/api/returns/${r.id}/receive`);
          if (r.reason !== 'DEFECTIVE') continue;
          const o = observed.get(r.orderId);
          const real = fleet
            .groundTruth()
            .some(
              (f) =>
                f.assetId === o?.assetId &&
                Date.parse(f.onsetAt) <= o.createdAt &&
                o.createdAt < Date.parse(f.failAt),
            );
          await api('POST', `/api/returns/${r.id}/finding`, {
            finding: real ? 'FAILURE_CONFIRMED' : 'NO_FAULT_FOUND',
            note: `bench:loop at ${new Date(t).toISOString()}`,
          });
          await api('POST', `/api/returns/${r.id}/disposition`, {
            ageMonths: Math.round(unitAgeMonths() * 600) / 10,
          });
        } catch (err) {
          say(`return ${r.id}: ${(err as Error).message}`);
        }
      }
      // units in repair leave the bench after their turnaround: passed (at the part's yield) → shipped to where the
      // network wants them (docs/reverse-logistics.md); failed → recycled
      const repairing = await db.returnDisposition.findMany({
        where: { disposition: 'REFURBISH', restockedAt: null },
        include: { return: { include: { part: true } } },
        orderBy: { decidedAt: 'asc' },
      });
      for (const d of repairing) {
        if (d.decidedAt.getTime() + (d.turnaroundDays ?? 10) * 24 * HOUR > t) continue;
        const passed = refurbTest() < (d.return.part.refurbYield ?? 0.8);
        await api('POST', `/api/returns/${d.returnId}/repaired`, { passed }).catch((err: unknown) =>
          say(`repair ${d.returnId}: ${(err as Error).message}`),
        );
      }
    }

    const score = scoreLoop({
      truth: fleet.groundTruth(),
      orders: [...observed.values()],
      start: START,
      end: END,
      assets: assetCount,
    });
    const [shipping, planCost, outcomes] = await Promise.all([
      db.shipment.aggregate({ _sum: { cost: true }, _count: true }),
      db.serviceOrder.aggregate({ _sum: { planCost: true }, where: { status: { not: 'CANCELLED' } } }),
      db.prediction.groupBy({ by: ['outcome'], _count: true }),
    ]);
    const period = `from=${new Date(START).toISOString()}&to=${new Date(END + 24 * HOUR).toISOString()}`;
    const reverse = (await api('GET', `/api/sustainability?${period}`)) as { total: Record<string, unknown> };
    // where the serviceable units coming back went: refurbished or retested units shipped from the depot, unused
    // parts returned, and how many of them filled a location's parts-plan target
    const [backFromDepot, unusedBack] = await Promise.all([
      db.stockTransfer.findMany({
        where: { returnId: { not: null } },
        select: { routeReason: true, status: true },
      }),
      db.returnAuthorization.findMany({ where: { reason: 'UNUSED' }, select: { routeReason: true } }),
    ]);
    const fills = (x: { routeReason: string | null }) =>
      x.routeReason?.startsWith('fills the target') ?? false;
    const secondLife = {
      shippedFromDepot: backFromDepot.length,
      receivedFromDepot: backFromDepot.filter((x) => x.status === 'RECEIVED').length,
      unusedReturned: unusedBack.length,
      toPlanShortfall: backFromDepot.filter(fills).length + unusedBack.filter(fills).length,
      inRepairAtEnd: await db.returnDisposition.count({
        where: { disposition: 'REFURBISH', restockedAt: null },
      }),
    };
    // unplanned downtime: from a failure until the machine runs again (a pre-emptive repair is planned work)
    const downtimeHours = Math.round((downtimeMs / HOUR) * 10) / 10;
    const { detail, ...summary } = score;
    const out = {
      bench: 'loop',
      assets: assetCount,
      days,
      seed,
      stepMinutes: stepMs / 60_000,
      technicians: world.technicians,
      ...summary,
      downtimeHours,
      plannedRepairHours: Math.round((repairMs / HOUR) * 10) / 10,
      reactive: { failures: baseline.failures, downtimeHours: baseline.downtimeHours },
      downtimeReduction:
        baseline.downtimeHours > 0
          ? Math.round((1 - downtimeHours / baseline.downtimeHours) * 1000) / 1000
          : null,
      reactiveRepairs,
      partsPlanner: await (async () => {
        const within = await Promise.all(fillChecks);
        const values = parts.valueSamples;
        return {
          mode: partsOn ? 'on' : 'off',
          reviews: parts.reviews,
          ...(partsOn
            ? {
                applied: parts.applied,
                stale: parts.stale,
                transfers: parts.transfers,
                received: parts.received,
              }
            : {}),
          // mean over the reviews after the first (the first sees the network as seeded in both modes)
          expectedFillWithinSla:
            parts.expectedFill.length > 1
              ? Math.round(
                  (parts.expectedFill.slice(1).reduce((a, b) => a + b, 0) / (parts.expectedFill.length - 1)) *
                    1000,
                ) / 1000
              : null,
          orders: within.length,
          // orders whose part was within the asset's SLA when the order was raised
          fillWithinSla: within.length
            ? Math.round((within.filter(Boolean).length / within.length) * 1000) / 1000
            : null,
          inventoryValueMean: values.length
            ? Math.round(values.reduce((a, b) => a + b, 0) / values.length)
            : null,
          inventoryValueEnd: Math.round(await inventoryValue()),
        };
      })(),
      cost: {
        // the planner's objective over the orders' plans: travel, shipping and the penalty of any late hour
        plannerObjective: Math.round(planCost._sum.planCost ?? 0),
        shipping: Math.round(shipping._sum.cost ?? 0),
        shipments: shipping._count,
      },
      findings: Object.fromEntries(outcomes.map((o) => [o.outcome ?? 'none', o._count])),
      // what became of the removed units: reuse share, CO2e avoided (docs/reverse-logistics.md)
      reverse: { ...reverse.total, ...secondLife },
      wallSeconds: Math.round((performance.now() - t0) / 1000),
      // where the wall time of the run went (the rest: start-up, seeding, the baseline, the history upload)
      wallSecondsIn: Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, Math.round(v / 1000)])),
      ...(args.detail ? { detail, outages } : {}),
    };
    process.stdout.write(`${JSON.stringify(out, null, args.pretty ? 1 : undefined)}\n`);
  } finally {
    await close();
  }
}

/** The same fleet and seed with no prediction: every failure is repaired after a call at the failure (all of it
 *  unplanned downtime: the wait for the technician and the repair). */
async function runReactiveBaseline(
  reactive: ReactiveRepair,
  assets: { id: string; equipment: string }[],
): Promise<{ failures: number; downtimeHours: number }> {
  const fleet = new Fleet(assets, fleetOptions());
  const repairAt = new Map<string, number>();
  const since = new Map<string, number>();
  let downMs = 0;
  let failures = 0;
  for (let t = START; t <= END; t += stepMs) {
    fleet.tick(new Date(t));
    for (const e of fleet.takeEvents()) {
      if (e.kind === 'failed') {
        failures++;
        since.set(e.assetId, e.at);
        repairAt.set(e.assetId, await reactive.repairAt(e.assetId, e.at));
      }
      if (e.kind === 'restored') {
        downMs += e.at - since.get(e.assetId)!;
        since.delete(e.assetId);
      }
    }
    for (const [id, at] of repairAt)
      if (at <= t) {
        fleet.restore(id, new Date(at));
        repairAt.delete(id);
      }
  }
  for (const s of since.values()) downMs += END - s;
  return { failures, downtimeHours: Math.round((downMs / HOUR) * 10) / 10 };
}

main().catch((err: unknown) => {
  console.error(`bench:loop: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
