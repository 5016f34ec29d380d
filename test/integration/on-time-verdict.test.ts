// The on-time verdict of planning rounds over HTTP (demo world, no fleet): an order with an on-time option gets
// it; one with none is planned late, with the reason, escalated on the bus and shown honestly to the customer;
// one no plan can serve says why; and the dispatcher's choices preview ETA, cost and lateness.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveOrder } from '../../common/contracts/live.ts';
import type { OrderEscalation } from '../../common/events.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

describe('on-time verdict of planned orders', () => {
  let p: TestPlatform;
  const tokens: Record<string, string> = {};
  const escalations: OrderEscalation[] = [];

  const call = async <T = unknown>(who: string, method: string, url: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${tokens[who]}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${p.url}${url}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const orderOf = async (who: string, id: string) =>
    (await call<LiveOrder[]>(who, 'GET', '/api/orders?limit=1000')).body.find((o) => o.id === id);
  const planRound = async () =>
    expect((await call('dispatcher', 'POST', '/api/dispatch/plan')).status).toBe(200);

  /** A predicted order on an Acme asset, failing in `failsInMin` minutes (due-by 30 minutes earlier). */
  async function predictedOrder(failsInMin: number, opts: { skill?: string } = {}) {
    const techs = await p.db.technician.findMany();
    const modes = await p.db.failureMode.findMany({
      where: { equipmentModel: { assets: { some: { tenant: { slug: 'acme' } } } } },
      include: { part: { include: { stock: true } } },
    });
    let fm = modes.find(
      (m) =>
        techs.some((t) => t.skills.includes(m.skill)) &&
        m.part.stock.some((s) => s.onHand - s.reserved >= m.partQty),
    )!;
    if (opts.skill)
      fm = await p.db.failureMode.create({
        data: {
          equipmentModelId: fm.equipmentModelId,
          key: `verdict-${opts.skill}`,
          name: 'Nobody can fix this',
          skill: opts.skill,
          partId: fm.partId,
        },
        include: { part: { include: { stock: true } } },
      });
    const open = await p.db.serviceOrder.findMany({ where: { openKey: { not: null } } });
    const asset = await p.db.asset.findFirstOrThrow({
      where: {
        tenant: { slug: 'acme' },
        equipmentModelId: fm.equipmentModelId,
        ...(opts.skill ? {} : { id: { notIn: open.map((o) => o.assetId) } }),
      },
      include: { contract: true },
    });
    const now = Date.now();
    const order = await p.db.serviceOrder.create({
      data: {
        tenantId: asset.tenantId,
        assetId: asset.id,
        failureModeId: fm.id,
        openKey: `${asset.id}:${fm.id}`,
        slaTier: asset.contract.tier,
        expectedFailureAt: new Date(now + failsInMin * 60_000),
        dueBy: new Date(now + Math.max(0, failsInMin - 30) * 60_000),
      },
    });
    return order.id;
  }

  beforeAll(async () => {
    p = await startTestPlatform({}, { fleet: false });
    p.bus.on('order.escalated', (e) => void escalations.push(e));
    for (const [who, email, password] of [
      ['dispatcher', 'dispatcher@preempt.demo', 'dispatcher-demo'],
      ['customer', 'customer@acme.demo', 'customer-demo'],
    ] as const)
      tokens[who] = await p.login(email, password);
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('gives an order with an on-time option that option, with its verdict', async () => {
    const id = await predictedOrder(24 * 60);
    await planRound();
    const o = await orderOf('dispatcher', id);
    expect(o).toMatchObject({
      status: 'PLANNED',
      onTime: true,
      lateByMinutes: 0,
      verdictReason: null,
      escalated: false,
    });
    expect(o!.etaAt! <= o!.expectedFailureAt).toBe(true);
    expect(escalations.filter((e) => e.orderId === id)).toEqual([]);
  });

  it('plans an order with no on-time option late, says why, escalates it and tells the customer', async () => {
    const id = await predictedOrder(5);
    await planRound();
    const o = await orderOf('dispatcher', id);
    expect(o).toMatchObject({ status: 'PLANNED', onTime: false, escalated: true });
    expect(o!.etaAt! > o!.expectedFailureAt).toBe(true);
    expect(o!.lateByMinutes).toBe(
      Math.ceil((Date.parse(o!.etaAt!) - Date.parse(o!.expectedFailureAt)) / 60_000),
    );
    expect(o!.verdictReason).toMatch(/earliest arrival \d\d:\d\d UTC/);
    expect(escalations.filter((e) => e.orderId === id)).toEqual([
      { orderId: id, tenantId: o!.tenantId, reason: o!.verdictReason, lateByMinutes: o!.lateByMinutes },
    ]);
    // the customer sees the same honest verdict
    expect(await orderOf('customer', id)).toMatchObject({ onTime: false, lateByMinutes: o!.lateByMinutes });
    const history = await call<{ note: string | null }[]>('dispatcher', 'GET', `/api/orders/${id}/events`);
    expect(history.body.at(-1)?.note).toContain('after the expected failure');

    // the choices preview every technician's and staging's ETA, cost and verdict: all late here
    const choices = await call<{
      expectedFailureAt: string;
      technicians: {
        eligible: boolean;
        current: boolean;
        etaAt: string | null;
        cost: number | null;
        onTime: boolean | null;
        lateByMinutes: number | null;
      }[];
      stagings: {
        pickup: string;
        source: string;
        current: boolean;
        etaAt: string;
        cost: number;
        onTime: boolean;
      }[];
    }>('dispatcher', 'GET', `/api/orders/${id}/choices`);
    expect(choices.status).toBe(200);
    expect(choices.body.expectedFailureAt).toBe(o!.expectedFailureAt);
    const current = choices.body.technicians.find((t) => t.current)!;
    // the current technician's ETA, from now: as planned, give or take the seconds since
    expect(current.onTime).toBe(false);
    expect(Math.abs(Date.parse(current.etaAt!) - Date.parse(o!.etaAt!))).toBeLessThan(60_000);
    expect(Math.abs(current.lateByMinutes! - o!.lateByMinutes!)).toBeLessThanOrEqual(1);
    expect(current.cost).toBeGreaterThan(0);
    const eligible = choices.body.technicians.filter((t) => t.eligible);
    expect(eligible.length).toBeGreaterThan(0);
    for (const t of eligible) expect(t).toMatchObject({ onTime: false, cost: expect.any(Number) });
    expect(choices.body.stagings.filter((s) => s.current)).toHaveLength(1);
    expect(choices.body.stagings.every((s) => s.onTime === false && s.cost >= 0)).toBe(true);

    // a dispatcher's change keeps the verdict current and names the change
    const other = choices.body.technicians.find((t) => t.eligible) as unknown as {
      code: string;
      etaAt: string;
    };
    const moved = await call<LiveOrder>('dispatcher', 'POST', `/api/orders/${id}/reassign`, {
      technician: other.code,
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ onTime: false, escalated: true });
    expect(Math.abs(Date.parse(moved.body.etaAt!) - Date.parse(other.etaAt))).toBeLessThan(60_000);
    expect(moved.body.verdictReason).toMatch(
      new RegExp(`^reassigned to ${other.code} by dispatcher@preempt.demo`),
    );
  });

  it('leaves an order no plan can serve unplanned, with the reason, escalated once', async () => {
    const id = await predictedOrder(12 * 60, { skill: 'underwater-welding' });
    await planRound();
    await planRound();
    const o = await orderOf('dispatcher', id);
    expect(o).toMatchObject({
      status: 'PREDICTED',
      etaAt: null,
      onTime: false,
      lateByMinutes: null,
      verdictReason: 'no qualified technician free (skill underwater-welding)',
      escalated: true,
    });
    expect(escalations.filter((e) => e.orderId === id)).toEqual([
      { orderId: id, tenantId: o!.tenantId, reason: o!.verdictReason, lateByMinutes: null },
    ]);
    const choices = await call<{ stagings: unknown[] }>('dispatcher', 'GET', `/api/orders/${id}/choices`);
    expect(choices).toMatchObject({ status: 200, body: { stagings: [] } });
  });
});
