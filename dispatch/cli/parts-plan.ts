/**
 * `npm run --silent parts:plan -- <instance.json>`: prints the stock-positioning plan JSON
 * (shared/specs/parts-plan.md) on stdout and nothing else. Bad input (no such file, malformed JSON, an invalid
 * instance) is refused with one line on stderr naming the field, and exit code 2; any other failure exits 1.
 */
import { readFileSync } from 'node:fs';
import { PartsPlanError, planParts, validateInstance } from '../core/parts-planner/index.ts';

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

function main(argv: string[]): number {
  const args = argv.filter((a) => a !== '--');
  const file = args[0];
  if (file === undefined || args.length !== 1) {
    process.stderr.write('usage: npm run --silent parts:plan -- <instance.json>\n');
    return 2;
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
    process.stderr.write(`parts:plan: cannot read ${file}: ${reason}\n`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    process.stderr.write(`parts:plan: ${file} is not valid JSON: ${oneLine((err as Error).message)}\n`);
    return 2;
  }
  try {
    const instance = validateInstance(json);
    const result = planParts(instance);
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
