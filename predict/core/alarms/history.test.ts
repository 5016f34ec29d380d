import { describe, expect, it } from 'vitest';
import { detectAssetColumns, detectKeyedColumns, detectTelemetryColumns } from './csv-columns.ts';
import { HistoryBuilder } from './history.ts';

const H = 3_600_000;
const T0 = Date.UTC(2015, 0, 1);

describe('HistoryBuilder', () => {
  it('gives the same series from the wide and the long layout, gaps forward-filled', () => {
    const wide = new HistoryBuilder();
    const wc = detectTelemetryColumns(['datetime', 'machineID', 'volt', 'rotate'], 'w.csv', {});
    wide.addTelemetry(wc, ['2015-01-01 01:00:00', 'm1', '2', ''], 'w.csv', 3);
    wide.addTelemetry(wc, ['2015-01-01 00:00:00', 'm1', '1', '10'], 'w.csv', 2);
    const long = new HistoryBuilder();
    const lc = detectTelemetryColumns(['datetime', 'machineID', 'metric', 'value'], 'l.csv', {});
    long.addTelemetry(lc, ['2015-01-01 00:00:00', 'm1', 'volt', '1'], 'l.csv', 2);
    long.addTelemetry(lc, ['2015-01-01 00:00:00', 'm1', 'rotate', '10'], 'l.csv', 3);
    long.addTelemetry(lc, ['2015-01-01T01:00:00Z', 'm1', 'volt', '2'], 'l.csv', 4);
    for (const b of [wide, long]) {
      const f = b.build();
      expect(f.metrics).toEqual(['volt', 'rotate']);
      expect(f.stepMs).toBe(H);
      expect([...f.assets[0]!.times]).toEqual([T0, T0 + H]);
      expect([...f.assets[0]!.values]).toEqual([1, 10, 2, 10]);
    }
  });

  it('counts bad rows with their line numbers and reasons', () => {
    const b = new HistoryBuilder();
    const tc = detectTelemetryColumns(['datetime', 'machineID', 'volt'], 't.csv', {});
    b.addTelemetry(tc, ['not a time', 'm1', '1'], 't.csv', 2);
    b.addTelemetry(tc, ['2015-01-01 00:00:00', '', '1'], 't.csv', 3);
    b.addTelemetry(tc, ['2015-01-01 00:00:00', 'm1', 'abc'], 't.csv', 4);
    b.addTelemetry(tc, ['2015-01-01 00:00:00', 'm1', '5'], 't.csv', 5);
    const ec = detectKeyedColumns(['datetime', 'machineID', 'errorID'], 'e.csv', 'events', {});
    b.addKeyed('events', ec, ['2015-01-01 00:00:00', 'm1', ''], 'e.csv', 7);
    expect(b.badRows.counts).toEqual({ 't.csv': 3, 'e.csv': 1 });
    expect(b.badRows.examples).toEqual([
      { file: 't.csv', line: 2, reason: 'unparsable time "not a time"' },
      { file: 't.csv', line: 3, reason: 'empty asset' },
      { file: 't.csv', line: 4, reason: '"volt" is not a number: "abc"' },
      { file: 'e.csv', line: 7, reason: 'empty code' },
    ]);
    expect(b.build().assets[0]!.values[0]).toBe(5);
  });

  it('sorts events by time and encodes attributes (numeric as is, categorical one-hot)', () => {
    const b = new HistoryBuilder();
    const tc = detectTelemetryColumns(['datetime', 'machineID', 'volt'], 't.csv', {});
    b.addTelemetry(tc, ['2015-01-01 00:00:00', 'm1', '1'], 't.csv', 2);
    const fc = detectKeyedColumns(['datetime', 'machineID', 'failure'], 'f.csv', 'failures', {});
    b.addKeyed('failures', fc, ['2015-01-03 06:00:00', 'm1', 'comp2'], 'f.csv', 2);
    b.addKeyed('failures', fc, ['2015-01-02 06:00:00', 'm1', 'comp1'], 'f.csv', 3);
    const ac = detectAssetColumns(['machineID', 'model', 'age'], 'a.csv', {});
    b.addAsset(ac, ['m1', 'model3', '18'], 'a.csv', 2);
    b.addAsset(ac, ['m2', 'model1', '7'], 'a.csv', 3);
    const f = b.build();
    expect(f.modes).toEqual(['comp2', 'comp1']);
    expect([...f.assets[0]!.failures.key]).toEqual([1, 0]);
    expect(f.attributeNames).toEqual(['model=model1', 'model=model3', 'age']);
    expect([...f.assets[0]!.attributes]).toEqual([0, 1, 18]);
  });
});
