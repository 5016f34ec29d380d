// Fault and attack drills record what they did and what was lost; `npm run docs:reliability` turns the records
// of a test run (test-results/reliability.jsonl) into docs/reliability.md.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface DrillRecord {
  /** The fault or attack. */
  drill: string;
  /** What the platform did. */
  behaviour: string;
  /** What was lost (the goal: nothing), with the numbers. */
  lost: string;
  /** The test that shows it. */
  test: string;
}

export const DRILL_RECORDS = path.resolve('test-results', 'reliability.jsonl');

export function recordDrill(r: DrillRecord): void {
  mkdirSync(path.dirname(DRILL_RECORDS), { recursive: true });
  appendFileSync(
    DRILL_RECORDS,
    JSON.stringify({
      ...r,
      at: new Date().toISOString(),
      broker: process.env.TEST_MQTT_URL ? 'machine' : 'embedded/private',
      database: process.env.TEST_DATABASE_URL ? 'machine' : 'embedded',
    }) + '\n',
  );
}
