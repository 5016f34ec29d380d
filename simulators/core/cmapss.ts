// NASA C-MAPSS text files (../shared/datasets/cmapss/): 26 space-separated numbers per line — unit, cycle,
// 3 operational settings, 21 sensors — rows grouped by unit with increasing cycles. In a train_ file every unit
// runs to failure: its last cycle is the failure.

export const CMAPSS_COLUMNS = 26;

export interface CmapssUnit {
  unit: number;
  /** Cycle numbers, increasing. */
  cycles: number[];
  /** Per cycle: the 3 settings and 21 sensors (columns 3-26), in the file's order. */
  values: Float64Array[];
}

/** Parses a C-MAPSS file; a problem is thrown as one line naming the source and line. */
export function parseCmapss(text: string, source = 'input'): CmapssUnit[] {
  const units: CmapssUnit[] = [];
  const seen = new Set<number>();
  let current: CmapssUnit | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `${source} line ${i + 1}`;
    const fields = line.split(/\s+/);
    if (fields.length !== CMAPSS_COLUMNS)
      throw new Error(
        `${where}: expected ${CMAPSS_COLUMNS} numbers (unit, cycle, 3 settings, 21 sensors), got ${fields.length}`,
      );
    const numbers = fields.map(Number);
    const bad = numbers.findIndex((n) => !Number.isFinite(n));
    if (bad >= 0) throw new Error(`${where}: column ${bad + 1} is not a number: "${fields[bad]}"`);
    const [unit, cycle] = numbers as [number, number];
    if (!Number.isInteger(unit) || !Number.isInteger(cycle) || unit < 0 || cycle < 0)
      throw new Error(`${where}: unit and cycle must be whole numbers, got ${unit} and ${cycle}`);
    if (current?.unit !== unit) {
      if (seen.has(unit)) throw new Error(`${where}: the rows of unit ${unit} are not together`);
      seen.add(unit);
      current = { unit, cycles: [], values: [] };
      units.push(current);
    } else if (cycle <= current.cycles.at(-1)!) {
      throw new Error(
        `${where}: cycle ${cycle} of unit ${unit} does not follow cycle ${current.cycles.at(-1)}`,
      );
    }
    current.cycles.push(cycle);
    current.values.push(Float64Array.from(numbers.slice(2)));
  }
  if (units.length === 0) throw new Error(`${source}: no data rows`);
  return units;
}
