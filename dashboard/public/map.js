// The network map as SVG, drawn from latitude/longitude only (no tiles): customer sites, stock locations (hub,
// field stock, counters, repair depot) with their serviceable stock, technicians, the routes of open orders and
// the parts on the move. Pan (drag, arrow keys) and zoom (wheel, +/− buttons and keys, 0 to reset) redraw the
// marks at a constant size; labels are placed so they never overlap (those that do not fit are left out until
// one zooms in: each mark keeps its title). A location's badge counts its free serviceable units; clicking it
// (or Enter on it) shows its stock per part. The legend explains every marker and line.
/* global CSS */
import { h, svg } from './dom.js';
import { placeLabels } from './map-labels.js';
import { panZoom } from './map-pan-zoom.js';

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
  HUB: { label: 'Hub (central stock, ships overnight)', shape: 'square', size: 9, cls: 'm-hub', rank: 0 },
  FSL: { label: 'Field stock location', shape: 'diamond', size: 8, cls: 'm-fsl', rank: 1 },
  REPAIR_DEPOT: { label: 'Repair depot', shape: 'triangle', size: 7, cls: 'm-depot', rank: 2 },
  COUNTER: { label: 'Pickup counter', shape: 'square', size: 5, cls: 'm-counter', rank: 3 },
};

/** Every line the map draws, as the legend explains it. */
export const LINES = [
  { cls: 'map-route', text: 'Technician route: technician → pickup → site' },
  { cls: 'map-route map-route-critical', text: 'Technician route of a critical-tier order' },
  { cls: 'map-move map-move-courier', text: 'Part by courier to the pickup (same day)' },
  { cls: 'map-move map-move-overnight', text: 'Part by hub overnight to the pickup' },
  { cls: 'map-move map-move-transfer', text: 'Stock transfer between locations' },
];

const OPEN = (o) => !['COMPLETED', 'CANCELLED'].includes(o.status);
const free = (l) => l.stock.reduce((n, s) => n + Math.max(0, s.onHand - s.reserved), 0);

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

/** The stock of one location, per part: free, reserved, on hand, refurbished. */
function stockDetail(l, onClose) {
  const kind = KIND[l.kind] ?? KIND.COUNTER;
  const hours = l.openUtc && l.closeUtc ? `open ${l.openUtc}–${l.closeUtc} UTC` : null;
  return h(
    'div',
    {
      class: 'map-stock',
      'data-testid': 'map-stock-detail',
      role: 'region',
      'aria-label': `Stock at ${l.code}`,
    },
    h(
      'div',
      { class: 'map-stock-head' },
      h('strong', {}, `${l.code} ${l.name}`),
      h(
        'button',
        { type: 'button', class: 'btn btn-small', 'aria-label': 'Close the stock', onclick: onClose },
        '×',
      ),
    ),
    h('p', { class: 'small muted' }, kind.label, hours ? ` · ${hours}` : ''),
    l.stock.length
      ? h(
          'table',
          { class: 'table table-compact' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'Part'),
              h('th', {}, 'Free'),
              h('th', {}, 'Reserved'),
              h('th', {}, 'On hand'),
            ),
          ),
          h(
            'tbody',
            {},
            l.stock.map((s) =>
              h(
                'tr',
                {},
                h('td', { title: s.name ?? s.sku }, s.sku),
                h('td', {}, String(Math.max(0, s.onHand - s.reserved))),
                h('td', {}, String(s.reserved)),
                h('td', {}, String(s.onHand), s.refurbished ? ` (${s.refurbished} refurb.)` : ''),
              ),
            ),
          ),
        )
      : h('p', { class: 'small muted' }, 'No stock here.'),
  );
}

/**
 * The map: an element with update(data) to redraw with new data, keeping the zoom, pan and the open stock detail.
 * data: { network: GET /api/network, assets: GET /api/assets (to place orders), orders (open ones are drawn as
 * technician → pickup → site routes), tenants: Map of tenant id → name }.
 */
