/** Great-circle distances (haversine) scaled to road kilometres. */

export const EARTH_RADIUS_KM = 6371.0088;

export interface LatLon {
  lat: number;
  lon: number;
}

const RAD = Math.PI / 180;

/** Great-circle distance in km between two points (haversine, R = 6371.0088 km). */
export function haversineKm(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const s1 = Math.sin(dLat / 2);
  const s2 = Math.sin(dLon / 2);
  const h = s1 * s1 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * s2 * s2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The spec's `dist(a, b)`: great-circle distance × roadFactor. */
export function roadKm(a: LatLon, b: LatLon, roadFactor: number): number {
  return haversineKm(a, b) * roadFactor;
}
