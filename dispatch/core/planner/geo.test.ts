import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_KM, haversineKm, roadKm } from './geo.ts';

const oneDegreeKm = (Math.PI / 180) * EARTH_RADIUS_KM;

describe('geo', () => {
  it('uses the spec radius 6371.0088 km', () => {
    expect(EARTH_RADIUS_KM).toBe(6371.0088);
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBeCloseTo(oneDegreeKm, 9);
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBeCloseTo(111.19508023, 6);
  });

  it('is zero for identical points and symmetric', () => {
    const a = { lat: 38.2, lon: -86.3 };
    const b = { lat: 39.1007, lon: -89.8536 };
    expect(haversineKm(a, a)).toBe(0);
    expect(haversineKm(a, b)).toBeCloseTo(haversineKm(b, a), 9);
  });

  it('handles antipodes and the date line', () => {
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
    expect(haversineKm({ lat: 0, lon: 179.5 }, { lat: 0, lon: -179.5 })).toBeCloseTo(oneDegreeKm, 6);
  });

  it('scales by roadFactor', () => {
    const a = { lat: 38.2, lon: -86.3 };
    const b = { lat: 37.9128, lon: -83.7925 };
    expect(roadKm(a, b, 1.3)).toBeCloseTo(haversineKm(a, b) * 1.3, 9);
  });
});
