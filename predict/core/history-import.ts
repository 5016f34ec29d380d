// History import jobs: their statuses, progress and the limits an upload must keep (pure; the job runner is
// predict/history-imports.ts, the parsing worker predict/adapters/history-import-worker.ts).

export type ImportStatus = 'queued' | 'parsing' | 'writing' | 'done' | 'failed';

export interface ImportLimits {
  /** Largest streamed upload (`POST /api/histories/upload`), bytes. */
  maxUploadBytes: number;
  /** Largest JSON import (`POST /api/histories`, the file inside a JSON string), bytes. */
  maxJsonBytes: number;
  /** Imports that may be uploading, queued, parsing or writing at once on the platform. */
  maxConcurrent: number;
  /** An upload that sends nothing for this long is cut (408) and gives its slot back, ms. */
  uploadIdleMs: number;
}

export const MIB = 1024 * 1024;

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxUploadBytes: 64 * MIB,
  maxJsonBytes: 4 * MIB,
  maxConcurrent: 2,
  uploadIdleMs: 60_000,
};

/** Codes of refused imports; the routes map them to HTTP (413, 429, 408). */
export type ImportRefusal = 'PREDICT_IMPORT_TOO_LARGE' | 'PREDICT_IMPORT_BUSY' | 'PREDICT_IMPORT_STALLED';

export interface ImportProgress {
  /** Bytes of the file parsed (the first, checking pass) and its size. */
  bytesDone: number;
  bytesTotal: number;
  /** Units (runs) written, and how many the file holds (known once it has been checked). */
  unitsDone: number;
  unitsTotal: number | null;
  /** 0..1 over the whole job: checking the file is the first half, writing the runs the second. */
  fraction: number;
}

export function importFraction(status: ImportStatus, p: Omit<ImportProgress, 'fraction'>): number {
  if (status === 'done') return 1;
  if (status === 'queued') return 0;
  const parsed = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
  if (status === 'parsing' || p.unitsTotal === null) return round3(parsed / 2);
  const written = p.unitsTotal > 0 ? Math.min(1, p.unitsDone / p.unitsTotal) : 1;
  return round3(0.5 + written / 2);
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Whether one more import may start; the refusal says why not. */
export function admitImport(
  active: number,
  limits: ImportLimits,
): { ok: true } | { ok: false; code: ImportRefusal; message: string } {
  if (active < limits.maxConcurrent) return { ok: true };
  return {
    ok: false,
    code: 'PREDICT_IMPORT_BUSY',
    message: `${active} history imports are running (at most ${limits.maxConcurrent} at once): try again when one has finished`,
  };
}

/** Whether an upload's size (declared, or counted so far) is past the limit; the refusal names the limit. */
export function checkImportSize(
  bytes: number,
  limit: number,
  declared = false,
): { ok: true } | { ok: false; code: ImportRefusal; message: string } {
  if (bytes <= limit) return { ok: true };
  return {
    ok: false,
    code: 'PREDICT_IMPORT_TOO_LARGE',
    message: `history imports are limited to ${formatMib(limit)}; this upload ${declared ? `is ${formatMib(bytes)}` : 'goes past it'}`,
  };
}

/** The refusal of an upload that sent nothing for `idleMs`: it is cut and its slot given back. */
export function stalledUpload(idleMs: number): { code: ImportRefusal; message: string } {
  return {
    code: 'PREDICT_IMPORT_STALLED',
    message: `the upload sent nothing for ${Math.round(idleMs / 100) / 10} s and was cut: send the file again`,
  };
}

export const formatMib = (bytes: number) => `${Math.round((bytes / MIB) * 10) / 10} MiB`;

/** RUL truth values given inline (comma-, space- or newline-separated), as in a RUL_ file. */
export function truthValuesText(text: string): string {
  return text
    .split(/[\s,;]+/)
    .filter((x) => x !== '')
    .join('\n');
}
