// The network map as SVG, drawn from latitude/longitude only (no tiles): customer sites, stock locations
// (hub, field stock, counters, repair depot), technicians, and the routes of open orders.
import { h, svg } from './dom.js';

const W = 720;
const H = 560;
const PAD = 36;

// A coarse outline of Germany (lat, lon), only for orientation.
const OUTLINE = [
  [53.7, 7.0],
  [53.55, 8.1],
  [53.9, 8.7],
  [54.45, 8.6],
  [54.9, 8.3],
  [54.8, 9.4],
  [54.45, 10.1],
  [54.3, 10.9],
  [53.95, 10.9],
  [54.2, 11.7],
  [54.18, 12.3],
  [54.45, 12.9],
  [54.2, 13.8],
  [53.9, 14.25],
  [53.25, 14.4],
  [52.85, 14.15],
  [52.35, 14.6],
  [51.8, 14.7],
  [51.0, 14.95],
  [50.85, 14.3],
  [50.65, 13.5],
  [50.3, 12.4],
  [50.1, 12.2],
  [49.5, 12.6],
  [49.0, 13.4],
  [48.6, 13.8],
  [48.25, 13.0],
  [47.65, 13.05],
  [47.6, 12.1],
  [47.45, 10.9],
  [47.6, 10.2],
  [47.55, 9.6],
  [47.68, 8.6],
  [47.58, 7.6],
  [48.1, 7.6],
  [48.95, 8.2],
  [49.15, 6.85],
  [49.5, 6.35],
  [50.1, 6.1],
  [50.35, 6.4],
  [50.75, 6.0],
  [51.2, 6.1],
  [51.85, 5.95],
  [51.9, 6.8],
  [52.2, 7.05],
  [52.65, 6.7],
  [53.25, 7.2],
  [53.7, 7.0],
];

const KIND = {
  HUB: { label: 'Hub', shape: 'square', size: 9, cls: 'm-hub' },
  FSL: { label: 'Field stock location', shape: 'diamond', size: 8, cls: 'm-fsl' },
  COUNTER: { label: 'Pickup counter', shape: 'square', size: 5, cls: 'm-counter' },
  REPAIR_DEPOT: { label: 'Repair depot', shape: 'triangle', size: 7, cls: 'm-depot' },
};

const OPEN = (o) => !['COMPLETED', 'CANCELLED'].includes(o.status);

function projection(points) {
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  let [minLat, maxLat, minLon, maxLon] = [
    Math.min(...lats),
    Math.max(...lats),
    Math.min(...lons),
    Math.max(...lons),
  ];
  if (!Number.isFinite(minLat)) [minLat, maxLat, minLon, maxLon] = [47, 55, 6, 15];
  const padDeg = 0.4;
  minLat -= padDeg;
  maxLat += padDeg;
  minLon -= padDeg;
  maxLon += padDeg;
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = (maxLon - minLon) * k;
  const spanY = maxLat - minLat;
  const scale = Math.min((W - 2 * PAD) / spanX, (H - 2 * PAD) / spanY);
  const offX = (W - spanX * scale) / 2;
  const offY = (H - spanY * scale) / 2;
  return {
    x: (lon) => offX + (lon - minLon) * k * scale,
    y: (lat) => offY + (maxLat - lat) * scale,
    bounds: { minLat, maxLat, minLon, maxLon },
  };
}

function marker(shape, x, y, size, attrs) {
  if (shape === 'square')
    return svg('rect', { x: x - size, y: y - size, width: size * 2, height: size * 2, rx: 2, ...attrs });
  if (shape === 'diamond') {
    return svg('polygon', {
      points: `${x},${y - size - 1} ${x + size + 1},${y} ${x},${y + size + 1} ${x - size - 1},${y}`,
      ...attrs,
    });
  }
  if (shape === 'triangle')
    return svg('polygon', {
      points: `${x},${y - size} ${x + size},${y + size} ${x - size},${y + size}`,
      ...attrs,
    });
  return svg('circle', { cx: x, cy: y, r: size, ...attrs });
}

/**
 * Draws the map. network: GET /api/network; assets (optional): GET /api/assets, to place orders;
 * orders (optional): open orders are drawn as technician → pickup → site routes.
 */
