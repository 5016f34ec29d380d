// Pan and zoom of an SVG map by a transform the caller applies to its coordinates (screen = map × k + offset), so
// marks and labels keep their size: mouse drag pans, the wheel zooms around the pointer, and on the focused map the
// arrow keys pan, + and − zoom around the centre and 0 resets. Zoom from 1× (the whole network) to 12×.
/* global requestAnimationFrame */

const MIN = 1;
const MAX = 12;

export function panZoom(svgEl, { width, height, onChange }) {
  let t = { k: 1, x: 0, y: 0 };
  let queued = false;
  const changed = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      onChange();
    });
  };
  /** Keeps the map covering the view: no panning it out of sight. */
  const clamp = (n) => ({
    k: n.k,
    x: Math.min(0, Math.max(width - width * n.k, n.x)),
    y: Math.min(0, Math.max(height - height * n.k, n.y)),
  });
  const set = (n) => {
    t = clamp(n);
    changed();
  };
  /** Zoom by a factor around a point of the view (the centre by default). */
  const zoomBy = (f, cx = width / 2, cy = height / 2) => {
    const k = Math.min(MAX, Math.max(MIN, t.k * f));
    const r = k / t.k;
    set({ k, x: cx - (cx - t.x) * r, y: cy - (cy - t.y) * r });
  };
  /** A client (screen) point in the view's coordinates. */
  const toView = (clientX, clientY) => {
    const box = svgEl.getBoundingClientRect();
    const s = Math.max(width / box.width, height / box.height);
    // the viewBox is centred in the element (preserveAspectRatio xMidYMid meet)
    const ox = (box.width * s - width) / 2;
    const oy = (box.height * s - height) / 2;
    return [(clientX - box.left) * s - ox, (clientY - box.top) * s - oy];
  };

  svgEl.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const [x, y] = toView(e.clientX, e.clientY);
      zoomBy(Math.exp(-e.deltaY * 0.0015), x, y);
    },
    { passive: false },
  );
  let drag = null;
  svgEl.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    drag = { id: e.pointerId, at: toView(e.clientX, e.clientY), from: t, moved: false };
  });
  svgEl.addEventListener('pointermove', (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    const [x, y] = toView(e.clientX, e.clientY);
    const dx = x - drag.at[0];
    const dy = y - drag.at[1];
    if (!drag.moved && Math.hypot(dx, dy) < 3) return;
    if (!drag.moved) {
      try {
        svgEl.setPointerCapture(e.pointerId);
      } catch {
        // the pointer is gone already: the drag goes on without capture
      }
    }
    drag.moved = true;
    svgEl.classList.add('map-dragging');
    set({ k: drag.from.k, x: drag.from.x + dx, y: drag.from.y + dy });
  });
  const end = (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    drag = null;
    svgEl.classList.remove('map-dragging');
  };
  svgEl.addEventListener('pointerup', end);
  svgEl.addEventListener('pointercancel', end);
  svgEl.addEventListener('keydown', (e) => {
    const step = 40;
    const moves = {
      ArrowLeft: [step, 0],
      ArrowRight: [-step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    if (moves[e.key]) set({ k: t.k, x: t.x + moves[e.key][0], y: t.y + moves[e.key][1] });
    else if (e.key === '+' || e.key === '=') zoomBy(1.5);
    else if (e.key === '-' || e.key === '_') zoomBy(1 / 1.5);
    else if (e.key === '0') set({ k: 1, x: 0, y: 0 });
    else return;
    e.preventDefault();
  });

  return {
    transform: () => t,
    zoomBy,
    reset: () => set({ k: 1, x: 0, y: 0 }),
  };
}
