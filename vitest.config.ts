import { defineConfig } from 'vitest/config';

/**
 * Files that share nothing with other files run first, two at a time (2 cores): the fault drill, which starts its
 * own PostgreSQL and Mosquitto (to stop them) and mostly waits on real time (its 60-second outage), first, beside
 * the unit tests. Then the files on the shared PostgreSQL and broker, one at a time (ADR 0004).
 */
const DRILLS = ['test/integration/faults.test.ts'];
/** Pure cores, and command lines and checks on temporary files only (no database, broker or fixed port). */
const UNITS = [
  '**/core/**/*.test.ts',
  'test/unit/*.test.ts',
  'predict/cli/*.test.ts',
  'dispatch/cli/*.test.ts',
  'common/http/*.test.ts',
  'common/contracts/*.test.ts',
  'common/embedded/packet-size-guard.test.ts',
];
const EXCLUDE = ['node_modules/**', 'data/**'];

const common = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  // memory checks (fuzz drill) measure the heap after a real collection
  execArgv: ['--expose-gc'],
};
/** Projects of one group run together; within it, files go by project name: "drills" before "units". */
const together = { maxWorkers: 2, sequence: { groupOrder: 0 } };
const oneByOne = { fileParallelism: false, sequence: { groupOrder: 1 } };

export default defineConfig({
  test: {
    reporters: process.env.VITEST_JSON_REPORT
      ? ['default', ['json', { outputFile: process.env.VITEST_JSON_REPORT }]]
      : ['default'],
    projects: [
      { test: { ...common, ...together, name: 'drills', include: DRILLS, exclude: EXCLUDE } },
      {
        test: {
          ...common,
          ...together,
          name: 'units',
          include: UNITS,
          exclude: EXCLUDE,
          // one process per worker for all of them, not one per file (no mocks, stubbed globals or env changes)
          isolate: false,
        },
      },
      {
        test: {
          ...common,
          ...oneByOne,
          name: 'services',
          include: ['**/*.test.ts'],
          exclude: [...EXCLUDE, ...DRILLS, ...UNITS],
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
