// LOG_PRETTY=true: the README's "human-readable logs instead of JSON lines". It asked pino for the pino-pretty
// transport, a package the platform does not ship, so `LOG_PRETTY=true npm start` died at once with "unable to
// determine transport target for "pino-pretty"" and a stack trace. The lines are now formatted in common/logger.ts.
import { describe, expect, it } from 'vitest';
import { createLogger, prettyLine } from '../../common/logger.ts';

describe('pretty logs', () => {
  it('writes each record as one line a person reads, secrets still redacted', () => {
    const lines: string[] = [];
    const log = createLogger({ pretty: true, destination: { write: (s: string) => void lines.push(s) } });
    log
      .child({ module: 'dispatch' })
      .info({ orders: 4, note: 'two words', password: 'hunter2' }, 'planning round done');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[dispatch\] planning round done {2}orders=4 note="two words" password=\[redacted\]\n$/,
    );
  });

  it("puts an error's stack under its line", () => {
    const lines: string[] = [];
    const log = createLogger({ pretty: true, destination: { write: (s: string) => void lines.push(s) } });
    log.error({ err: new Error('boom') }, 'start-up failed');
    const [first, second, third] = lines[0]!.split('\n');
    expect(first).toMatch(/ ERROR start-up failed$/);
    expect(second).toBe('    Error: boom');
    expect(third).toMatch(/^ {8}at /);
  });

  it('formats a record as pino writes it, and keeps a line that is not JSON', () => {
    const line = JSON.stringify({
      level: 50,
      time: Date.UTC(2026, 11, 5, 21, 52, 17, 187),
      service: 'preempt',
      module: 'ingest',
      code: 'INGEST_STORE_DOWN',
      lag: null,
      msg: 'store down',
    });
    expect(prettyLine(line)).toBe(
      '21:52:17.187 ERROR [ingest] store down  code=INGEST_STORE_DOWN lag=null\n',
    );
    expect(prettyLine('not json')).toBe('not json\n');
  });
});
