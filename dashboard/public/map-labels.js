// Label placement for the network map: each label tries a few spots around its mark (right, left, above, below,
// the corners) and takes the first that stays on the map and overlaps no mark and no label already placed; the
// most important go first (lower rank). A label with no free spot is left out (its mark keeps its title), so no
// text ever overlaps; zooming in spreads the marks and more labels fit. Pure: no DOM.

/** Width and height of a label's box at the map's label size (10 px, bold codes a little wider). */
export const labelBox = (text) => ({ w: text.length * 6 + 2, h: 12 });

const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * wanted: [{ id, x, y, r, text, rank, cls }] (the mark's centre and radius); obstacles: [{ x, y, w, h }].
 * Returns the placed labels: [{ id, text, cls, x, y (the text's baseline start), box }].
 */
export function placeLabels(wanted, obstacles, { width, height }) {
  const taken = [...obstacles];
  const placed = [];
  const order = wanted.map((w, i) => ({ w, i })).sort((a, b) => a.w.rank - b.w.rank || a.i - b.i);
  for (const { w } of order) {
    const { w: bw, h: bh } = labelBox(w.text);
    const gap = w.r + 3;
    const spots = [
      [w.x + gap, w.y - bh / 2],
      [w.x - gap - bw, w.y - bh / 2],
      [w.x - bw / 2, w.y - gap - bh],
      [w.x - bw / 2, w.y + gap],
      [w.x + gap, w.y - gap - bh / 2],
      [w.x + gap, w.y + gap - bh / 2],
      [w.x - gap - bw, w.y - gap - bh / 2],
      [w.x - gap - bw, w.y + gap - bh / 2],
    ];
    for (const [x, y] of spots) {
      const box = { x, y, w: bw, h: bh };
      if (x < 0 || y < 0 || x + bw > width || y + bh > height) continue;
      if (taken.some((t) => overlaps(box, t))) continue;
      taken.push(box);
      placed.push({ id: w.id, text: w.text, cls: w.cls, x: x + 1, y: y + bh - 3, box });
      break;
    }
  }
  return placed;
}