export function networkMap(data) {
  let d = data;
  let selected = null;
  const marks = svg('g', { class: 'map-marks' });
  const base = svg('g', { class: 'map-base' });
  const map = svg(
    'svg',
    {
      viewBox: `0 0 ${W} ${H}`,
      class: 'map',
      role: 'application',
      tabindex: '0',
      'aria-roledescription': 'map',
      'aria-label':
        'Map of customer sites, stock locations and technicians. Arrow keys pan, plus and minus zoom, 0 resets.',
      'data-testid': 'network-map',
    },
    svg('rect', { x: 0, y: 0, width: W, height: H, class: 'map-sea' }),
    base,
    marks,
  );
  const detail = h('div', { class: 'map-detail', 'aria-live': 'polite' });
  const zoomLabel = h('span', { class: 'map-zoom-level', 'data-testid': 'map-zoom-level' }, '100 %');
  const view = panZoom(map, { width: W, height: H, onChange: () => draw() });
  const button = (text, label, testid, onclick) =>
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-small',
        'aria-label': label,
        title: label,
        'data-testid': testid,
        onclick,
      },
      text,
    );
  const tools = h(
    'div',
    { class: 'map-tools', role: 'toolbar', 'aria-label': 'Map zoom' },
    button('+', 'Zoom in', 'map-zoom-in', () => view.zoomBy(1.5)),
    button('−', 'Zoom out', 'map-zoom-out', () => view.zoomBy(1 / 1.5)),
    button('⟲', 'Reset the view', 'map-zoom-reset', () => view.reset()),
    zoomLabel,
  );

  function draw() {
    const { network, assets = [], orders = [], tenants = new Map() } = d;
    const { locations, technicians, sites } = network;
    const movements = network.movements ?? [];
    const p = projection([...locations, ...technicians, ...sites]);
    const t = view.transform();
    const X = (lon) => p.x(lon) * t.k + t.x;
    const Y = (lat) => p.y(lat) * t.k + t.y;
    zoomLabel.textContent = `${Math.round(t.k * 100)} %`;
    map.dataset.zoom = String(t.k);

    const grid = [];
    // what labels must not cover: the grid's own labels, then every mark and badge
    const obstacles = [];
    for (let lat = Math.ceil(p.bounds.minLat); lat <= p.bounds.maxLat; lat++) {
      grid.push(svg('line', { x1: 0, x2: W, y1: Y(lat), y2: Y(lat), class: 'map-grid' }));
      grid.push(svg('text', { x: 4, y: Y(lat) - 3, class: 'map-grid-label' }, `${lat}°N`));
      obstacles.push({ x: 4, y: Y(lat) - 12, w: 26, h: 10 });
    }
    for (let lon = Math.ceil(p.bounds.minLon); lon <= p.bounds.maxLon; lon++) {
      grid.push(svg('line', { x1: X(lon), x2: X(lon), y1: 0, y2: H, class: 'map-grid' }));
      grid.push(svg('text', { x: X(lon) + 3, y: H - 4, class: 'map-grid-label' }, `${lon}°E`));
      obstacles.push({ x: X(lon) + 3, y: H - 13, w: 26, h: 10 });
    }
    base.replaceChildren(
      svg('polygon', {
        points: OUTLINE.map(([lat, lon]) => `${X(lon)},${Y(lat)}`).join(' '),
        class: 'map-land',
      }),
      ...grid,
    );

    // locations in one town (a hub and its repair depot) stand side by side, a fixed distance apart at any zoom
    const seen = [];
    const byRank = [...locations].sort(
      (a, b) => (KIND[a.kind] ?? KIND.COUNTER).rank - (KIND[b.kind] ?? KIND.COUNTER).rank,
    );
    const nudge = new Map();
    for (const l of byRank) {
      const bx = p.x(l.lon);
      const by = p.y(l.lat);
      const i = seen.filter(([sx, sy]) => Math.hypot(sx - bx, sy - by) < 14).length;
      seen.push([bx, by]);
      const a = Math.PI * (0.75 + 0.5 * (i - 1));
      nudge.set(l.code, i === 0 ? [0, 0] : [Math.cos(a) * 20, -Math.sin(a) * 20]);
    }
    /** A mark's place on screen: a location's with its nudge. */
    const at = (q) => {
      const [nx, ny] = (q.code && nudge.get(q.code)) || [0, 0];
      return [X(q.lon) + nx, Y(q.lat) + ny];
    };
    const assetById = new Map(assets.map((a) => [a.id, a]));
    const locByCode = new Map(locations.map((l) => [l.code, l]));
    const techByCode = new Map(technicians.map((tc) => [tc.code, tc]));
    const busySites = new Set();
    const lines = [];
    for (const o of orders.filter(OPEN)) {
      const asset = assetById.get(o.assetId);
      if (!asset) continue;
      busySites.add(`${asset.lat},${asset.lon}`);
      const pickup = o.pickup ? locByCode.get(o.pickup) : undefined;
      const tech = o.technician ? techByCode.get(o.technician.split(' ')[0]) : undefined;
      const points = [tech, pickup, asset].filter(Boolean).map((q) => at(q).join(','));
      if (points.length > 1)
        lines.push(
          svg(
            'polyline',
            {
              points: points.join(' '),
              class: `map-route ${o.slaTier === 'CRITICAL' ? 'map-route-critical' : ''}`,
              'data-testid': 'map-route',
            },
            svg('title', {}, `#${o.number} ${o.assetName}: ${o.failureMode} (${o.status})`),
          ),
        );
    }
    for (const m of movements) {
      const from = locByCode.get(m.from);
      const to = locByCode.get(m.to);
      if (!from || !to) continue;
      const how = m.kind === 'transfer' ? 'transfer' : m.mode === 'OVERNIGHT' ? 'overnight' : 'courier';
      const what =
        m.kind === 'transfer'
          ? `Transfer ${m.label}`
          : `${m.label}: part by ${how === 'overnight' ? 'hub overnight' : 'courier'}`;
      lines.push(
        svg(
          'line',
          {
            x1: at(from)[0],
            y1: at(from)[1],
            x2: at(to)[0],
            y2: at(to)[1],
            class: `map-move map-move-${how}`,
            'data-testid': `map-move-${how}`,
          },
          svg(
            'title',
            {},
            `${what}, ${m.qty} × ${m.sku} ${m.from} → ${m.to} (${m.status.toLowerCase().replace('_', ' ')})`,
          ),
        ),
      );
    }

    // marks, and the label each would like, in order of importance
    const wanted = [];
    const locMarks = byRank.map((l) => {
      const kind = KIND[l.kind] ?? KIND.COUNTER;
      const [nx, ny] = nudge.get(l.code);
      const x = X(l.lon) + nx;
      const y = Y(l.lat) + ny;
      const n = free(l);
      const stock = l.stock.map((s) => `${s.sku}: ${Math.max(0, s.onHand - s.reserved)} free of ${s.onHand}`);
      obstacles.push({ x: x - kind.size, y: y - kind.size, w: kind.size * 2, h: kind.size * 2 });
      obstacles.push({ x: x + kind.size - 2, y: y - kind.size - 12, w: 8 + String(n).length * 6, h: 11 });
      wanted.push({
        id: `loc:${l.code}`,
        x,
        y,
        r: kind.size + 2,
        text: l.code,
        rank: kind.rank,
        cls: 'map-label-code',
      });
      const open = () => {
        selected = selected === l.code ? null : l.code;
        draw();
      };
      return svg(
        'g',
        {
          class: `map-loc ${kind.cls} ${selected === l.code ? 'map-selected' : ''}`,
          'data-testid': 'map-location',
          'data-code': l.code,
          tabindex: '0',
          role: 'button',
          'aria-label': `${l.code} ${l.name}, ${kind.label}: ${n} free serviceable units. Show the stock.`,
          onclick: open,
          onkeydown: (e) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              e.stopPropagation();
              open();
            }
          },
        },
        svg(
          'title',
          {},
          `${l.code} ${l.name} (${kind.label})\n${n} free serviceable units${stock.length ? `\n${stock.join('\n')}` : ''}`,
        ),
        marker(kind.shape, x, y, kind.size, {}),
        svg(
          'g',
          { class: `map-badge ${n === 0 ? 'map-badge-empty' : ''}`, 'data-testid': 'map-stock-badge' },
          svg('rect', {
            x: x + kind.size - 2,
            y: y - kind.size - 12,
            width: 8 + String(n).length * 6,
            height: 11,
            rx: 5.5,
          }),
          svg('text', { x: x + kind.size + 2, y: y - kind.size - 3.5 }, String(n)),
        ),
      );
    });
    const siteMarks = sites.map((s) => {
      const x = X(s.lon);
      const y = Y(s.lat);
      const busy = busySites.has(`${s.lat},${s.lon}`);
      obstacles.push({ x: x - 6, y: y - 6, w: 12, h: 12 });
      wanted.push({ id: `site:${s.id}`, x, y, r: 8, text: s.name, rank: busy ? 4 : 6, cls: '' });
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
      );
    });
    const techMarks = technicians.map((tc) => {
      const x = X(tc.lon);
      const y = Y(tc.lat);
      obstacles.push({ x: x - 5, y: y - 5, w: 10, h: 10 });
      wanted.push({ id: `tech:${tc.code}`, x, y, r: 7, text: tc.code, rank: 5, cls: 'map-label-tech' });
      return svg(
        'g',
        { class: 'map-tech', 'data-testid': 'map-technician' },
        svg('title', {}, `${tc.code} ${tc.name} (${tc.skills.join(', ')})`),
        svg('circle', { cx: x, cy: y, r: 5 }),
      );
    });
    const placed = placeLabels(wanted, obstacles, { width: W, height: H });
    const labels = placed.map((l) =>
      svg(
        'text',
        { x: l.x, y: l.y, class: `map-label ${l.cls}`, 'data-testid': 'map-label', 'data-for': l.id },
        l.text,
      ),
    );
    const focused = marks.contains(document.activeElement) ? document.activeElement.dataset.code : undefined;
    marks.replaceChildren(
      svg('g', {}, lines),
      svg('g', {}, siteMarks),
      svg('g', {}, techMarks),
      // the most important on top
      svg('g', {}, [...locMarks].reverse()),
      svg('g', { class: 'map-labels', 'aria-hidden': 'true' }, labels),
    );

    if (focused) marks.querySelector(`[data-code="${CSS.escape(focused)}"]`)?.focus();

    const loc = selected ? locByCode.get(selected) : undefined;
    detail.replaceChildren(
      loc
        ? stockDetail(loc, () => {
            selected = null;
            draw();
            map.focus();
          })
        : h(
            'p',
            { class: 'small muted map-hint' },
            'The badge on a location counts its free serviceable units; click it for the stock per part.',
          ),
    );
  }

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
  const lineItem = ({ cls, text }) =>
    h(
      'li',
      {},
      svg(
        'svg',
        { viewBox: '0 0 24 8', width: 24, height: 8, 'aria-hidden': 'true' },
        svg('line', { x1: 0, y1: 4, x2: 24, y2: 4, class: cls }),
      ),
      text,
    );
  const legend = h(
    'ul',
    { class: 'map-legend', 'data-testid': 'map-legend', 'aria-label': 'Legend' },
    legendItem('map-site', 'circle', 'Customer site'),
    legendItem('map-site map-site-busy', 'circle', 'Customer site with an open order'),
    ...Object.values(KIND).map((k) => legendItem(`map-loc ${k.cls}`, k.shape, k.label)),
    h(
      'li',
      {},
      svg(
        'svg',
        { viewBox: '0 0 16 12', width: 16, height: 12, class: 'map-badge', 'aria-hidden': 'true' },
        svg('rect', { x: 0, y: 0.5, width: 16, height: 11, rx: 5.5 }),
        svg('text', { x: 4.5, y: 9 }, '3'),
      ),
      'Free serviceable units at a location',
    ),
    legendItem('map-tech', 'circle', 'Technician'),
    ...LINES.map(lineItem),
  );

  draw();
  const el = h(
    'div',
    { class: 'map-wrap' },
    h('div', { class: 'map-main' }, tools, map),
    h('div', { class: 'map-side' }, legend, detail),
  );
  /** Redraws with new data, keeping the view and the open stock detail. */
  el.update = (next) => {
    d = next;
    draw();
  };
  return el;
}
