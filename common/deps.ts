// What the composition root hands every module plugin.
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db.ts';
import type { PlatformBus } from './events.ts';
import type { HealthRegistry } from './health.ts';
import type { Logger } from './logger.ts';
import type { TelemetryStore } from './telemetry-store.ts';

export interface PlatformDeps {
  config: Config;
  log: Logger;
  db: Db;
  /** The URL `db` connects to, for work that opens a connection of its own (the history import worker). */
  databaseUrl?: string;
  store: TelemetryStore;
  bus: PlatformBus;
  clock: Clock;
  health: HealthRegistry;
  /** The broker the platform uses (embedded or external) and its own credentials there. */
  mqtt: { url: string; username: string; password: string };
  /** Overrides of the upload limits of history and fleet history imports (tests shorten the idle cut). */
  importLimits?: { uploadIdleMs?: number };
}
