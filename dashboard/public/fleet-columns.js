// The fleet history card's column fields (fleet-history-card.js) and the import's column errors, which name the
// CLI's flags ("name it with --mode-col"): in the browser they name the card's fields instead. No DOM here, so it
// is unit-tested in Node (test/unit/fleet-columns.test.ts).

/** The key column of a kind of file: its query parameter and the field's label; none for telemetry and assets. */
export function keyColumn(kind) {
  return (
    {
      events: { param: 'codeCol', label: 'Code column' },
      failures: { param: 'modeCol', label: 'Failure mode column' },
      maintenance: { param: 'componentCol', label: 'Component column' },
    }[kind] ?? null
  );
}

/** An import error as the card's user can act on it: each column flag becomes the field that sets it. */
export function columnHint(message, kind) {
  const key = keyColumn(kind)?.label;
  const field = {
    '--time-col': 'Time column',
    '--asset-col': 'Asset column',
    '--code-col': key,
    '--mode-col': key,
    '--component-col': key,
  };
  return String(message).replace(/--[a-z]+-col\b/g, (flag) => (field[flag] ? `“${field[flag]}”` : flag));
}
