// Code 39 barcodes as SVG, for printed return documents. Each character is 9 elements (bar, space, bar, …),
// 3 of them wide; characters are separated by a narrow space and the text is framed by the start/stop '*'.

const PATTERNS: Record<string, string> = {
  '0': 'nnnwwnwnn',
  '1': 'wnnwnnnnw',
  '2': 'nnwwnnnnw',
  '3': 'wnwwnnnnn',
  '4': 'nnnwwnnnw',
  '5': 'wnnwwnnnn',
  '6': 'nnwwwnnnn',
  '7': 'nnnwnnwnw',
  '8': 'wnnwnnwnn',
  '9': 'nnwwnnwnn',
  A: 'wnnnnwnnw',
  B: 'nnwnnwnnw',
  C: 'wnwnnwnnn',
  D: 'nnnnwwnnw',
  E: 'wnnnwwnnn',
  F: 'nnwnwwnnn',
  G: 'nnnnnwwnw',
  H: 'wnnnnwwnn',
  I: 'nnwnnwwnn',
  J: 'nnnnwwwnn',
  K: 'wnnnnnnww',
  L: 'nnwnnnnww',
  M: 'wnwnnnnwn',
  N: 'nnnnwnnww',
  O: 'wnnnwnnwn',
  P: 'nnwnwnnwn',
  Q: 'nnnnnnwww',
  R: 'wnnnnnwwn',
  S: 'nnwnnnwwn',
  T: 'nnnnwnwwn',
  U: 'wwnnnnnnw',
  V: 'nwwnnnnnw',
  W: 'wwwnnnnnn',
  X: 'nwnnwnnnw',
  Y: 'wwnnwnnnn',
  Z: 'nwwnwnnnn',
  '-': 'nwnnnnwnw',
  '.': 'wwnnnnwnn',
  ' ': 'nwwnnnwnn',
  $: 'nwnwnwnnn',
  '/': 'nwnwnnnwn',
  '+': 'nwnnnwnwn',
  '%': 'nnnwnwnwn',
  '*': 'nwnnwnwnn',
};

export const CODE39_CHARS = Object.keys(PATTERNS).filter((c) => c !== '*');

/** Wide-to-narrow ratio (ISO/IEC 16388 allows 2:1 to 3:1). */
const WIDE = 3;

/**
 * The element widths (in narrow modules, bars at even indexes) of `*text*`, with one narrow inter-character gap.
 * Throws on characters Code 39 cannot encode (lower case, '*').
 */
export function code39Modules(text: string): number[] {
  const bad = [...text].find((c) => c === '*' || !(c in PATTERNS));
  if (bad !== undefined) throw new Error(`Code 39 cannot encode ${JSON.stringify(bad)}`);
  const out: number[] = [];
  [...`*${text}*`].forEach((c, i) => {
    if (i > 0) out.push(1);
    for (const e of PATTERNS[c]!) out.push(e === 'w' ? WIDE : 1);
  });
  return out;
}

/** An SVG (black bars on white, 10-module quiet zones) of `text` in Code 39. */
export function code39Svg(text: string, opts: { module?: number; height?: number } = {}): string {
  const m = opts.module ?? 2;
  const height = opts.height ?? 60;
  const quiet = 10 * m;
  let x = quiet;
  const bars: string[] = [];
  code39Modules(text).forEach((w, i) => {
    if (i % 2 === 0) bars.push(`<rect x="${x}" y="0" width="${w * m}" height="${height}"/>`);
    x += w * m;
  });
  const width = x + quiet;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
    ` role="img" aria-label="Code 39 barcode ${text.replace(/[<>&"]/g, '')}" shape-rendering="crispEdges">` +
    `<rect width="${width}" height="${height}" fill="#fff"/><g fill="#000">${bars.join('')}</g></svg>`
  );
}
