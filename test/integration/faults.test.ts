// Fault drill on a whole platform with its demo fleet publishing: a broker restart, a PostgreSQL restart and a
// 60-second telemetry-store outage. After each: everyone reconnects by themselves, every reading ingest took is
// stored, no order is created twice, and while it lasts the health endpoint shows what is degraded.
// Its own PostgreSQL (embedded) and Mosquitto (when installed), so they can be stopped without harming others.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../common/config.ts';
import {
  removeEmbeddedPostgresFallback,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '../../common/embedded/postgres.ts';
import { createLogger } from '../../common/logger.ts';
import { startPlatform, type Platform } from '../../platform.ts';
import { SwitchableStore } from '../helpers/ingest-rig.ts';
import { hasMosquitto, startMosquitto, type PrivateMosquitto } from '../helpers/mosquitto.ts';
import { recordDrill } from '../helpers/drill-record.ts';
import { eventually } from '../helpers/platform.ts';
import { freePort } from '../helpers/ports.ts';

const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_MS ?? 60_000);

interface Health {
  status: string;
  components: Record<string, { status: string; detail?: Record<string, unknown> }>;
}

describe.skipIf(!hasMosquitto())('fault drill', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preempt-faults-'));
  let pgPort: number;
  let pg: EmbeddedPostgresHandle;
  let broker: PrivateMosquitto;
  let store: SwitchableStore;
  let p: Platform;

  let adminToken = '';
  /** The health report with its components (an admin's view). */
  const health = async () =>
    (await (
      await fetch(`${p.url}/api/health`, { headers: { authorization: `Bearer ${adminToken}` } })
    ).json()) as Health;
  const ingest = async () =>
    (await health()).components.ingest!.detail as {
      accepted: number;
      stored: number;
      journal: { records: number };
    };
  /** Open orders per asset and failure mode: never more than one. */
  const duplicateOpenOrders = async () =>
    (
      await p.db.serviceOrder.groupBy({
        by: ['assetId', 'failureModeId'],
        where: { status: { notIn: ['COMPLETED', 'CANCELLED'] } },
        _count: { _all: true },
      })
    ).filter((g) => g._count._all > 1).length;
  /** Readings keep flowing: `accepted` grows past what it was. */
  const intakeResumes = async (timeoutMs = 30_000) => {
    const before = (await ingest()).accepted;
    await eventually(async () => (await ingest()).accepted > before + 20, timeoutMs);
  };

  beforeAll(async () => {
    pgPort = await freePort();
    pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: pgPort });
    broker = await startMosquitto((d) => [
      'persistence true',
      `persistence_location ${d}/`,
      'max_queued_messages 0',
    ]);
    const config = loadConfig({
      DATA_DIR: path.join(dir, 'data'),
      DATABASE_URL: pg.url,
      DEMO: 'true',
      DEMO_ASSETS: '12',
      PORT: '0',
      HOST: '127.0.0.1',
      MQTT_URL: broker.url,
      LOG_LEVEL: 'warn',
    });
    p = await startPlatform(config, {
      log: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      fleet: { intervalMs: 200 },
      wrapStore: (s) => (store = new SwitchableStore(s)),
    });
    const login = await fetch(`${p.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@preempt.demo', password: 'admin-demo' }),
    });
    adminToken = ((await login.json()) as { token: string }).token;
    await intakeResumes();
  }, 120_000);

  afterAll(async () => {
    await p?.close();
    await broker?.stop();
    await pg?.stop();
    removeEmbeddedPostgresFallback(path.join(dir, 'pg'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('recovers from a broker restart: devices and ingest reconnect by themselves and intake resumes', async () => {
    await broker.restart(2_000);
    await eventually(async () => p.fleet!.stats().connected === p.fleet!.stats().devices, 30_000);
    await eventually(async () => (await health()).components.ingest!.status === 'up', 30_000);
    await intakeResumes();
    recordDrill({
      drill: 'MQTT broker (Mosquitto) restart while the fleet and ingest are connected',
      behaviour: `all ${p.fleet!.stats().devices} devices and ingest reconnected by themselves; intake resumed`,
      lost: 'nothing ingest had taken (QoS 1 redelivery; devices resend what was unacknowledged)',
      test: 'test/integration/faults.test.ts',
    });
  }, 60_000);

  it('recovers from a PostgreSQL restart without losing a reading or doubling an order', async () => {
    await pg.stop();
    await eventually(async () => (await health()).components.database!.status === 'down', 10_000);
    await new Promise((r) => setTimeout(r, 3_000));
    pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: pgPort });
    await eventually(async () => (await health()).components.database!.status === 'up', 30_000);
    await intakeResumes();
    await eventually(async () => {
      const i = await ingest();
      return i.journal.records === 0 && i.stored >= i.accepted;
    }, 30_000);
    expect(await duplicateOpenOrders()).toBe(0);
    const i = await ingest();
    recordDrill({
      drill: 'PostgreSQL restart (3 s down) during intake',
      behaviour: 'health showed the database down; ingest journaled and retried; everything reconnected',
      lost: `0 readings (${i.stored} of ${i.accepted} accepted stored), 0 orders created twice`,
      test: 'test/integration/faults.test.ts',
    });
  }, 90_000);

  it(
    `keeps every reading through a ${OUTAGE_MS / 1000}-second telemetry-store outage, showing it in the health endpoint`,
    async () => {
      store.down = true;
      const start = Date.now();
      const seen = new Set<string>();
      let peak = 0;
      try {
        while (Date.now() - start < OUTAGE_MS) {
          const h = await health();
          seen.add(`${h.status}/${h.components.telemetryStore!.status}/${h.components.ingest!.status}`);
          peak = Math.max(
            peak,
            (h.components.ingest!.detail as { journal: { records: number } }).journal.records,
          );
          await new Promise((r) => setTimeout(r, 1_000));
        }
        const during = await ingest();
        expect(during.journal.records).toBeGreaterThan(0);
      } finally {
        store.down = false;
      }
      expect(seen).toContain('degraded/down/degraded');
      await eventually(async () => {
        const i = await ingest();
        return i.journal.records === 0 && i.stored >= i.accepted;
      }, 60_000);
      await eventually(async () => (await health()).status === 'up', 30_000);
      expect(await duplicateOpenOrders()).toBe(0);
      const i = await ingest();
      recordDrill({
        drill: `telemetry store unreachable for ${OUTAGE_MS / 1000} s during intake`,
        behaviour: `health: platform degraded, telemetryStore down, ingest degraded; up to ${peak} readings waited in the journal and were replayed in order`,
        lost: `0 readings (${i.stored} of ${i.accepted} accepted stored), 0 orders created twice`,
        test: 'test/integration/faults.test.ts',
      });
    },
    OUTAGE_MS + 120_000,
  );
});
