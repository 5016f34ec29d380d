// Closing orders in the whole platform (demo world, no fleet; RISK_CLEARED_POLICY=release with no grace): a job
// completed through the HTTP API starts its asset afresh in predict (worn readings logged before the repair do
// not reopen it), a cancel through the API snoozes the failure mode, and a risk-cleared order is released by the
// platform — technician and stock freed — with the customer seeing "cancelled – risk cleared".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveOrder } from '../../common/contracts/live.ts';
import type { ThresholdParams } from '../../predict/core/models/params.ts';
import { walkOrder } from '../helpers/field-walk.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

describe('closing orders in the whole platform (release policy)', () => {
  let p: TestPlatform;
  const tokens: Record<'dispatcher' | 'customer', string> = { dispatcher: '', customer: '' };
  let asset: { id: string; tenantId: string };
  let failureModeId: string;
  let worn: number;
  let healthy: number;
  let metric: string;
  let nextTs = Date.now();

  const call = async <T = unknown>(who: keyof typeof tokens, method: string, url: string, body?: unknown) => {
    const res = await fetch(`${p.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  /** Readings of the asset as ingest announces them, 10 s apart (or stamped from `loggedAt`: an upload). */
  async function feed(values: number[], loggedAt?: Date) {
    for (const [i, v] of values.entries()) {
      nextTs = Math.max(nextTs + 10_000, Date.now());
      const ts = loggedAt ? new Date(loggedAt.getTime() + i * 1_000) : new Date(nextTs);
      p.bus.emit('reading.ingested', {
        assetId: asset.id,
        tenantId: asset.tenantId,
        ts,
        metrics: { [metric]: v },
      });
      await p.bus.drain();
    }
  }
  const orders = () => p.db.serviceOrder.findMany({ where: { assetId: asset.id, failureModeId } });
  const openOrder = async () => (await orders()).find((o) => o.openKey !== null);

  beforeAll(async () => {
    p = await startTestPlatform(
      { RISK_CLEARED_POLICY: 'release', RISK_CLEARED_GRACE_MINUTES: '0' },
      { fleet: false },
    );
    tokens.dispatcher = await p.login('dispatcher@preempt.demo', 'dispatcher-demo');
    tokens.customer = await p.login('customer@acme.demo', 'customer-demo');
    // an Acme asset whose failure mode a technician can fix with a part in stock
    const techs = await p.db.technician.findMany();
    const acme = await p.db.tenant.findUniqueOrThrow({ where: { slug: 'acme' } });
    const modes = await p.db.failureMode.findMany({
      include: { part: { include: { stock: true } }, equipmentModel: { include: { metrics: true } } },
    });
    const fm = modes.find(
      (m) =>
        techs.some((t) => t.skills.includes(m.skill)) &&
        m.part.stock.some((s) => s.onHand - s.reserved >= m.partQty) &&
        m.equipmentModel.metrics.length > 0,
    )!;
    failureModeId = fm.id;
    asset = await p.db.asset.findFirstOrThrow({
      where: { equipmentModelId: fm.equipmentModelId, tenantId: acme.id },
    });
    const def = fm.equipmentModel.metrics[0]!;
    metric = def.name;
    const range = def.maxValid - def.minValid;
    worn = def.minValid + 0.9 * range;
    healthy = def.minValid + 0.1 * range;
    // one threshold model watches the failure mode: the demo's own versions of it are retired
    await p.db.modelVersion.updateMany({ where: { model: { failureModeId } }, data: { status: 'RETIRED' } });
    const params: ThresholdParams = {
      metric,
      direction: 'up',
      alertLevel: def.minValid + 0.5 * range,
      leadHours: 3,
      ewmaAlpha: 1,
      windowPoints: 5,
      horizonHours: 48,
      confirmations: 2,
      marginMinutes: 30,
      clearAfter: 3,
    };
    const model = await p.db.predictionModel.create({
      data: {
        key: 'closure-test/threshold',
        name: 'Closure test',
        kind: 'THRESHOLD',
        equipmentModelId: fm.equipmentModelId,
        failureModeId,
        versions: { create: { version: 1, status: 'ACTIVE', params: { ...params }, author: 'test' } },
      },
      include: { versions: true },
    });
    const v = model.versions[0]!;
    p.bus.emit('model.changed', {
      modelId: model.id,
      versionId: v.id,
      version: 1,
      status: 'ACTIVE',
      actor: 'test',
    });
    await p.bus.drain();
  }, 120_000);
  afterAll(async () => {
    await p?.stop();
  });

  async function plannedOrder(): Promise<LiveOrder> {
    await feed([worn, worn]);
    const o = await eventually(openOrder, 10_000);
    expect((await call('dispatcher', 'POST', '/api/dispatch/plan')).status).toBe(200);
    const { body } = await call<LiveOrder>('dispatcher', 'GET', `/api/orders/${o.id}`);
    expect(body.status).toBe('PLANNED');
    return body;
  }

  it('completes a job through the API; readings logged before the repair do not reopen it', async () => {
    let o = await plannedOrder();
    o = (await call<LiveOrder>('dispatcher', 'POST', `/api/orders/${o.id}/accept`)).body;
    o = await walkOrder(p, tokens.dispatcher, o.id, { removedSerial: 'SN-CLOSURE-1' });
    expect(o.status).toBe('COMPLETED');
    // the device's upload of what it logged during the visit, before the repair was done
    await feed([worn, worn, worn, worn], new Date(Date.parse(o.closedAt!) - 10_000));
    await feed([healthy, healthy, healthy]);
    expect(await orders()).toHaveLength(1);
  }, 60_000);

  it('releases a risk-cleared job on its own: technician and stock freed, the customer sees why', async () => {
    const o = await plannedOrder();
    const held = await p.db.reservation.findFirstOrThrow({ where: { orderId: o.id, status: 'HELD' } });
    const level = () =>
      p.db.stockLevel.findUniqueOrThrow({
        where: { locationId_partId: { locationId: held.locationId, partId: held.partId } },
      });
    const reserved = (await level()).reserved;
    await feed([healthy, healthy, healthy]); // the risk clears; no grace: the platform releases it within seconds
    const released = await eventually(async () => {
      const r = await call<LiveOrder>('customer', 'GET', `/api/orders/${o.id}`);
      return r.body.status === 'CANCELLED' && r.body;
    }, 10_000);
    expect(released).toMatchObject({
      cancelReason: 'RISK_CLEARED',
      customerStatus: 'cancelled – risk cleared',
    });
    expect((await level()).reserved).toBe(reserved - held.qty);
    const last = await p.db.orderEvent.findFirstOrThrow({
      where: { orderId: o.id },
      orderBy: { id: 'desc' },
    });
    expect(last).toMatchObject({ action: 'cancel', actor: 'platform (risk-cleared policy)' });
  }, 60_000);

  it('snoozes the failure mode on a cancel through the API: no order while snoozed', async () => {
    const o = await plannedOrder();
    const res = await call<LiveOrder>('dispatcher', 'POST', `/api/orders/${o.id}/cancel`, {
      reason: 'CUSTOMER_DECLINED',
      note: 'plant shut this week',
      snoozeHours: 48,
    });
    expect(res.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'CUSTOMER_DECLINED' });
    const before = await orders();
    await feed([worn, worn, worn, worn]);
    expect(await orders()).toHaveLength(before.length);
    expect(await openOrder()).toBeUndefined();
  }, 60_000);
});
