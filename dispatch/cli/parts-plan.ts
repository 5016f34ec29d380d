/**
 * `npm run --silent parts:plan -- <instance.json>`: prints the stock-positioning plan JSON
 * (shared/specs/parts-plan.md) on stdout and nothing else. Bad input (no such file, malformed JSON, an invalid
 * instance) is refused with one line on stderr naming the field, and exit code 2; any other failure exits 1.
 * The search's budget runs from the process's start (performance.now() counts from it), so loading the code
 * and the instance counts against it: the plan is out about BUDGET_MS after `node` starts, on a loaded machine
 * too (the search then stops with the best plan so far). One thread (a second one was tried and removed: see
 * docs/parts-planning.md).
 */
import { PartsPlanError, planParts, validateInstance } from '../core/parts-planner/index.ts';
import { oneLine, readJsonArgument } from './json-input.ts';

const BUDGET_MS = 7_000;

function main(argv: string[]): number {
  const input = readJsonArgument(argv, 'parts:plan', 2);
  if ('exit' in input) return input.exit;
  const { file, json } = input;
  try {
    const instance = validateInstance(json);
    const result = planParts(instance, { timeLimitMs: Math.max(500, BUDGET_MS - performance.now()) });
    process.stdout.write(`${JSON.stringify(result.plan, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof PartsPlanError) {
      process.stderr.write(`parts:plan: ${file}: ${oneLine(err.message)} (${err.code})\n`);
      return 2;
    }
    process.stderr.write(
      `parts:plan: ${file}: ${oneLine(err instanceof Error ? err.message : String(err))}\n`,
    );
    return 1;
  }
}

const code = main(process.argv.slice(2));
process.stdout.write('', () => process.exit(code));
