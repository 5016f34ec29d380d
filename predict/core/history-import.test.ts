import { describe, expect, it } from 'vitest';
import {
  admitImport,
  checkImportSize,
  DEFAULT_IMPORT_LIMITS,
  importFraction,
  MIB,
  truthValuesText,
} from './history-import.ts';

describe('history import jobs', () => {
  it('counts checking the file as the first half of the progress and writing the runs as the second', () => {
    const p = { bytesDone: 0, bytesTotal: 100, unitsDone: 0, unitsTotal: null };
    expect(importFraction('queued', p)).toBe(0);
    expect(importFraction('parsing', { ...p, bytesDone: 50 })).toBe(0.25);
    expect(importFraction('writing', { ...p, bytesDone: 100, unitsTotal: 8, unitsDone: 2 })).toBe(0.625);
    expect(importFraction('done', p)).toBe(1);
    expect(importFraction('failed', { ...p, bytesDone: 10 })).toBe(0.05);
  });

  it('admits two imports at once and refuses the third with a code', () => {
    expect(admitImport(1, DEFAULT_IMPORT_LIMITS)).toEqual({ ok: true });
    expect(admitImport(2, DEFAULT_IMPORT_LIMITS)).toMatchObject({ ok: false, code: 'PREDICT_IMPORT_BUSY' });
  });

  it('refuses uploads past the limit, naming it', () => {
    expect(checkImportSize(64 * MIB, 64 * MIB)).toEqual({ ok: true });
    expect(checkImportSize(70 * MIB, 64 * MIB, true)).toEqual({
      ok: false,
      code: 'PREDICT_IMPORT_TOO_LARGE',
      message: 'history imports are limited to 64 MiB; this upload is 70 MiB',
    });
    expect(checkImportSize(64 * MIB + 1, 64 * MIB)).toMatchObject({ message: /goes past it$/ });
  });

  it('reads RUL truth given comma-separated or as a RUL_ file', () => {
    expect(truthValuesText('112, 98,69')).toBe('112\n98\n69');
    expect(truthValuesText('112\r\n98\n\n69\n')).toBe('112\n98\n69');
  });
});
