import { describe, expect, it } from 'vitest';
import { LIMITS, type IngestedAnnouncement } from '../../common/contracts/mqtt.ts';
import { MAX_PACKET_BYTES } from '../../common/contracts/mqtt-broker-policy.ts';
import type { ReadingRecord, StatusRecord } from '../core/journal-drainer.ts';
import { announcementPayloads } from './ingested-relay.ts';

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

  it('announces statuses without readings', () => {
    const payloads = announcementPayloads([], [status]);
    expect(payloads).toHaveLength(1);
    expect((JSON.parse(payloads[0]!) as IngestedAnnouncement).readings).toEqual([]);
  });
});
