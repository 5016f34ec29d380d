import type { Config } from '../config.ts';
import type { TelemetryStore } from '../telemetry-store.ts';
import { InfluxTelemetryStore } from './influx-store.ts';
import { PostgresTelemetryStore } from './postgres-store.ts';

/** INFLUX_URL selects InfluxDB; otherwise telemetry lives in a table of the platform's PostgreSQL. */
export function createTelemetryStore(
  config: Pick<Config, 'influxUrl' | 'influxToken' | 'influxOrg' | 'influxBucket'> &
    Partial<Pick<Config, 'storeTimeoutMs'>>,
  databaseUrl: string,
): TelemetryStore {
  if (config.influxUrl) {
    return new InfluxTelemetryStore({
      url: config.influxUrl,
      token: config.influxToken,
      org: config.influxOrg,
      bucket: config.influxBucket,
    });
  }
  return new PostgresTelemetryStore(databaseUrl, { timeoutMs: config.storeTimeoutMs });
}
