// The predict service on an in-memory store: active versions open one order per asset and failure mode inside
// the order horizon from contract and parts network; shadow versions only record predictions.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../common/clock.ts';
import { EventBus } from '../common/event-bus.ts';
import type { PlatformEvents } from '../common/events.ts';
import { createLogger } from '../common/logger.ts';
import { MemoryPredictionStore } from './adapters/memory-prediction-store.ts';
import type { AssetPredictInfo, ModelVersionInfo } from './adapters/prediction-store.ts';
import type { ThresholdParams } from './core/models/params.ts';
import type { CrewMember } from './core/order-horizon.ts';
import { PredictService } from './predict-service.ts';

const t0 = new Date('2026-05-01T12:00:00Z');
const MIN = 60_000;

const params = (alertLevel: number, leadHours = 3): ThresholdParams => ({
  metric: 'temp',
  direction: 'up',
  alertLevel,
  leadHours,
  ewmaAlpha: 1,
  windowPoints: 5,
  horizonHours: 48,
  confirmations: 2,
  marginMinutes: 60,
});

const version = (id: string, status: 'ACTIVE' | 'SHADOW', p: ThresholdParams): ModelVersionInfo => ({
  versionId: id,
  modelId: `model-${id}`,
  label: `m@${id}`,
  kind: 'THRESHOLD',
  equipmentModelId: 'eq',
  failureModeId: 'fm',
  failureModeName: 'Overheating',
  skill: 'hvac',
  partId: 'part',
  partQty: 1,
  status,
  params: p,
});

const asset: AssetPredictInfo = {
  assetId: 'a1',
  tenantId: 't1',
  equipmentModelId: 'eq',
  tier: 'STANDARD',
  responseHours: 4,
  lat: 53.55,
  lon: 9.99,
};

async function setup(
  models: ModelVersionInfo[],
  crew: CrewMember[] = [],
  before?: (store: MemoryPredictionStore) => void,
) {
  const store = new MemoryPredictionStore(
    models,
    [asset],
    new Map([['part', [{ code: 'FSL-HH', kind: 'FSL' as const, lat: 53.56, lon: 10, available: 2 }]]]),
    crew,
  );
  const log = createLogger({ level: 'silent' });
  const bus = new EventBus<PlatformEvents>(log);
  const clock = new FakeClock(t0);
  before?.(store);
  const service = new PredictService(store, bus, clock, log);
  await service.start();
  const created: string[] = [];
  bus.on('order.created', (o) => void created.push(o.orderId));
  const feed = async (values: number[]) => {
    for (const v of values) {
      clock.advance(MIN);
      bus.emit('reading.ingested', { assetId: 'a1', tenantId: 't1', ts: clock.now(), metrics: { temp: v } });
      await bus.drain();
    }
  };
  /** A reading stamped `ts` (e.g. logged before a repair and uploaded later), arriving now. */
  const feedAt = async (ts: Date, values: number[]) => {
    for (const v of values) {
      clock.advance(MIN);
      bus.emit('reading.ingested', { assetId: 'a1', tenantId: 't1', ts, metrics: { temp: v } });
      await bus.drain();
    }
  };
  /** Dispatch closes the order (completed or cancelled), as OrderDesk announces it. */
  const close = async (status: 'COMPLETED' | 'CANCELLED', snoozeUntil?: Date) => {
    const o = store.orders.find((x) => x.openKey)!;
    o.openKey = null;
    bus.emit('order.closed', {
      orderId: o.id,
      tenantId: 't1',
      assetId: o.assetId,
      failureModeId: o.failureModeId,
      status,
      at: clock.now(),
      ...(snoozeUntil ? { snoozeUntil } : {}),
    });
    await bus.drain();
  };
  return { store, service, feed, feedAt, close, created, clock, bus };
}

