// Every fault kind is checked against ingest's own validation (ingest/core/parse-message.ts, pure): what reaches
// ingest is refused with the reason the fault says, and the spoofed reading is one ingest would take (only the
// broker can tell it is spoofed).
import { describe, expect, it } from 'vitest';
import { LIMITS, parseTopic } from '../../common/contracts/mqtt.ts';
import { parseMessage, type AssetInfo } from '../../ingest/core/parse-message.ts';
import { equipmentByKey, TURBOFAN } from './catalog.ts';
import { FAULT_KINDS, FaultGenerator, pickFaultRoles, SPOOF_AGE_MS, type FaultRoles } from './faults.ts';

const device = (tenant: string, assetId: string, equipment: string) => ({
  tenant,
  assetId,
  equipment: equipmentByKey.get(equipment)!,
});
const roles: FaultRoles = {
  faulty: device('acme', 'acme-px50-01', 'pump-px50'),
  spoofer: device('globex', 'globex-ch300-01', 'chiller-ch300'),
  victim: device('initech', 'initech-ct9-01', 'imaging-ct9'),
};
const assets = new Map<string, AssetInfo>(
  [roles.faulty, roles.spoofer, roles.victim].map((d) => [
    d.assetId,
    {
      assetId: d.assetId,
      tenantId: `id-${d.tenant}`,
      tenantSlug: d.tenant,
      metrics: new Map(d.equipment.metrics.map((m) => [m.name, { min: m.minValid, max: m.maxValid }])),
    },
  ]),
);
const now = Date.parse('2026-11-22T10:00:00Z');
const ingest = (topic: string, payload: Uint8Array) =>
  parseMessage(topic, payload, new Date(now), (id) => assets.get(id));

describe('FaultGenerator', () => {
  it('sends every kind once per round, in a seeded order', () => {
    const a = new FaultGenerator(roles, 7);
    const round = Array.from({ length: FAULT_KINDS.length }, () => a.next(now).kind);
    expect([...round].sort()).toEqual([...FAULT_KINDS].sort());
    const b = new FaultGenerator(roles, 7);
    expect(Array.from({ length: 30 }, () => b.next(now).kind)).toEqual([
      ...round,
      ...Array.from({ length: 30 - round.length }, () => a.next(now).kind),
    ]);
    const c = new FaultGenerator(roles, 8);
    expect(Array.from({ length: FAULT_KINDS.length }, () => c.next(now).kind)).not.toEqual(round);
  });

  it('makes each fault one that ingest refuses with the reason it expects', () => {
    const gen = new FaultGenerator(roles, 3);
    const seen = new Set<string>();
    for (let i = 0; i < FAULT_KINDS.length * 6; i++) {
      const f = gen.next(now);
      seen.add(f.kind);
      const outcome = ingest(f.topic, f.payload);
      if (f.kind === 'spoofed_topic') {
        // ingest alone would take it: the broker must refuse it
        expect(f.as).toBe('spoofer');
        expect(f.expect).toEqual({ broker: 'not_authorized' });
        expect(parseTopic(f.topic)?.asset).toBe(roles.victim.assetId);
        expect(outcome).toMatchObject({ ok: true, kind: 'telemetry' });
        if (outcome.ok && outcome.kind === 'telemetry')
          expect(outcome.readings[0]!.ts.getTime()).toBe(now - SPOOF_AGE_MS);
        continue;
      }
      expect(outcome, `${f.kind}: ${Buffer.from(f.payload).toString().slice(0, 120)}`).toMatchObject({
        ok: false,
        reason: f.expect.ingest,
      });
      if (f.kind === 'unknown_asset') {
        expect(f.as).toBe('unknown');
        expect(f.credentials!.username).toBe(parseTopic(f.topic)!.asset);
        expect(assets.has(f.credentials!.username)).toBe(false);
      } else {
        expect(f.as).toBe('faulty');
        expect(parseTopic(f.topic)?.asset).toBe(roles.faulty.assetId);
      }
      if (f.kind === 'too_large') expect(f.payload.byteLength).toBeGreaterThan(LIMITS.maxPayloadBytes);
    }
    expect(seen.size).toBe(FAULT_KINDS.length);
  });

  it('works with replayed equipment too', () => {
    const gen = new FaultGenerator({ ...roles, faulty: device('aero', 'aero-tf-01', TURBOFAN.key) }, 1);
    assets.set('aero-tf-01', {
      assetId: 'aero-tf-01',
      tenantId: 'id-aero',
      tenantSlug: 'aero',
      metrics: new Map(TURBOFAN.metrics.map((m) => [m.name, { min: m.minValid, max: m.maxValid }])),
    });
    for (let i = 0; i < FAULT_KINDS.length; i++) {
      const f = gen.next(now);
      if (f.expect.ingest && f.as === 'faulty')
        expect(ingest(f.topic, f.payload)).toMatchObject({ reason: f.expect.ingest });
    }
  });
});

describe('pickFaultRoles', () => {
  it('picks three different devices, the same for a seed', () => {
    const devices = ['a', 'b', 'c', 'd'].map((assetId) => ({ assetId }));
    const r = pickFaultRoles(devices, 7);
    expect(new Set([r.faulty, r.spoofer, r.victim]).size).toBe(3);
    expect(pickFaultRoles(devices, 7)).toEqual(r);
    const two = pickFaultRoles(devices.slice(0, 2), 7);
    expect(two.spoofer).not.toBe(two.victim);
    expect(() => pickFaultRoles(devices.slice(0, 1), 7)).toThrow(/at least 2 devices/);
  });
});
