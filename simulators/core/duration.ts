// Durations on the command line: `500ms`, `1s`, `1.5s`, `2m`, `1h`, `1d`; a bare number is milliseconds.

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds, or undefined when `raw` is not a duration. */
export function parseDuration(raw: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h|d)?$/.exec(raw.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[(m[2] ?? 'ms') as keyof typeof UNIT_MS];
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/** The shortest exact form: 1500 → "1.5s", 120000 → "2m", 250 → "250ms". */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
    ['s', UNIT_MS.s],
  ] as const) {
    if (ms >= size && Number.isInteger((ms / size) * 1000)) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
