// Starts the whole platform in-process for a test: a fresh database, the demo world, and a fast fleet.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../common/config.ts';
import { createLogger } from '../../common/logger.ts';
import { startPlatform, type Platform, type PlatformOptions } from '../../platform.ts';
import { freshDatabase } from './database.ts';
import { endSession } from './ingest-rig.ts';

export interface TestPlatform extends Platform {
  /** The platform's DATA_DIR (a fresh temp folder). */
  dataDir: string;
  login(email: string, password: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestPlatform(
  env: Record<string, string> = {},
  opts: PlatformOptions = {},
): Promise<TestPlatform> {
  const db = await freshDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'preempt-test-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    DEMO: 'true',
    PORT: '0',
    HOST: '127.0.0.1',
    MQTT_PORT: '0',
    MQTT_URL: process.env.TEST_MQTT_URL ?? '',
    MQTT_CLIENT_ID: `preempt-test-${randomBytes(4).toString('hex')}`,
    DEMO_ASSETS: '18',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const platform = await startPlatform(config, {
    log: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn' }),
    fleet: { intervalMs: 250 },
    ...opts,
  });
  return {
    ...platform,
    dataDir,
    async login(email, password) {
      const res = await fetch(`${platform.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (!res.ok) throw new Error(`login failed: ${res.status}`);
      return ((await res.json()) as { token: string }).token;
    },
    async stop() {
      await platform.close();
      // a shared broker would keep this test's persistent session (and queue messages for it) forever
      if (process.env.TEST_MQTT_URL) await endSession(process.env.TEST_MQTT_URL, config.mqttClientId);
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `fn` until it returns a truthy value, or fails after `timeoutMs`. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false | null>,
  timeoutMs = 20_000,
  everyMs = 200,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}