export function networkMap({ network, assets = [], orders = [], tenants = new Map() }) {
  const { locations, technicians, sites } = network;
  const p = projection([...locations, ...technicians, ...sites]);
  const assetById = new Map(assets.map((a) => [a.id, a]));
  const locByCode = new Map(locations.map((l) => [l.code, l]));
  const techByCode = new Map(technicians.map((t) => [t.code, t]));
  const busySites = new Set();

  const grid = [];
  for (let lat = Math.ceil(p.bounds.minLat); lat <= p.bounds.maxLat; lat++) {
    grid.push(svg('line', { x1: 0, x2: W, y1: p.y(lat), y2: p.y(lat), class: 'map-grid' }));
    grid.push(svg('text', { x: 4, y: p.y(lat) - 3, class: 'map-grid-label' }, `${lat}°N`));
  }
  for (let lon = Math.ceil(p.bounds.minLon); lon <= p.bounds.maxLon; lon++) {
    grid.push(svg('line', { x1: p.x(lon), x2: p.x(lon), y1: 0, y2: H, class: 'map-grid' }));
    grid.push(svg('text', { x: p.x(lon) + 3, y: H - 4, class: 'map-grid-label' }, `${lon}°E`));
  }
  const outline = svg('polygon', {
    points: OUTLINE.map(([lat, lon]) => `${p.x(lon)},${p.y(lat)}`).join(' '),
    class: 'map-land',
  });

  const routes = [];
  for (const o of orders.filter(OPEN)) {
    const asset = assetById.get(o.assetId);
    if (!asset) continue;
    busySites.add(`${asset.lat},${asset.lon}`);
    const site = [p.x(asset.lon), p.y(asset.lat)];
    const pickup = o.pickup ? locByCode.get(o.pickup) : undefined;
    const source = o.source ? locByCode.get(o.source) : undefined;
    const tech = o.technician ? techByCode.get(o.technician.split(' ')[0]) : undefined;
    const title = svg('title', {}, `#${o.number} ${o.assetName}: ${o.failureMode} (${o.status})`);
    if (source && pickup && source !== pickup) {
      routes.push(
        svg(
          'line',
          {
            x1: p.x(source.lon),
            y1: p.y(source.lat),
            x2: p.x(pickup.lon),
            y2: p.y(pickup.lat),
            class: 'map-route map-route-parts',
          },
          title.cloneNode(true),
        ),
      );
    }
    const points = [
      tech && [p.x(tech.lon), p.y(tech.lat)],
      pickup && [p.x(pickup.lon), p.y(pickup.lat)],
      site,
    ].filter(Boolean);
    if (points.length > 1) {
      routes.push(
        svg(
          'polyline',
          {
            points: points.map((q) => q.join(',')).join(' '),
            class: `map-route ${o.slaTier === 'CRITICAL' ? 'map-route-critical' : ''}`,
          },
          title,
        ),
      );
    }
  }

  const siteMarks = sites.map((s) => {
    const x = p.x(s.lon);
    const y = p.y(s.lat);
    const busy = busySites.has(`${s.lat},${s.lon}`);
    return svg(
      'g',
      { class: `map-site ${busy ? 'map-site-busy' : ''}`, 'data-testid': 'map-site' },
      svg(
        'title',
        {},
        `${s.name} (${tenants.get(s.tenantId) ?? 'customer site'})${busy ? ': open service order' : ''}`,
      ),
      busy ? svg('circle', { cx: x, cy: y, r: 12, class: 'map-pulse' }) : null,
      svg('circle', { cx: x, cy: y, r: 6 }),
      svg('text', { x: x + 9, y: y + 4, class: 'map-label' }, s.name),
    );
  });
  const locMarks = locations.map((l) => {
    const kind = KIND[l.kind] ?? KIND.COUNTER;
    const x = p.x(l.lon);
    const y = p.y(l.lat);
    const stock = l.stock.map((s) => `${s.sku}: ${s.onHand - s.reserved} free of ${s.onHand}`).join('\n');
    return svg(
      'g',
      { class: `map-loc ${kind.cls}`, 'data-testid': 'map-location' },
      svg('title', {}, `${l.code} ${l.name} (${kind.label})${stock ? `\n${stock}` : ''}`),
      marker(kind.shape, x, y, kind.size, {}),
      // a repair depot shares its town with the hub: its label goes below the marker
      l.kind === 'REPAIR_DEPOT'
        ? svg(
            'text',
            { x: x + kind.size + 4, y: y + kind.size + 10, class: 'map-label map-label-code' },
            l.code,
          )
        : svg('text', { x: x + kind.size + 4, y: y - kind.size, class: 'map-label map-label-code' }, l.code),
    );
  });
  const techMarks = technicians.map((t) => {
    const x = p.x(t.lon);
    const y = p.y(t.lat);
    return svg(
      'g',
      { class: 'map-tech', 'data-testid': 'map-technician' },
      svg('title', {}, `${t.code} ${t.name} (${t.skills.join(', ')})`),
      svg('circle', { cx: x, cy: y, r: 5 }),
      svg('text', { x: x - 3, y: y + 15, class: 'map-label map-label-tech' }, t.code),
    );
  });

  const map = svg(
    'svg',
    {
      viewBox: `0 0 ${W} ${H}`,
      class: 'map',
      role: 'img',
      'aria-label': 'Map of customer sites, stock locations and technicians',
      'data-testid': 'network-map',
    },
    svg('rect', { x: 0, y: 0, width: W, height: H, class: 'map-sea' }),
    outline,
    grid,
    svg('g', {}, routes),
    svg('g', {}, siteMarks),
    svg('g', {}, locMarks),
    svg('g', {}, techMarks),
  );

  const legendItem = (cls, shape, text) =>
    h(
      'li',
      {},
      svg(
        'svg',
        { viewBox: '-8 -8 16 16', width: 14, height: 14, class: cls, 'aria-hidden': 'true' },
        marker(shape, 0, 0, 5, {}),
      ),
      text,
    );
  const legend = h(
    'ul',
    { class: 'map-legend' },
    legendItem('map-site', 'circle', 'Customer site'),
    legendItem('map-loc m-hub', 'square', 'Hub'),
    legendItem('map-loc m-fsl', 'diamond', 'Field stock'),
    legendItem('map-loc m-counter', 'square', 'Counter'),
    legendItem('map-loc m-depot', 'triangle', 'Repair depot'),
    legendItem('map-tech', 'circle', 'Technician'),
    h('li', {}, h('span', { class: 'legend-line' }), 'Route of an open order'),
  );
  return h('div', { class: 'map-wrap' }, map, legend);
}
