/**
 * `npm run --silent dispatch:plan -- <instance.json>`: prints the plan JSON on stdout and
 * nothing else; any error goes to stderr as one line, with exit code 1.
 */
import { planDispatch, validateInstance } from '../core/planner/index.ts';
import { oneLine, readJsonArgument } from './json-input.ts';

async function main(argv: string[]): Promise<number> {
  const input = readJsonArgument(argv, 'dispatch:plan', 1);
  if ('exit' in input) return input.exit;
  const { file, json } = input;
  try {
    const instance = validateInstance(json);
    const result = await planDispatch(instance);
    const plan = {
      assignments: result.assignments,
      unplanned: result.unplanned,
      totalCost: result.totalCost,
      lowerBound: result.lowerBound,
      gap: result.gap,
      optimal: result.optimal,
    };
    process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(
      `dispatch:plan: ${file}: ${oneLine(err instanceof Error ? err.message : String(err))}\n`,
    );
    return 1;
  }
}

const code = await main(process.argv.slice(2));
// exit once stdout is flushed: left to itself, the process lingers ~0.5 s tearing down the solver's heap
process.stdout.write('', () => process.exit(code));
