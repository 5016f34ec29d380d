// The one root logger. Modules take `logger.child({ module })`. ERROR means a human must act.
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'databaseUrl',
  '*.databaseUrl',
  'mqttPassword',
  '*.mqttPassword',
  'influxToken',
  '*.influxToken',
  'authSecret',
  '*.authSecret',
  'notifySmtpUrl',
  '*.notifySmtpUrl',
];

export function createLogger(
  opts: { level?: string; pretty?: boolean; destination?: pino.DestinationStream } = {},
): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'preempt' },
  };
  if (opts.pretty) return pino(options, prettyDestination(opts.destination ?? process.stdout));
  if (opts.destination) return pino(options, opts.destination);
  return pino(options);
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
const HIDDEN = new Set(['level', 'time', 'msg', 'service', 'module', 'pid', 'hostname', 'err']);

/**
 * One JSON log line as a person reads it (LOG_PRETTY=true): "21:52:17.187 INFO  [dispatch] planning round done
 * orders=4 planned=4", an error's stack on the lines after it. A line that is not a JSON object is kept as it is.
 * Built in: pino's transports would need the pino-pretty package, which the platform does not ship.
 */
export function prettyLine(line: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o))
    return line.endsWith('\n') ? line : `${line}\n`;
  const time = typeof o.time === 'number' ? new Date(o.time).toISOString().slice(11, 23) : '';
  const level = LEVELS[o.level as number] ?? String(o.level ?? '');
  const module = typeof o.module === 'string' ? ` [${o.module}]` : '';
  const fields = Object.entries(o)
    .filter(([k, v]) => !HIDDEN.has(k) && v !== undefined)
    .map(
      ([k, v]) => `${k}=${typeof v === 'string' && !/[\s"=]/.test(v) && v !== '' ? v : JSON.stringify(v)}`,
    );
  const err = o.err as { type?: string; message?: string; stack?: string } | undefined;
  const stack = err
    ? `\n    ${(err.stack ?? `${err.type ?? 'Error'}: ${err.message ?? ''}`).replaceAll('\n', '\n    ')}`
    : '';
  return `${[time, level].filter(Boolean).join(' ')}${module} ${String(o.msg ?? '')}${fields.length ? `  ${fields.join(' ')}` : ''}${stack}\n`;
}

/** A pino destination writing each record through prettyLine. */
export function prettyDestination(out: { write(s: string): unknown }): pino.DestinationStream {
  return { write: (line: string) => void out.write(prettyLine(line.replace(/\n$/, ''))) };
}
