import { describe, expect, it } from 'vitest';
import { PacketSizeGuard } from './packet-size-guard.ts';

/** A fixed header (type byte and remaining length) followed by `body` bytes. */
function packet(remaining: number, body = remaining): Buffer {
  const len: number[] = [];
  let x = remaining;
  do {
    let b = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) b |= 0x80;
    len.push(b);
  } while (x > 0);
  return Buffer.concat([Buffer.from([0x30, ...len]), Buffer.alloc(body, 1)]);
}

describe('PacketSizeGuard', () => {
  it('follows packets of any size up to the limit, split anywhere', () => {
    const stream = Buffer.concat([packet(0), packet(127), packet(128), packet(70_000), packet(16_383)]);
    for (const step of [1, 2, 3, 7, 1000, stream.length]) {
      const guard = new PacketSizeGuard(70_000);
      let ok = true;
      for (let i = 0; i < stream.length; i += step) ok &&= guard.feed(stream.subarray(i, i + step));
      expect(ok, `step ${step}`).toBe(true);
    }
  });

  it('refuses a packet declaring more than the limit from its length bytes alone', () => {
    const guard = new PacketSizeGuard(128 * 1024);
    expect(guard.feed(packet(10))).toBe(true);
    expect(guard.feed(packet(200 * 1024 * 1024, 0))).toBe(false);
    expect(guard.refusedLength).toBeGreaterThan(128 * 1024);
  });

  it('refuses a length with more than four bytes', () => {
    expect(
      new PacketSizeGuard(Number.MAX_SAFE_INTEGER).feed(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x01])),
    ).toBe(false);
  });
});
