// A backtest's record names its files (the ground truth, a C-MAPSS file) by their base name only: a path on the
// server (the data directory, a folder under /tmp) is not for the engineers who read runs over the API. Runs
// recorded before kept the full path; it is cut when they are read. Pure.

/** The option keys that name a file. */
const FILE_KEYS = ['truthFile', 'file'] as const;

export const baseName = (file: string): string => file.split(/[\\/]/).pop() || file;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The options with every file by its base name, and the paths that were replaced (full path → base name). */
export function optionsWithoutPaths(options: unknown): { options: unknown; replaced: [string, string][] } {
  if (!isRecord(options)) return { options, replaced: [] };
  const out = { ...options };
  const replaced: [string, string][] = [];
  for (const key of FILE_KEYS) {
    const v = out[key];
    if (typeof v !== 'string' || baseName(v) === v) continue;
    out[key] = baseName(v);
    replaced.push([v, baseName(v)]);
  }
  return { options: out, replaced };
}

/** A run's report with its options' files by base name and those paths out of its warnings. */
export function reportWithoutPaths(report: unknown, replaced: readonly [string, string][]): unknown {
  if (!isRecord(report)) return report;
  const own = optionsWithoutPaths(report.options);
  const all = [...replaced, ...own.replaced];
  const out: Record<string, unknown> = { ...report };
  if ('options' in report) out.options = own.options;
  if (Array.isArray(report.warnings))
    out.warnings = report.warnings.map((w: unknown) =>
      typeof w === 'string' ? all.reduce((s, [full, base]) => s.split(full).join(base), w) : w,
    );
  return out;
}
