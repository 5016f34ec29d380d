import { describe, expect, it } from 'vitest';
import {
  cleanSkus,
  contractLabel,
  contractRefusal,
  contractSnapshot,
  deleteRefusal,
  RESPONSE_HOURS_MAX,
  unknownSkus,
} from './contract-admin.ts';
import { diff } from './tenant-admin.ts';

const contract = {
  name: 'Gold',
  tier: 'CRITICAL' as const,
  responseHours: 4,
  startsAt: null,
  endsAt: null,
  coversParts: true,
  coversLabour: true,
  coversTravel: true,
  coversShipping: true,
  excludedSkus: ['BRG-1'],
};

describe('service contract administration rules', () => {
  it('takes whole response hours from 1 to the maximum, and an end after the start', () => {
    const at = (iso: string) => new Date(iso);
    expect(contractRefusal(contract)).toBeNull();
    expect(contractRefusal({ ...contract, responseHours: RESPONSE_HOURS_MAX })).toBeNull();
    for (const h of [0, -1, 4.5, RESPONSE_HOURS_MAX + 1, Number.NaN, Infinity])
      expect(contractRefusal({ ...contract, responseHours: h })).toMatch(/responseHours/);
    expect(
      contractRefusal({
        ...contract,
        startsAt: at('2026-01-01T00:00:00Z'),
        endsAt: at('2026-01-01T00:00:00Z'),
      }),
    ).toMatch(/endsAt/);
    expect(contractRefusal({ ...contract, startsAt: null, endsAt: at('2026-01-01T00:00:00Z') })).toBeNull();
    // only what changes is judged: a contract written before the rules can be renamed, not moved further out
    const legacy = { ...contract, responseHours: 1000 };
    expect(contractRefusal(legacy, {})).toBeNull();
    expect(contractRefusal(legacy, { responseHours: 1000 })).toMatch(/responseHours/);
    const backwards = {
      ...contract,
      startsAt: at('2026-02-01T00:00:00Z'),
      endsAt: at('2026-01-01T00:00:00Z'),
    };
    expect(contractRefusal(backwards, {})).toBeNull();
    expect(contractRefusal(backwards, { endsAt: backwards.endsAt })).toMatch(/endsAt/);
  });

  it('records dates as text and compares excluded SKUs by their items', () => {
    const s = contractSnapshot({ ...contract, startsAt: new Date('2026-01-01T00:00:00Z') });
    expect(s.startsAt).toBe('2026-01-01T00:00:00.000Z');
    expect(diff(s, contractSnapshot({ ...contract, startsAt: new Date('2026-01-01T00:00:00Z') }))).toBeNull();
    expect(diff(s, { ...s, excludedSkus: [] })).toEqual({
      before: { excludedSkus: ['BRG-1'] },
      after: { excludedSkus: [] },
    });
    expect(contractLabel({ name: 'Gold' }, { name: 'Acme' })).toBe('Gold (Acme)');
  });

  it('cleans SKUs, finds unknown ones and refuses to delete a contract in use', () => {
    expect(cleanSkus([' BRG-1 ', '', 'BRG-1', 'SEAL-2'])).toEqual(['BRG-1', 'SEAL-2']);
    expect(unknownSkus(['BRG-1', 'X'], new Set(['BRG-1']))).toEqual(['X']);
    expect(deleteRefusal('Gold', 0)).toBeNull();
    expect(deleteRefusal('Gold', 1)).toMatch(/1 asset /);
    expect(deleteRefusal('Gold', 3)).toMatch(/3 assets/);
  });
});
