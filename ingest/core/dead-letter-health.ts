// Health of the dead letters: "degraded" with the count when ingest refused at least the configured number of
// messages in the last minute (a device or an integration sending bad data needs a human to look), else "up".
import type { ComponentHealth } from '../../common/health.ts';

export function deadLetterHealth(lastMinute: number, perMinuteLimit: number): ComponentHealth {
  const climbing = perMinuteLimit > 0 && lastMinute >= perMinuteLimit;
  return {
    status: climbing ? 'degraded' : 'up',
    detail: {
      lastMinute,
      perMinuteLimit,
      ...(climbing
        ? { reason: `${lastMinute} messages refused in the last minute (limit ${perMinuteLimit})` }
        : {}),
    },
  };
}
