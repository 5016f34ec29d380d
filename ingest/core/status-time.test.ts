import { describe, expect, it } from 'vitest';
import { statusRecordedAt } from './status-time.ts';

const connectedAt = 1_000;
const birthAt = 1_050;
const droppedAt = 90_000;

describe('statusRecordedAt', () => {
  it("records a last will (dated at its connection's start) when ingest received it, after the birth", () => {
    expect(statusRecordedAt({ online: false, at: connectedAt, receivedAt: droppedAt }, birthAt)).toBe(
      droppedAt,
    );
  });

  it("keeps the device's own time for a birth and for an offline it sends itself", () => {
    expect(statusRecordedAt({ online: true, at: birthAt, receivedAt: birthAt + 5 }, 500)).toBe(birthAt);
    expect(statusRecordedAt({ online: false, at: 80_000, receivedAt: droppedAt }, birthAt)).toBe(80_000);
  });

  it('keeps the time without a known online or a receive time (old journal records)', () => {
    expect(statusRecordedAt({ online: false, at: connectedAt, receivedAt: droppedAt }, undefined)).toBe(
      connectedAt,
    );
    expect(statusRecordedAt({ online: false, at: connectedAt }, birthAt)).toBe(connectedAt);
  });

  it('never records a will before the online it follows, whatever the clocks say', () => {
    // ingest's clock behind the device's: the will still lands after the birth
    expect(statusRecordedAt({ online: false, at: connectedAt, receivedAt: 1_020 }, birthAt)).toBe(birthAt);
  });
});
