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
  if (opts.destination) return pino(options, opts.destination);
  if (opts.pretty)
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(options);
}
