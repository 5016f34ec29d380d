// The fleet history card in the Models view: an import that cannot find its key column said "name it with
// --mode-col", a command-line flag, in the browser, where no field set it (only time and asset columns had
// fields). The card now has the kind's key column field and its errors name the fields (dashboard/public/
// fleet-columns.js, in Node here).
import { describe, expect, it } from 'vitest';

interface FleetColumns {
  keyColumn(kind: string): { param: string; label: string } | null;
  columnHint(message: string, kind: string): string;
}
const c = (await import(
  new URL('../../dashboard/public/fleet-columns.js', import.meta.url).href
)) as FleetColumns;

describe('fleet history card columns', () => {
  it("gives each keyed kind its field and the API's parameter, none to telemetry and assets", () => {
    expect(c.keyColumn('events')).toEqual({ param: 'codeCol', label: 'Code column' });
    expect(c.keyColumn('failures')).toEqual({ param: 'modeCol', label: 'Failure mode column' });
    expect(c.keyColumn('maintenance')).toEqual({ param: 'componentCol', label: 'Component column' });
    expect(c.keyColumn('telemetry')).toBeNull();
    expect(c.keyColumn('assets')).toBeNull();
  });

  it('names the fields instead of the command-line flags in an import error', () => {
    const failed =
      'failures file: no failure mode column found (columns: "datetime", "asset", "vibration_rms"); name it with --mode-col';
    expect(c.columnHint(failed, 'failures')).toBe(
      'failures file: no failure mode column found (columns: "datetime", "asset", "vibration_rms"); name it with “Failure mode column”',
    );
    expect(
      c.columnHint('events.csv: no time column found (columns: "a", "b"); name it with --time-col', 'events'),
    ).toMatch(/name it with “Time column”$/);
    expect(c.columnHint('no value column; name it with --value-col', 'telemetry')).toBe(
      'no value column; name it with --value-col',
    );
  });
});
