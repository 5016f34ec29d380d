// A stock transfer the carrier reports lost or damaged, on the whole platform (real PostgreSQL): the signed
// exception writes its units off (out of transit, in the audit log, never stock), the desk re-sends it from the
// nearest location with units above its parts-plan target — once, refused with a 409 code when it cannot — and a
// written-off parcel that turns up after all is booked in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../common/password.ts';
import { transferCode } from '../../dispatch/core/transfer-document.ts';
import { postCarrierEvent } from '../helpers/carrier-event.ts';
import {
  appliedPartsPlan,
  dispatchWorld,
  predictedOrder,
  stockViolations,
  type DispatchWorld,
} from '../helpers/dispatch-world.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const SECRET = 'fastfreight-test-secret-0123456789';

describe('lost consignments written off and re-sent (real PostgreSQL)', () => {
  let p: TestPlatform;
  let w: DispatchWorld;
  const tokens: Record<string, string> = {};

  const post = (eventId: string, ref: string, kind: string, detail?: string) =>
    postCarrierEvent(
      p.url,
      { eventId, shipmentId: ref, kind, at: new Date().toISOString(), ...(detail ? { detail } : {}) },
      { secret: SECRET },
    );
  const call = async <T = Record<string, unknown>>(who: string, method: string, path: string) => {
    const res = await fetch(`${p.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}` },
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const onHand = async (locationId: string) =>
    (
      await p.db.stockLevel.findUnique({
        where: { locationId_partId: { locationId, partId: w.part.id } },
      })
    )?.onHand ?? 0;
  const transfer = (fromId: string, toId: string, qty: number) =>
    p.db.stockTransfer.create({
      data: {
        fromLocationId: fromId,
        toLocationId: toId,
        partId: w.part.id,
        qty,
        mode: 'OVERNIGHT',
        cost: 55,
        shipAt: new Date(),
        etaAt: new Date(Date.now() + 86_400_000),
      },
    });

  beforeAll(async () => {
    p = await startTestPlatform(
      { DEMO: 'false', CARRIER_SECRETS: `fastfreight=${SECRET}` },
      { fleet: false },
    );
    w = await dispatchWorld(p.db);
    const tech = await p.db.technician.findUniqueOrThrow({ where: { code: 'T-F' } });
    for (const [who, role, tenantId] of [
      ['dispatcher', 'DISPATCHER', null],
      ['customer', 'CUSTOMER', w.tenant.id],
      ['engineer', 'ENGINEER', null],
      ['technician', 'TECHNICIAN', null],
    ] as const) {
      await p.db.user.create({
        data: {
          email: `${who}@resend.test`,
          name: who,
          role,
          tenantId,
          technicianId: role === 'TECHNICIAN' ? tech.id : null,
          passwordHash: await hashPassword(`${who}-pass-1`),
        },
      });
      tokens[who] = await p.login(`${who}@resend.test`, `${who}-pass-1`);
    }
    // the applied plan: FSL-1 (5 on the shelf) needs 2, so 3 to spare; FSL-2 needs 3; the hub 20 (it holds 20)
    await appliedPartsPlan(p.db, w.part.sku, [
      { code: 'FSL-1', kind: 'fsl', target: 2 },
      { code: 'FSL-2', kind: 'fsl', target: 3 },
      { code: 'HUB', kind: 'hub', target: 20 },
    ]);
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('writes a lost transfer off, re-sends it once from the nearest spare unit, and books it in if it turns up', async () => {
    const { hub, fsl1, fsl2 } = w.locations;
    const lost = await transfer(hub.id, fsl2.id, 1);
    const code = transferCode(lost.number);
    const fsl2Before = await onHand(fsl2.id);

    expect(await post('x-1', code, 'PICKED_UP')).toMatchObject({ status: 200 });
    expect(await post('x-2', code, 'EXCEPTION', 'parcel lost in depot fire')).toMatchObject({
      status: 200,
      body: { state: 'EXCEPTION', duplicate: false },
    });
    // written off: out of the in-transit count, recorded with the reason, not stock anywhere
    const off = await p.db.stockTransfer.findUniqueOrThrow({ where: { id: lost.id } });
    expect(off).toMatchObject({
      status: 'WRITTEN_OFF',
      writeOffReason: 'carrier exception: parcel lost in depot fire',
    });
    const inTransit = await call<{ id: string }[]>(
      'dispatcher',
      'GET',
      '/api/parts/transfers?status=IN_TRANSIT',
    );
    expect(inTransit.body.map((t) => t.id)).not.toContain(lost.id);
    const audit = await p.db.auditLog.findMany({ where: { targetId: lost.id } });
    expect(audit).toMatchObject([
      {
        action: 'stock.written-off',
        actor: 'carrier fastfreight',
        after: expect.objectContaining({ qty: 1 }),
      },
    ]);
    expect(await onHand(fsl2.id)).toBe(fsl2Before);
    // a replay writes off nothing more
    expect((await post('x-2', code, 'EXCEPTION', 'parcel lost in depot fire')).body).toMatchObject({
      duplicate: true,
    });
    expect(await p.db.auditLog.count({ where: { targetId: lost.id } })).toBe(1);

    // customers have no access to the network's stock
    expect((await call('customer', 'POST', `/api/parts/consignments/${code}/resend`)).status).toBe(403);
    const fsl1Before = await onHand(fsl1.id);
    const first = await call<{ created: boolean; transfer: Record<string, unknown> }>(
      'dispatcher',
      'POST',
      `/api/parts/consignments/${code}/resend`,
    );
    expect(first).toMatchObject({
      status: 200,
      body: {
        created: true,
        transfer: {
          from: 'FSL-1',
          to: 'FSL-2',
          qty: 1,
          mode: 'COURIER',
          status: 'IN_TRANSIT',
          purpose: 'RESEND',
          resendOf: lost.id,
        },
      },
    });
    expect(await onHand(fsl1.id)).toBe(fsl1Before - 1);
    // idempotent: the same transfer, nothing moved twice
    const again = await call<{ created: boolean; transfer: { id: string } }>(
      'dispatcher',
      'POST',
      `/api/parts/consignments/${lost.id}/resend`,
    );
    expect(again).toMatchObject({
      status: 200,
      body: { created: false, transfer: { id: first.body.transfer.id } },
    });
    expect(await onHand(fsl1.id)).toBe(fsl1Before - 1);
    expect(await p.db.auditLog.count({ where: { targetId: lost.id, action: 'stock.resent' } })).toBe(1);

    // the lost parcel turns up after all: its unit is stock at its destination, recorded
    expect((await post('x-3', code, 'DELIVERED')).body).toMatchObject({ state: 'DELIVERED' });
    expect(await onHand(fsl2.id)).toBe(fsl2Before + 1);
    expect(await p.db.stockTransfer.findUniqueOrThrow({ where: { id: lost.id } })).toMatchObject({
      status: 'RECEIVED',
    });
    expect(await p.db.auditLog.count({ where: { targetId: lost.id, action: 'stock.turned-up' } })).toBe(1);
    expect(await stockViolations(p.db)).toEqual([]);
  });

  it('refuses with a 409 code what is not lost or cannot be sent, and 404 what does not exist', async () => {
    const { hub, fsl2 } = w.locations;
    const moving = await transfer(hub.id, fsl2.id, 1);
    expect(
      await call('dispatcher', 'POST', `/api/parts/consignments/${transferCode(moving.number)}/resend`),
    ).toMatchObject({
      status: 409,
      body: { code: 'PARTS_RESEND_NOT_LOST' },
    });
    // 30 units: nobody holds that many above target, the hub has 20
    const big = await transfer(hub.id, fsl2.id, 30);
    await post('y-1', transferCode(big.number), 'EXCEPTION', 'pallet damaged');
    expect(
      await call('dispatcher', 'POST', `/api/parts/consignments/${transferCode(big.number)}/resend`),
    ).toMatchObject({
      status: 409,
      body: { code: 'PARTS_RESEND_NO_STOCK' },
    });
    expect(await p.db.stockTransfer.count({ where: { resendOf: big.id } })).toBe(0);
    expect((await call('dispatcher', 'POST', '/api/parts/consignments/TRF-999999/resend')).status).toBe(404);
  });

  it('shows a lost return in the returns API with its write-off, re-sends an unused part once, never a defective one', async () => {
    const { fsl2, depot } = w.locations;
    const { order } = await predictedOrder(p.db, w, 1);
    const ret = (reason: 'UNUSED' | 'DEFECTIVE', toLocationId: string, serial: string, orderId = order.id) =>
      p.db.returnAuthorization.create({
        data: { orderId, partId: w.part.id, serial, reason, toLocationId },
      });
    const unused = await ret('UNUSED', fsl2.id, 'SN-U');
    const defective = await ret('DEFECTIVE', depot.id, 'SN-D');
    type View = { rma: string; writtenOff: null | Record<string, unknown> };
    const view = async (id: string) => (await call<View>('dispatcher', 'GET', `/api/returns/${id}`)).body;
    expect((await view(unused.id)).writtenOff).toBeNull();

    const unusedRma = (await view(unused.id)).rma;
    const defectiveRma = (await view(defective.id)).rma;
    await post('r-1', unusedRma, 'EXCEPTION', 'crushed in transit');
    await post('r-2', defectiveRma, 'EXCEPTION', 'lost');
    expect((await view(unused.id)).writtenOff).toMatchObject({
      reason: 'carrier exception: crushed in transit',
      resentAs: null,
      resendable: true,
    });
    expect((await view(defective.id)).writtenOff).toMatchObject({ resendable: false, resentAs: null });
    // an engineer reads returns (write-off included) but does not re-send; a customer or a technician does neither
    expect((await call<View>('engineer', 'GET', `/api/returns/${unused.id}`)).body.writtenOff).toMatchObject({
      resendable: true,
    });
    for (const who of ['engineer', 'customer', 'technician']) {
      expect((await call(who, 'POST', `/api/parts/consignments/${unusedRma}/resend`)).status).toBe(403);
      if (who !== 'engineer') {
        expect((await call(who, 'GET', `/api/returns/${unused.id}`)).status).toBe(403);
        expect((await call(who, 'GET', `/api/returns?orderId=${order.id}`)).status).toBe(403);
      }
    }
    expect(await p.db.stockTransfer.count({ where: { resendOf: unused.id } })).toBe(0);
    expect(await call('dispatcher', 'POST', `/api/parts/consignments/${defectiveRma}/resend`)).toMatchObject({
      status: 409,
      body: { code: 'PARTS_RESEND_NOT_LOST' },
    });

    const sent = await call<{ transfer: { code: string; to: string } }>(
      'dispatcher',
      'POST',
      `/api/parts/consignments/${unusedRma}/resend`,
    );
    expect(sent).toMatchObject({ status: 200, body: { transfer: { to: 'FSL-2' } } });
    // the list shows the same: re-sent, no longer re-sendable
    const list = await call<(View & { id: string })[]>(
      'dispatcher',
      'GET',
      `/api/returns?orderId=${order.id}`,
    );
    expect(list.body.find((r) => r.id === unused.id)?.writtenOff).toMatchObject({
      resentAs: sent.body.transfer.code,
      resendable: false,
    });

    // bound for the hub: nothing to re-send; turned up after the write-off: nothing lost any more
    const toHub = await ret(
      'UNUSED',
      w.locations.hub.id,
      'SN-H',
      (await predictedOrder(p.db, w, 2)).order.id,
    );
    const late = await ret('UNUSED', fsl2.id, 'SN-L', (await predictedOrder(p.db, w, 3)).order.id);
    const hubRma = (await view(toHub.id)).rma;
    const lateRma = (await view(late.id)).rma;
    await post('r-3', hubRma, 'EXCEPTION', 'lost');
    await post('r-4', lateRma, 'EXCEPTION', 'lost');
    await post('r-5', lateRma, 'DELIVERED');
    expect((await view(toHub.id)).writtenOff).toMatchObject({ resendable: false, resentAs: null });
    expect((await view(late.id)).writtenOff).toMatchObject({ resendable: false, resentAs: null });
    expect(await call('dispatcher', 'POST', `/api/parts/consignments/${hubRma}/resend`)).toMatchObject({
      status: 409,
      body: { code: 'PARTS_RESEND_NOT_NEEDED' },
    });
    expect(await call('dispatcher', 'POST', `/api/parts/consignments/${lateRma}/resend`)).toMatchObject({
      status: 409,
      body: { code: 'PARTS_RESEND_NOT_LOST' },
    });
    expect(await stockViolations(p.db)).toEqual([]);
  });
});
