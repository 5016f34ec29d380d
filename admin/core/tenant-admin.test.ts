import { describe, expect, it } from 'vitest';
import { cleanAddress, cleanText, diff, siteLabel, SLUG_PATTERN } from './tenant-admin.ts';

describe('tenant and site administration rules', () => {
  it('records only what changed, and nothing for no change', () => {
    const before = { name: 'Plant', address: null, lat: 50, lon: 8 };
    expect(diff(before, { ...before, name: 'Plant 2', lat: 50.5 })).toEqual({
      before: { name: 'Plant', lat: 50 },
      after: { name: 'Plant 2', lat: 50.5 },
    });
    expect(diff(before, { ...before })).toBeNull();
  });

  it('cleans names and addresses; an empty address is none', () => {
    expect(cleanText('  North   plant ')).toBe('North plant');
    expect(cleanAddress('  ')).toBeNull();
    expect(cleanAddress(null)).toBeNull();
    expect(cleanAddress(undefined)).toBeUndefined();
    expect(cleanAddress(' Hauptstr. 1, Köln ')).toBe('Hauptstr. 1, Köln');
  });

  it('takes slugs of lower-case letters, digits and dashes', () => {
    const ok = new RegExp(SLUG_PATTERN);
    expect(['acme', 'globex-foods', 'a1'].every((s) => ok.test(s))).toBe(true);
    expect(['A', 'a', '-acme', 'acme corp', 'x'.repeat(41)].some((s) => ok.test(s))).toBe(false);
    expect(siteLabel({ name: 'Plant' }, { name: 'Acme' })).toBe('Plant (Acme)');
  });
});