describe('PredictService', () => {
  it('opens one order inside the horizon of contract + parts + margin, due before the failure', async () => {
    const { store, feed, created, service } = await setup([version('v1', 'ACTIVE', params(80))]);
    await feed([70, 85, 86, 87, 88]);
    expect(store.orders).toHaveLength(1);
    expect(created).toEqual(['o1']);
    const order = store.orders[0]!;
    const p = store.predictions[0]!;
    // due by the margin before the expected failure, or by the band's lower edge when that is sooner
    expect(order.dueBy.getTime()).toBe(
      Math.min(order.expectedFailureAt.getTime() - 60 * MIN, p.bandEarliestAt.getTime()),
    );
    expect(p.shadow).toBe(false);
    expect(p.modelVersionId).toBe('v1');
    const ev = p.evidence as {
      kind: string;
      horizon: { hours: number; partsMode: string; partsFrom: string };
    };
    expect(ev.kind).toBe('THRESHOLD');
    // local stock by courier (< 1 h) + 4 h response + 1 h margin
    expect(ev.horizon).toMatchObject({ partsMode: 'courier', partsFrom: 'FSL-HH' });
    expect(ev.horizon.hours).toBeGreaterThan(5);
    expect(ev.horizon.hours).toBeLessThan(6);
    expect(service.horizonFor(asset, version('v1', 'ACTIVE', params(80)), t0).responseHours).toBe(4);
  });

  it('does not open an order for a failure expected beyond the horizon', async () => {
    const { store, feed } = await setup([version('v1', 'ACTIVE', params(80, 30))]);
    await feed([85, 86, 87, 88]);
    expect(store.orders).toHaveLength(0);
    expect(store.predictions).toHaveLength(0);
  });

  it('orders earlier when the only qualified technician is booked for the next day and a half', async () => {
    const busy: CrewMember = {
      code: 'T-01',
      skills: ['hvac'],
      lat: 53.5,
      lon: 10,
      freeAt: t0.getTime() + 30 * 60 * MIN,
    };
    const other: CrewMember = { ...busy, code: 'T-02', skills: ['imaging'], freeAt: t0.getTime() };
    const { store, feed } = await setup([version('v1', 'ACTIVE', params(80, 30))], [busy, other]);
    await feed([85, 86, 87, 88]);
    expect(store.orders).toHaveLength(1);
    const ev = store.predictions[0]!.evidence as { horizon: { hours: number; technicianLeadHours: number } };
    expect(ev.horizon.technicianLeadHours).toBeGreaterThan(30);
    expect(ev.horizon.hours).toBeGreaterThan(35);
  });

  it('learns from a device catching up but decides on its current state', async () => {
    const { store, feedAt, feed, clock } = await setup([version('v1', 'ACTIVE', params(80))]);
    // an hour-old buffer of worn readings arrives: features learn, nothing is ordered yet
    for (const v of [70, 85, 86, 87, 88]) await feedAt(new Date(clock.now().getTime() - 60 * MIN), [v]);
    expect(store.orders).toHaveLength(0);
    // current readings decide (two confirmations)
    await feed([88, 88]);
    expect(store.orders).toHaveLength(1);
  });

  it('lets a shadow version predict beside the active one without opening orders', async () => {
    const { store, feed, created } = await setup([
      version('v1', 'ACTIVE', params(95)),
      version('v2', 'SHADOW', params(80)),
    ]);
    await feed([70, 85, 86, 87, 88, 89, 90]);
    expect(store.orders).toHaveLength(0);
    expect(created).toEqual([]);
    // once when its order would have opened, not at every reading
    expect(store.predictions).toHaveLength(1);
    expect(store.predictions[0]).toMatchObject({ modelVersionId: 'v2', shadow: true });
    await feed([96, 97, 98]);
    expect(store.orders).toHaveLength(1);
    expect(store.predictions.filter((p) => !p.shadow)).toHaveLength(1);
  });

  it('flags an open order whose risk disappears instead of cancelling it', async () => {
    const p = { ...params(80), clearAfter: 3 };
    const { store, feed } = await setup([version('v1', 'ACTIVE', p)]);
    await feed([85, 86, 70, 70, 70]);
    expect(store.orders[0]!.riskCleared).toBe(true);
    expect(store.orders[0]!.openKey).not.toBeNull();
    await feed([85, 86]);
    expect(store.orders[0]!.riskCleared).toBe(false);
    expect(store.orders).toHaveLength(1);
  });

  it("moves an open order's due-by earlier when its model now expects the failure sooner, never later", async () => {
    // an order this model opened on an earlier prediction: failure in 40 h, due in 39 h
    const { store, feed, bus } = await setup([version('v1', 'ACTIVE', params(80))], [], (s) => {
      s.predictions.push({
        id: 'p0',
        assetId: 'a1',
        failureModeId: 'fm',
        modelVersionId: 'v1',
        expectedFailureAt: new Date(t0.getTime() + 40 * 60 * MIN),
        bandEarliestAt: new Date(t0.getTime() + 39 * 60 * MIN),
        bandLatestAt: new Date(t0.getTime() + 41 * 60 * MIN),
        confidence: 0.8,
        evidence: {},
        shadow: false,
      });
      s.orders.push({
        id: 'o0',
        assetId: 'a1',
        failureModeId: 'fm',
        predictionId: 'p0',
        dueBy: new Date(t0.getTime() + 39 * 60 * MIN),
        expectedFailureAt: new Date(t0.getTime() + 40 * 60 * MIN),
        riskCleared: false,
        riskClearedAt: null,
        openKey: 'a1:fm',
      });
    });
    const advanced: PlatformEvents['order.forecast-advanced'][] = [];
    bus.on('order.forecast-advanced', (e) => void advanced.push(e));
    // one in-horizon estimate is not enough (2 confirmations), the second moves it
    await feed([85]);
    expect(advanced).toHaveLength(0);
    await feed([86]);
    expect(advanced).toHaveLength(1);
    const order = store.orders[0]!;
    expect(advanced[0]).toMatchObject({ orderId: 'o0', tenantId: 't1', dueBy: order.dueBy });
    expect(advanced[0]!.previousDueBy).toEqual(new Date(t0.getTime() + 39 * 60 * MIN));
    expect(order.dueBy.getTime()).toBeLessThan(t0.getTime() + 4 * 60 * MIN);
    expect(order.expectedFailureAt.getTime()).toBeLessThan(t0.getTime() + 5 * 60 * MIN);
    // the same estimate again, or a later one, moves nothing
    const dueBy = order.dueBy;
    await feed([87, 88, 89, 90]);
    expect(advanced).toHaveLength(1);
    expect(order.dueBy).toEqual(dueBy);
    expect(store.orders).toHaveLength(1);
  });

  it("leaves an open order's risk flag to the model that opened it", async () => {
    // v1 (alert 80) opens the order; v9, another model of the same failure mode (alert 95), sees no risk
    const { store, feed } = await setup([
      version('v1', 'ACTIVE', { ...params(80), clearAfter: 3 }),
      version('v9', 'ACTIVE', { ...params(95), clearAfter: 3 }),
    ]);
    await feed([85, 86, 87, 88, 89, 90]);
    expect(store.orders).toHaveLength(1);
    expect(store.orders[0]!.riskCleared).toBe(false);
    await feed([70, 70, 70]);
    expect(store.orders[0]!.riskCleared).toBe(true);
  });

  it('starts afresh after a completion: late pre-repair readings and a healthy stream raise nothing', async () => {
    const { store, feed, feedAt, close, clock } = await setup([version('v1', 'ACTIVE', params(80))]);
    await feed([70, 85, 86]);
    expect(store.orders).toHaveLength(1);
    const beforeRepair = new Date(clock.now().getTime() - 30_000);
    await close('COMPLETED');
    // the device's history upload: worn readings logged before the repair, arriving after it
    await feedAt(beforeRepair, [95, 96, 97, 98]);
    await feed([60, 61, 60, 62, 61]);
    expect(store.orders).toHaveLength(1);
    // fresh evidence after the repair opens a new order, after `confirmations` evaluations
    await feed([90]);
    expect(store.orders).toHaveLength(1);
    await feed([91]);
    expect(store.orders).toHaveLength(2);
  });

  it('needs fresh in-horizon evaluations after a cancel, not the pre-cancel streak', async () => {
    const { store, feed, close } = await setup([version('v1', 'ACTIVE', params(80))]);
    await feed([85, 86, 87, 88]);
    await close('CANCELLED');
    await feed([89]);
    expect(store.orders.filter((o) => o.openKey)).toHaveLength(0);
    await feed([90]);
    expect(store.orders.filter((o) => o.openKey)).toHaveLength(1);
  });

  it('raises no order for a snoozed pair but records its predictions; after the snooze it may', async () => {
    const { store, feed, close, clock } = await setup([version('v1', 'ACTIVE', params(80))]);
    await feed([85, 86]);
    await close('CANCELLED', new Date(clock.now().getTime() + 60 * MIN));
    const predictions = store.predictions.length;
    await feed(Array.from({ length: 30 }, () => 90));
    expect(store.orders.filter((o) => o.openKey)).toHaveLength(0);
    // recorded, not at every reading: once, and again 10 minutes later
    expect(store.predictions.length - predictions).toBeGreaterThanOrEqual(2);
    expect(store.predictions.length - predictions).toBeLessThanOrEqual(4);
    await feed(Array.from({ length: 31 }, () => 90));
    expect(store.orders.filter((o) => o.openKey)).toHaveLength(1);
  });

  it('after a restart, ignores readings logged before the last close it loads', async () => {
    const store = new MemoryPredictionStore([version('v1', 'ACTIVE', params(80))], [asset]);
    store.closures = [
      { assetId: 'a1', failureModeId: 'fm', closedAt: new Date(t0.getTime() + 60 * MIN), snoozeUntil: null },
    ];
    const log = createLogger({ level: 'silent' });
    const bus = new EventBus<PlatformEvents>(log);
    await new PredictService(store, bus, new FakeClock(new Date(t0.getTime() + 61 * MIN)), log).start();
    for (let i = 0; i < 5; i++) {
      bus.emit('reading.ingested', {
        assetId: 'a1',
        tenantId: 't1',
        ts: new Date(t0.getTime() + (50 + i) * MIN),
        metrics: { temp: 95 },
      });
      await bus.drain();
    }
    expect(store.orders).toHaveLength(0);
    expect(store.predictions).toHaveLength(0);
  });

  it('picks up a promotion: the newly active version opens orders', async () => {
    const { store, feed, service } = await setup([version('v2', 'SHADOW', params(80))]);
    await feed([85, 86]);
    expect(store.orders).toHaveLength(0);
    store.models = [version('v2', 'ACTIVE', params(80))];
    await service.reload();
    await feed([87, 88]);
    expect(store.orders).toHaveLength(1);
  });
});

