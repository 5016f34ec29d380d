// Navigation links from coordinates: a geo: URI (the phone's map app) and OpenStreetMap directions (any browser).
export interface Point {
  lat: number;
  lon: number;
}

const c = (n: number) => n.toFixed(5);

export const geoUri = (to: Point) => `geo:${c(to.lat)},${c(to.lon)}`;

export const osmDirections = (from: Point, to: Point) =>
  `https://www.openstreetmap.org/directions?engine=fossgis_osrm_car&route=${c(from.lat)}%2C${c(from.lon)}%3B${c(to.lat)}%2C${c(to.lon)}`;

export const navigation = (from: Point, to: Point) => ({ geo: geoUri(to), osm: osmDirections(from, to) });

/** Opening hours of a counter as people read them: "07:00–18:00 UTC", or open around the clock. */
export const openingHours = (openUtc: string | null, closeUtc: string | null) =>
  openUtc && closeUtc ? `${openUtc}–${closeUtc} UTC` : 'open around the clock';
