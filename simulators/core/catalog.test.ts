import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOG, SIMULATED_MODELS, TURBOFAN } from './catalog.ts';
import { parseCmapss } from './cmapss.ts';

const DATA = new URL('../../../shared/datasets/cmapss/', import.meta.url);
const files = ['train_FD001.txt', 'train_FD002.txt'].filter((f) => existsSync(new URL(f, DATA)));

describe('the catalog', () => {
  it('names metrics as the device contract allows, with sane ranges and healthy levels inside them', () => {
    for (const eq of CATALOG) {
      for (const m of eq.metrics) {
        expect(m.name).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,63}$/);
        expect(m.minValid).toBeLessThan(m.maxValid);
        expect(m.base).toBeGreaterThanOrEqual(m.minValid);
        expect(m.base).toBeLessThanOrEqual(m.maxValid);
      }
      for (const fm of eq.failureModes) expect(eq.metrics.map((m) => m.name)).toContain(fm.metric);
    }
    expect(SIMULATED_MODELS.map((e) => e.key)).toEqual(['chiller-ch300', 'pump-px50', 'imaging-ct9']);
  });

  it('has the turbofan metrics in C-MAPSS column order', () => {
    expect(TURBOFAN.metrics.map((m) => m.name)).toEqual([
      'setting1',
      'setting2',
      'setting3',
      ...Array.from({ length: 21 }, (_, i) => `s${i + 1}`),
    ]);
  });

  it.skipIf(files.length === 0)('holds every value of the C-MAPSS files in the turbofan ranges', () => {
    for (const f of files) {
      for (const unit of parseCmapss(readFileSync(new URL(f, DATA), 'utf8'), f)) {
        for (const values of unit.values) {
          TURBOFAN.metrics.forEach((m, i) => {
            const v = values[i]!;
            if (v < m.minValid || v > m.maxValid) expect.fail(`${f} unit ${unit.unit}: ${m.name} = ${v}`);
          });
        }
      }
    }
  });
});
