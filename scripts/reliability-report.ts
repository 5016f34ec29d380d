// `npm run docs:reliability`: writes docs/reliability.md from the drill records of the last test run
// (test-results/reliability.jsonl, written by the fault, crash, fuzz and security tests).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DRILL_RECORDS, type DrillRecord } from '../test/helpers/drill-record.ts';

if (!existsSync(DRILL_RECORDS)) {
  console.error(`no drill records at ${DRILL_RECORDS}: run the tests first (npm test)`);
  process.exit(1);
}
const rows = readFileSync(DRILL_RECORDS, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as DrillRecord & { at: string; broker: string; database: string });
// the latest record of each drill and service setup
const latest = new Map<string, (typeof rows)[number]>();
for (const r of rows) latest.set(`${r.drill}|${r.broker}|${r.database}`, r);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = [...latest.values()]
  .sort((a, b) => a.test.localeCompare(b.test) || a.drill.localeCompare(b.drill))
  .map(
    (r) =>
      `| ${cell(r.drill)} | ${cell(r.behaviour)} | ${cell(r.lost)} | ${r.database} PostgreSQL, ${r.broker} broker | \`${r.test}\` |`,
  );
const runAt = rows.at(-1)!.at.slice(0, 16).replace('T', ' ');
writeFileSync(
  'docs/reliability.md',
  `# Reliability and security drill

Produced by \`npm run docs:reliability\` from the drills of the test run of ${runAt} UTC (\`npm test\`; \`.ci/run\` runs
them on embedded services and again on the machine's PostgreSQL and Mosquitto). Each row is one fault or attack,
what the platform did, and what was lost. Load and memory over time: \`npm run bench:soak\`; intake speed:
\`npm run bench:ingest\` (numbers in the README).

| Fault or attack | What the platform did | Lost | Services | Test |
| --- | --- | --- | --- | --- |
${table.join('\n')}
`,
);
console.error(`wrote docs/reliability.md (${latest.size} rows)`);
