// Two versions side by side: every parameter of either, with both values and whether it changed.

/** Every key of two parameter objects, with both values and whether they differ. */
export function diffParams(
  a: unknown,
  b: unknown,
): { key: string; a: unknown; b: unknown; changed: boolean }[] {
  const pa = (a ?? {}) as Record<string, unknown>;
  const pb = (b ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort();
  return keys.map((key) => ({
    key,
    a: pa[key] ?? null,
    b: pb[key] ?? null,
    changed: JSON.stringify(pa[key] ?? null) !== JSON.stringify(pb[key] ?? null),
  }));
}
