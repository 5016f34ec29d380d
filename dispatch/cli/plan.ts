/**
 * `npm run --silent dispatch:plan -- <instance.json>`: prints the plan JSON on stdout and
 * nothing else; any error goes to stderr as one line, with exit code 1.
 */
import { readFileSync } from 'node:fs';
import { planDispatch, validateInstance } from '../core/planner/index.ts';

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  const file = args[0];
  if (file === undefined || args.length !== 1) {
    process.stderr.write('usage: npm run --silent dispatch:plan -- <instance.json>\n');
    return 1;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory'
          : oneLine((err as Error).message);
    process.stderr.write(`dispatch:plan: cannot read ${file}: ${reason}\n`);
    return 1;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    process.stderr.write(`dispatch:plan: ${file} is not valid JSON: ${oneLine((err as Error).message)}\n`);
    return 1;
  }
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
