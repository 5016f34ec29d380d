import { describe, expect, it } from 'vitest';
import { parseMessage, type AssetInfo } from './parse-message.ts';
import { topics } from '../../common/contracts/mqtt.ts';

const now = new Date('2026-05-01T12:00:00Z');
const asset: AssetInfo = {
  assetId: 'pump-1',
  tenantId: 'tid',
  tenantSlug: 'acme',
  metrics: new Map([
    ['vibration', { min: 0, max: 100 }],
    ['temp', { min: -50, max: 200 }],
  ]),
};
const lookup = (id: string) => (id === asset.assetId ? asset : undefined);
const topic = topics.telemetry('acme', 'pump-1');
const parse = (payload: string | object, t = topic) =>
  parseMessage(t, Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), now, lookup);

describe('parseMessage', () => {
  it('accepts one reading with an ISO timestamp', () => {
    const out = parse({ ts: '2026-05-01T11:59:00Z', metrics: { vibration: 2.5, temp: 40 } });
    expect(out).toMatchObject({
      ok: true,
      kind: 'telemetry',
      readings: [{ metrics: { vibration: 2.5, temp: 40 } }],
    });
  });

  it('accepts a batch with epoch-millisecond timestamps', () => {
    const out = parse({
      readings: [1, 2, 3].map((i) => ({ ts: now.getTime() - i * 1000, metrics: { temp: i } })),
    });
    expect(out.ok && out.kind === 'telemetry' && out.readings.length).toBe(3);
  });

  it('accepts birth and last-will status messages', () => {
    const out = parseMessage(
      topics.status('acme', 'pump-1'),
      Buffer.from(JSON.stringify({ state: 'offline', ts: now.getTime() })),
      now,
      lookup,
    );
    expect(out).toMatchObject({ ok: true, kind: 'status', online: false });
  });

  it("takes the machine's condition apart from the connection, and refuses one it does not know", () => {
    const status = (body: object) =>
      parseMessage(topics.status('acme', 'pump-1'), Buffer.from(JSON.stringify(body)), now, lookup);
    expect(status({ state: 'online', condition: 'down', ts: now.getTime() })).toMatchObject({
      ok: true,
      kind: 'status',
      online: true,
      condition: 'down',
    });
    expect(status({ state: 'online', ts: now.getTime() })).not.toHaveProperty('condition');
    expect(status({ state: 'online', condition: 'broken', ts: now.getTime() })).toMatchObject({
      ok: false,
      reason: 'schema',
    });
  });

  it.each([
    ['topic', 'not json at all', 'x/acme/pump-1'],
    ['not_json', '{"ts": 1, "metrics":', topic],
    ['not_finite', '{"ts": 1777636800000, "metrics": {"temp": 1e999}}', topic],
    ['schema', { ts: now.toISOString(), metrics: { temp: 'hot' } }, topic],
    ['schema', { ts: now.toISOString(), metrics: {} }, topic],
    ['unknown_asset', { ts: now.toISOString(), metrics: { temp: 1 } }, topics.telemetry('acme', 'nope')],
    ['unknown_asset', { ts: now.toISOString(), metrics: { temp: 1 } }, topics.telemetry('other', 'pump-1')],
    ['unknown_metric', { ts: now.toISOString(), metrics: { pressure: 1 } }, topic],
    ['out_of_range', { ts: now.toISOString(), metrics: { temp: 1000 } }, topic],
    ['too_old', { ts: '2026-04-20T00:00:00Z', metrics: { temp: 1 } }, topic],
    ['in_future', { ts: '2026-05-01T12:11:00Z', metrics: { temp: 1 } }, topic],
    [
      'too_many_metrics',
      { ts: now.toISOString(), metrics: Object.fromEntries([...Array(65)].map((_, i) => [`m${i}`, 1])) },
      topic,
    ],
    ['too_large', { ts: now.toISOString(), metrics: { temp: 1 }, pad: 'x'.repeat(70_000) }, topic],
  ])('rejects %s', (reason, payload, t) => {
    expect(parse(payload as object, t)).toMatchObject({ ok: false, reason });
  });

  it('rejects the whole batch when one reading is bad, so nothing is half-stored', () => {
    const out = parse({
      readings: [
        { ts: now.toISOString(), metrics: { temp: 1 } },
        { ts: now.toISOString(), metrics: { bad: 1 } },
      ],
    });
    expect(out).toMatchObject({ ok: false, reason: 'unknown_metric' });
  });

  // the per-model fast path accepts only what the general path accepts; anything else gets the general verdict
  it.each([
    ['schema', { ts: now.getTime(), metrics: { temp: 1 }, extra: 1 }],
    ['schema', { ts: now.getTime() + 0.5, metrics: { temp: 1 } }],
    ['schema', { ts: -1, metrics: { temp: 1 } }],
    ['schema', { ts: '2026-05-01 11:59', metrics: { temp: 1 } }],
    ['schema', { ts: '2026-05-01T11:59:00', metrics: { temp: 1 } }],
    ['schema', { ts: now.getTime(), metrics: [1] }],
    ['schema', { readings: [] }],
    ['schema', { readings: [{ ts: now.getTime(), metrics: { temp: 1 } }], ts: now.getTime() }],
    ['schema', { readings: [{ ts: now.getTime(), metrics: { temp: 1 }, x: 1 }] }],
    ['not_finite', '{"readings": [{"ts": 1777636800000, "metrics": {"temp": -1e999}}]}'],
    ['not_finite', '{"ts": 1e999, "metrics": {"temp": 1}}'],
    ['schema', '{"ts": 1777636800000, "metrics": {"temp": 1, "__proto__": 1}}'],
    ['out_of_range', { readings: [{ ts: now.getTime(), metrics: { temp: 1, vibration: 101 } }] }],
    ['too_old', { readings: [{ ts: now.getTime() - 8 * 86_400_000, metrics: { temp: 1 } }] }],
  ])('the fast path leaves %s to the general checks: %j', (reason, payload) => {
    expect(parse(payload)).toMatchObject({ ok: false, reason });
  });

  it('checks a metric name the contract refuses by the contract, even if the equipment model has it', () => {
    const odd: AssetInfo = { ...asset, metrics: new Map([['1st', { min: 0, max: 9 }]]) };
    const out = parseMessage(
      topic,
      Buffer.from(JSON.stringify({ ts: now.getTime(), metrics: { '1st': 1 } })),
      now,
      () => odd,
    );
    expect(out).toMatchObject({ ok: false, reason: 'schema' });
  });

  it('gives the same readings through the fast path, its checks compiled once per metrics map', () => {
    const ms = now.getTime() - 5000;
    const out = parse({
      readings: [
        { ts: ms, metrics: { temp: 40 } },
        { ts: '2026-05-01T11:59:00Z', metrics: { vibration: 0, temp: -50 } },
      ],
    });
    expect(out).toEqual({
      ok: true,
      kind: 'telemetry',
      asset,
      readings: [
        { ts: new Date(ms), metrics: { temp: 40 } },
        { ts: new Date('2026-05-01T11:59:00Z'), metrics: { vibration: 0, temp: -50 } },
      ],
    });
    // a reloaded model (a new map) is compiled again: a narrower range applies at once
    const narrower: AssetInfo = { ...asset, metrics: new Map([['temp', { min: 0, max: 10 }]]) };
    const again = parseMessage(
      topic,
      Buffer.from(JSON.stringify({ ts: ms, metrics: { temp: 40 } })),
      now,
      () => narrower,
    );
    expect(again).toMatchObject({ ok: false, reason: 'out_of_range' });
  });

  describe('events', () => {
    const ev = topics.events('acme', 'pump-1');

    it('accepts one code (severity defaults to warning) and a batch', () => {
      expect(parse({ code: 'E-217', ts: '2026-05-01T11:59:00Z' }, ev)).toMatchObject({
        ok: true,
        kind: 'events',
        events: [{ code: 'E-217', severity: 'warning' }],
      });
      const batch = parse(
        {
          events: [
            { code: 'error4', severity: 'critical', ts: now.getTime() - 1000 },
            { code: 'HP_LOW', severity: 'info', ts: now.getTime() },
          ],
        },
        ev,
      );
      expect(batch.ok && batch.kind === 'events' && batch.events.map((e) => e.severity)).toEqual([
        'critical',
        'info',
      ]);
    });

    it('refuses a bad code, severity or shape, an old event, and another tenant', () => {
      expect(parse({ code: '', ts: now.getTime() }, ev)).toMatchObject({ ok: false, reason: 'schema' });
      expect(parse({ code: 'E1', severity: 'fatal', ts: now.getTime() }, ev)).toMatchObject({
        ok: false,
        reason: 'schema',
      });
      expect(parse({ code: 'E1', ts: now.getTime(), metrics: {} }, ev)).toMatchObject({
        ok: false,
        reason: 'schema',
      });
      expect(parse({ events: [] }, ev)).toMatchObject({ ok: false, reason: 'schema' });
      expect(parse({ code: 'E1', ts: now.getTime() - 8 * 86_400_000 }, ev)).toMatchObject({
        ok: false,
        reason: 'too_old',
      });
      expect(parse({ code: 'E1', ts: now.getTime() }, topics.events('globex', 'pump-1'))).toMatchObject({
        ok: false,
        reason: 'unknown_asset',
      });
    });
  });
});