describe('PredictService: the cost of a reading (issue 19)', () => {
  it('takes a reading without a promise unless its decision writes, and the next version after that write', async () => {
    const store = new MemoryPredictionStore(
      [version('v1', 'ACTIVE', params(80)), version('v2', 'SHADOW', params(80))],
      [asset],
    );
    const log = createLogger({ level: 'silent' });
    // the handler the service gives the bus, called as the bus calls it
    const bus = new EventBus<PlatformEvents>(log);
    let onReading: ((r: PlatformEvents['reading.ingested']) => void | Promise<void>) | undefined;
    const on = bus.on.bind(bus);
    bus.on = ((event, handler) => {
      if (event === 'reading.ingested') onReading = handler as typeof onReading;
      return on(event, handler);
    }) as typeof bus.on;
    const clock = new FakeClock(t0);
    await new PredictService(store, bus, clock, log).start();
    const take = (temp: number) => {
      clock.advance(MIN);
      return onReading!({ assetId: 'a1', tenantId: 't1', ts: clock.now(), metrics: { temp } });
    };
    expect(take(50)).toBeUndefined();
    expect(take(85)).toBeUndefined(); // one confirmation of two: nothing written
    const writing = take(86); // the order opens; the shadow version takes the reading after that
    expect(writing).toBeInstanceOf(Promise);
    expect(store.predictions.filter((p) => p.shadow)).toHaveLength(0);
    await writing;
    expect(store.orders).toHaveLength(1);
    expect(store.predictions.filter((p) => p.shadow)).toHaveLength(1);
    expect(take(60)).toBeUndefined();
  });
});
