// The simulator's ground-truth file (DATA_DIR/ground-truth.json; format in docs/simulators.md): when each
// failure it injected really happened. Read here without importing the simulator.

export interface TruthFailure {
  assetId: string;
  equipment: string;
  failureMode: string;
  kind: string;
  onsetAt: number;
  failAt: number;
}

export interface GroundTruth {
  startedAt: number;
  /** Set when the run ended: failures after it did not happen. */
  endedAt?: number;
  failures: TruthFailure[];
}

const time = (v: unknown, what: string): number => {
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(t)) throw new Error(`ground truth: ${what} is not a time: ${JSON.stringify(v)}`);
  return t;
};

export function parseGroundTruth(doc: unknown): GroundTruth {
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { failures?: unknown }).failures))
    throw new Error('ground truth: expected an object with a "failures" list');
  const d = doc as { startedAt?: unknown; endedAt?: unknown; failures: unknown[] };
  const failures = d.failures.map((f, i) => {
    const x = f as Record<string, unknown>;
    for (const k of ['assetId', 'equipment', 'failureMode', 'kind'])
      if (typeof x[k] !== 'string') throw new Error(`ground truth: failures[${i}].${k} is missing`);
    return {
      assetId: x.assetId as string,
      equipment: x.equipment as string,
      failureMode: x.failureMode as string,
      kind: x.kind as string,
      onsetAt: time(x.onsetAt, `failures[${i}].onsetAt`),
      failAt: time(x.failAt, `failures[${i}].failAt`),
    };
  });
  return {
    startedAt:
      d.startedAt === undefined
        ? Math.min(...failures.map((f) => f.onsetAt))
        : time(d.startedAt, 'startedAt'),
    ...(d.endedAt !== undefined ? { endedAt: time(d.endedAt, 'endedAt') } : {}),
    failures,
  };
}

/** The failures of one equipment model and failure mode that happened by `until`, by asset. */
export function failuresByAsset(
  truth: GroundTruth,
  o: { equipment: string; failureMode: string; until: number },
): Map<string, { at: number; kind: string; onsetAt: number }[]> {
  const end = Math.min(o.until, truth.endedAt ?? Number.POSITIVE_INFINITY);
  const out = new Map<string, { at: number; kind: string; onsetAt: number }[]>();
  for (const f of truth.failures) {
    if (f.equipment !== o.equipment || f.failureMode !== o.failureMode || f.failAt > end) continue;
    const list = out.get(f.assetId) ?? [];
    list.push({ at: f.failAt, kind: f.kind, onsetAt: f.onsetAt });
    out.set(f.assetId, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.at - b.at);
  return out;
}
