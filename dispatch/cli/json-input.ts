// What the planners' CLIs share: one file argument (relative to the folder npm was run from: cliPath), read and
// parsed as JSON, any problem one line on stderr.
import { readFileSync } from 'node:fs';
import { cliPath } from '../../common/cli.ts';

export function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

/**
 * The JSON of the one `<instance.json>` argument, or the exit code after one line on stderr (usage, a file that
 * cannot be read, malformed JSON all exit with `badInput`); `--help` or `-h`: the usage on stdout, exit 0.
 */
export function readJsonArgument(
  argv: string[],
  command: string,
  badInput: number,
): { file: string; json: unknown } | { exit: number } {
  const args = argv.filter((a) => a !== '--');
  const given = args[0];
  if (args.length === 1 && (given === '--help' || given === '-h')) {
    // asked for: the usage on stdout, success (it was read as a file name before: "cannot read …/--help")
    process.stdout.write(
      `usage: npm run --silent ${command} -- <instance.json>\n` +
        'Prints the plan as JSON on stdout; a relative path is taken from the folder npm is run in.\n',
    );
    return { exit: 0 };
  }
  if (given === undefined || args.length !== 1) {
    process.stderr.write(`usage: npm run --silent ${command} -- <instance.json>\n`);
    return { exit: badInput };
  }
  const file = cliPath(given);
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
    process.stderr.write(`${command}: cannot read ${file}: ${reason}\n`);
    return { exit: badInput };
  }
  try {
    // a byte-order mark (as some Windows editors save UTF-8) is not part of the JSON
    return { file, json: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch (err) {
    process.stderr.write(`${command}: ${file} is not valid JSON: ${oneLine((err as Error).message)}\n`);
    return { exit: badInput };
  }
}
