import { describe, expect, it } from 'vitest';
import { LIMITS, type IngestedAnnouncement } from '../../common/contracts/mqtt.ts';
import { MAX_PACKET_BYTES } from '../../common/contracts/mqtt-broker-policy.ts';
import { EventBus } from '../../common/event-bus.ts';
import type { AssetEventIngested, PlatformEvents } from '../../common/events.ts';
import { createLogger } from '../../common/logger.ts';
import type { EventRecord, ReadingRecord, StatusRecord } from '../core/journal-drainer.ts';
import { announcementPayloads, emitIngested, SeenIngested } from './ingested-relay.ts';

const reading = (i: number, metrics: number): ReadingRecord => ({
  k: 'reading',
  assetId: `engine-${i % 12}`,
  tenantId: 'cm0tenant0000000000000000',
  ts: 1_796_000_000_000 + i,
  metrics: Object.fromEntries(Array.from({ length: metrics }, (_, m) => [`sensor_${m}`, 1234.5678 + m])),
});
const status: StatusRecord = { k: 'status', assetId: 'engine-1', tenantId: 't', online: true, at: 5 };

describe('announcementPayloads', () => {
  it('splits a full batch of wide readings into messages under the packet limit, in order, statuses once', () => {
    const readings = Array.from({ length: 5_000 }, (_, i) => reading(i, 21));
    const payloads = announcementPayloads(readings, [status]);
    expect(payloads.length).toBeGreaterThan(10);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(LIMITS.maxPayloadBytes);
    const parsed = payloads.map((p) => JSON.parse(p) as IngestedAnnouncement);
    expect(parsed.flatMap((a) => a.readings.map((r) => r.ts))).toEqual(readings.map((r) => r.ts));
    expect(parsed.flatMap((a) => a.statuses)).toEqual([
      { assetId: 'engine-1', tenantId: 't', online: true, at: 5 },
    ]);
    expect(parsed[0]!.readings[0]).toEqual({
      assetId: readings[0]!.assetId,
      tenantId: readings[0]!.tenantId,
      ts: readings[0]!.ts,
      metrics: readings[0]!.metrics,
    });
  });

  it('sends a reading larger than the budget alone (it came in one device payload, so it fits a packet)', () => {
    const big = reading(1, 3_000);
    const payloads = announcementPayloads([reading(0, 1), big, reading(2, 1)], []);
    expect(Buffer.byteLength(payloads[1]!)).toBeGreaterThan(LIMITS.maxPayloadBytes);
    expect(payloads).toHaveLength(3);
    expect(Buffer.byteLength(payloads[1]!)).toBeLessThan(MAX_PACKET_BYTES);
  });

  it('splits many statuses too (a broker restart: every device reconnects in one batch), in order, within the budget', () => {
    const statuses: StatusRecord[] = Array.from({ length: 3_000 }, (_, i) => ({
      k: 'status',
      assetId: `cm0asset${String(i).padStart(17, '0')}`,
      tenantId: 'cm0tenant0000000000000000',
      online: i % 2 === 0,
      at: 1_796_000_000_000 + i,
    }));
    const payloads = announcementPayloads([reading(0, 1)], statuses, [code(0, 'E1')]);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(LIMITS.maxPayloadBytes);
    const parsed = payloads.map((p) => JSON.parse(p) as IngestedAnnouncement);
    expect(parsed.flatMap((a) => a.statuses).map((s) => s.at)).toEqual(statuses.map((s) => s.at));
    expect(parsed.flatMap((a) => a.readings)).toHaveLength(1);
    expect(parsed.flatMap((a) => a.events ?? [])).toHaveLength(1);
  });

  it('announces statuses without readings', () => {
    const payloads = announcementPayloads([], [status]);
    expect(payloads).toHaveLength(1);
    expect((JSON.parse(payloads[0]!) as IngestedAnnouncement).readings).toEqual([]);
  });
});

const code = (i: number, c: string): EventRecord => ({
  k: 'event',
  assetId: 'engine-1',
  tenantId: 't',
  ts: 1_796_000_000_000 + i,
  code: c,
  severity: 'warning',
});

describe('error codes in announcements', () => {
  it('sends the codes before the readings of the batch, within the budget, in order', () => {
    const codes = Array.from({ length: 3_000 }, (_, i) => code(i, `E${i % 5}`));
    const payloads = announcementPayloads([reading(0, 1)], [status], codes);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(LIMITS.maxPayloadBytes);
    const parsed = payloads.map((p) => JSON.parse(p) as IngestedAnnouncement);
    expect(parsed.flatMap((a) => a.events ?? []).map((e) => [e.ts, e.code])).toEqual(
      codes.map((e) => [e.ts, e.code]),
    );
    expect(parsed.at(-1)!.readings).toHaveLength(1);
    expect(parsed.flatMap((a) => a.statuses)).toHaveLength(1);
  });

  it('puts each code on the bus once (by asset, code and time), before the readings it came with', () => {
    const bus = new EventBus<PlatformEvents>(createLogger({ level: 'silent' }));
    const order: string[] = [];
    const codes: AssetEventIngested[] = [];
    bus.on('event.ingested', (e) => {
      codes.push(e);
      void order.push(`code ${e.code}`);
    });
    bus.on('reading.ingested', () => void order.push('reading'));
    const seen = new SeenIngested();
    const a = JSON.parse(announcementPayloads([reading(0, 1)], [], [code(0, 'E1'), code(0, 'E2')])[0]!);
    emitIngested(bus, seen, a as IngestedAnnouncement);
    emitIngested(bus, seen, a as IngestedAnnouncement); // announced twice (a replayed journal)
    expect(order).toEqual(['code E1', 'code E2', 'reading']);
    expect(codes[0]).toEqual({
      assetId: 'engine-1',
      tenantId: 't',
      ts: new Date(1_796_000_000_000),
      code: 'E1',
      severity: 'warning',
    });
  });
});
