// The InfluxDB adapter's writes against a real server that speaks the InfluxDB v2 write API: Debian's
// victoria-metrics (no Flux, so reads are checked through its export API). The full contract suite runs against
// InfluxDB 2.x when INFLUX_URL is set (telemetry-store.contract.test.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfluxTelemetryStore } from '../../common/telemetry/influx-store.ts';
import type { TelemetryPoint } from '../../common/telemetry-store.ts';
import { eventually } from '../helpers/platform.ts';
import { freePort } from '../helpers/ports.ts';

const VM = '/usr/bin/victoria-metrics';

describe.skipIf(!existsSync(VM))(
  'InfluxTelemetryStore writes (victoria-metrics, InfluxDB v2 write API)',
  () => {
    let dir: string;
    let port: number;
    let vm: ChildProcess | undefined;
    let store: InfluxTelemetryStore;
    const url = () => `http://127.0.0.1:${port}`;

    const startVm = async () => {
      vm = spawn(
        VM,
        [
          `-httpListenAddr=127.0.0.1:${port}`,
          `-storageDataPath=${dir}`,
          '-dedup.minScrapeInterval=1ms',
          '-loggerLevel=ERROR',
        ],
        { stdio: 'ignore' },
      );
      await eventually(async () => (await fetch(`${url()}/health`)).ok, 20_000, 100);
    };
    const stopVm = async () => {
      const p = vm;
      vm = undefined;
      if (!p || p.exitCode !== null) return;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await exited;
    };
    /** Samples of one series, through VictoriaMetrics' export API (after a flush, so they are searchable). */
    const exported = async (metric: string, asset: string) => {
      await fetch(`${url()}/internal/force_flush`);
      const q = new URLSearchParams({ 'match[]': `telemetry_${metric}{asset="${asset}"}`, start: '0' });
      const text = await (await fetch(`${url()}/api/v1/export?${q}`)).text();
      const series = text.trim()
        ? text
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as { values: number[]; timestamps: number[] })
        : [];
      return series.flatMap((s) => s.timestamps.map((ts, i) => ({ ts, value: s.values[i]! })));
    };

    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'preempt-vm-'));
      port = await freePort();
      await startVm();
      store = new InfluxTelemetryStore({ url: url(), token: 'unused', org: 'preempt', bucket: 'telemetry' });
    }, 30_000);
    afterAll(async () => {
      await store?.close();
      await stopVm();
      rmSync(dir, { recursive: true, force: true });
    });

    const t0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    const points = (asset: string, n: number, from = 0): TelemetryPoint[] =>
      Array.from({ length: n }, (_, i) => ({
        assetId: asset,
        metric: 'temp',
        ts: new Date(t0 + (from + i) * 1000),
        value: from + i + 0.5,
      }));

    it('answers ping through the health endpoint', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('writes a gzipped batch: every point lands with its asset tag, time and value', async () => {
      await store.write(points('vm-a', 2_000));
      const got = await eventually(async () => {
        const s = await exported('temp', 'vm-a');
        return s.length === 2_000 && s;
      }, 15_000);
      expect(got[0]).toEqual({ ts: t0, value: 0.5 });
      expect(got.at(-1)).toEqual({ ts: t0 + 1_999_000, value: 1_999.5 });
    });

    it('keeps one point per series and time when a batch is written again', async () => {
      await store.write(points('vm-b', 100));
      await store.write(points('vm-b', 100));
      const got = await eventually(async () => {
        const s = await exported('temp', 'vm-b');
        return s.length >= 100 && s;
      }, 15_000);
      expect(new Set(got.map((p) => p.ts)).size).toBe(100);
    });

    it('refuses a write while the server is down (so ingest retries it) and takes it when it is back', async () => {
      await stopVm();
      await expect(store.write(points('vm-c', 10))).rejects.toThrow();
      await expect(store.ping()).rejects.toThrow();
      await startVm();
      await store.write(points('vm-c', 10));
      await eventually(async () => (await exported('temp', 'vm-c')).length === 10, 15_000);
    }, 60_000);
  },
);
