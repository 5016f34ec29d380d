import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors.ts';
import { utcDay } from './job-day.ts';
import { checkPhoto, sniffImage } from './job-photo.ts';
import { geoUri, openingHours, osmDirections } from './navigation.ts';

const bytes = (...b: number[]) => new Uint8Array([...b, ...new Array(20).fill(0)]);
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as AppError).code;
  }
  return 'ok';
};

describe('job photos', () => {
  it('recognises JPEG, PNG and WebP by their first bytes', () => {
    expect(sniffImage(bytes(0xff, 0xd8, 0xff))).toBe('image/jpeg');
    expect(sniffImage(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('image/png');
    expect(sniffImage(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImage(new TextEncoder().encode('<svg onload=alert(1)>'))).toBeUndefined();
  });

  it('refuses a photo too large, of another type, or whose content belies its type', () => {
    const jpeg = bytes(0xff, 0xd8, 0xff);
    expect(checkPhoto('image/jpeg', jpeg, 100)).toBe('image/jpeg');
    expect(codeOf(() => checkPhoto('image/jpeg', jpeg, 10))).toBe('TECHNICIAN_PHOTO_TOO_LARGE');
    expect(codeOf(() => checkPhoto('image/png', jpeg, 100))).toBe('TECHNICIAN_PHOTO_TYPE');
    expect(codeOf(() => checkPhoto('image/svg+xml', new TextEncoder().encode('<svg/>'), 100))).toBe(
      'TECHNICIAN_PHOTO_TYPE',
    );
    expect(codeOf(() => checkPhoto('image/jpeg', new Uint8Array(), 100))).toBe('VALIDATION_FAILED');
  });
});

describe('the way there and the day', () => {
  it('links navigation from coordinates and states opening hours', () => {
    expect(geoUri({ lat: 53.55, lon: 9.99 })).toBe('geo:53.55000,9.99000');
    expect(osmDirections({ lat: 1, lon: 2 }, { lat: 3, lon: 4 })).toBe(
      'https://www.openstreetmap.org/directions?engine=fossgis_osrm_car&route=1.00000%2C2.00000%3B3.00000%2C4.00000',
    );
    expect(openingHours('07:00', '18:00')).toBe('07:00–18:00 UTC');
    expect(openingHours(null, null)).toBe('open around the clock');
  });

  it('takes a real calendar date only', () => {
    expect(utcDay('2026-12-03').start.toISOString()).toBe('2026-12-03T00:00:00.000Z');
    expect(utcDay('2026-12-03').end.toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(codeOf(() => utcDay('2026-02-30'))).toBe('VALIDATION_FAILED');
    // year 0 (PostgreSQL has none) and a day ending in year 10000 (Prisma writes none): 500 before
    for (const d of ['0000-01-01', '1969-12-31', '9999-12-31'])
      expect([d, codeOf(() => utcDay(d))]).toEqual([d, 'VALIDATION_FAILED']);
    expect(utcDay('1970-01-01').start.getTime()).toBe(0);
    expect(utcDay('9999-12-30').end.toISOString()).toBe('9999-12-31T00:00:00.000Z');
  });
});
