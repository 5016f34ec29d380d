import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../common/contracts/mqtt.ts';
import { batchReadings } from './batches.ts';

const reading = (i: number, metrics = 24) => ({
  ts: 1_795_350_900_000 + i * 1000,
  metrics: Object.fromEntries(Array.from({ length: metrics }, (_, m) => [`s${m + 1}`, 1234.5678 + m])),
});

describe('batchReadings', () => {
  it('keeps every message within the payload and readings limits, in order', () => {
    const readings = Array.from({ length: 1200 }, (_, i) => reading(i));
    const batches = batchReadings(readings);
    expect(batches.flat()).toEqual(readings);
    for (const b of batches) {
      expect(b.length).toBeLessThanOrEqual(LIMITS.maxReadingsPerMessage);
      expect(Buffer.byteLength(JSON.stringify({ readings: b }))).toBeLessThanOrEqual(LIMITS.maxPayloadBytes);
    }
    expect(batches.length).toBeGreaterThan(3); // 24 metrics a reading: ~220 readings fit in 64 KiB
  });

  it('counts readings as well as bytes', () => {
    const small = Array.from({ length: 1001 }, (_, i) => reading(i, 1));
    expect(batchReadings(small).map((b) => b.length)).toEqual([500, 500, 1]);
    expect(batchReadings([])).toEqual([]);
  });

  it('refuses a reading that fits in no message', () => {
    expect(() => batchReadings([reading(0, 24)], 100)).toThrow(/does not fit/);
  });
});
