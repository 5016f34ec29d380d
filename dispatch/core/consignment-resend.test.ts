// Re-sending a lost or damaged consignment: the source is the nearest location with unreserved units above its
// parts-plan target, else the hub; refused when nothing was lost that can be replaced or nothing can be sent.
import { describe, expect, it } from 'vitest';
import { decideResend, type LostConsignment, type ResendCandidate } from './consignment-resend.ts';
import { DEFAULT_POLICY } from './policy.ts';

const now = new Date('2026-12-04T10:00:00Z');
const loc = (
  code: string,
  kind: ResendCandidate['kind'],
  lat: number,
  available: number,
  target: number | null,
): ResendCandidate => ({ code, kind, lat, lon: 10, available, target });
const lost: LostConsignment = {
  code: 'TRF-000007',
  writtenOff: true,
  defective: false,
  to: 'FSL-HH',
  qty: 1,
};
const dest = loc('FSL-HH', 'FSL', 53.55, 0, 2);

describe('decideResend', () => {
  it('sends from the nearest location holding an unreserved unit above its target, by courier', () => {
    const d = decideResend(
      lost,
      [
        dest,
        loc('HUB', 'HUB', 51.3, 9, 4),
        loc('FSL-NEAR', 'FSL', 53.0, 2, 2), // at its target: nothing to spare
        loc('FSL-MID', 'FSL', 52.5, 3, 1),
        loc('FSL-FAR', 'FSL', 50.0, 5, 0),
        loc('RD', 'REPAIR_DEPOT', 53.5, 9, null),
      ],
      now,
      DEFAULT_POLICY,
    );
    expect(d).toMatchObject({ ok: true, from: 'FSL-MID', mode: 'COURIER', shipAt: now });
    if (!d.ok) throw new Error('refused');
    expect(d.etaAt.getTime()).toBeGreaterThan(now.getTime());
    expect(d.cost).toBeGreaterThan(DEFAULT_POLICY.shipping.courier.baseCost);
    expect(d.reason).toContain('TRF-000007');
  });

  it('falls back to the hub when nobody is above target (or no plan sets targets)', () => {
    const d = decideResend(
      lost,
      [dest, loc('HUB', 'HUB', 51.3, 1, 4), loc('FSL-X', 'FSL', 53.0, 3, null)],
      now,
      DEFAULT_POLICY,
    );
    expect(d).toMatchObject({ ok: true, from: 'HUB', mode: 'COURIER' });
  });

  it('ships overnight beyond the courier reach', () => {
    const far = { ...lost, to: 'FSL-S' };
    const d = decideResend(
      far,
      [loc('FSL-S', 'FSL', 47.5, 0, 1), loc('HUB', 'HUB', 54.5, 2, 1)],
      now,
      DEFAULT_POLICY,
    );
    expect(d).toMatchObject({
      ok: true,
      from: 'HUB',
      mode: 'OVERNIGHT',
      cost: DEFAULT_POLICY.shipping.overnight.cost,
    });
  });

  it('refuses when nothing can be sent, nothing was written off, or a defective part was lost', () => {
    const empty = [dest, loc('HUB', 'HUB', 51.3, 0, 0), loc('FSL-X', 'FSL', 53.0, 1, 1)];
    expect(decideResend(lost, empty, now, DEFAULT_POLICY)).toMatchObject({
      ok: false,
      code: 'PARTS_RESEND_NO_STOCK',
    });
    const stock = [dest, loc('HUB', 'HUB', 51.3, 5, 0)];
    expect(decideResend({ ...lost, writtenOff: false }, stock, now, DEFAULT_POLICY)).toMatchObject({
      ok: false,
      code: 'PARTS_RESEND_NOT_LOST',
    });
    expect(decideResend({ ...lost, defective: true }, stock, now, DEFAULT_POLICY)).toMatchObject({
      ok: false,
      code: 'PARTS_RESEND_NOT_LOST',
    });
    // units bound for the hub (excess going back to the reserve) are not re-sent
    expect(
      decideResend({ ...lost, to: 'HUB' }, [...stock, loc('FSL-Y', 'FSL', 52.0, 3, 0)], now, DEFAULT_POLICY),
    ).toMatchObject({ ok: false, code: 'PARTS_RESEND_NOT_NEEDED' });
    // the destination's own shelf is no source
    expect(
      decideResend({ ...lost, qty: 1 }, [{ ...dest, available: 5, target: 0 }], now, DEFAULT_POLICY),
    ).toMatchObject({
      ok: false,
      code: 'PARTS_RESEND_NO_STOCK',
    });
  });
});
