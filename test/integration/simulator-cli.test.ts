// `npm run simulate` as a process of its own against a whole platform (demo world seeded, its own fleet off): the
// simulated fleet with bad input on purpose (--faults) — every fault refused by the broker or dead-lettered by
// ingest with its reason, good readings flowing all the while — and a C-MAPSS replay onto the turbofan engines.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.ts';
import { equipmentByKey } from '../../simulators/core/catalog.ts';
import type { DeviceCredentials } from '../../simulators/core/devices.ts';
import { FAULT_EXPECTATIONS, FAULT_KINDS, type FaultKind } from '../../simulators/core/faults.ts';
import type { GroundTruthFile } from '../../simulators/core/ground-truth.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** A broker that checks device credentials and topics: the embedded one (not an open TEST_MQTT_URL broker). */
const checkingBroker = !process.env.TEST_MQTT_URL;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function simulate(args: string[], timeoutMs = 25_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'simulators/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`simulate did not end within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface KindStats {
  sent: number;
  refusedByBroker: number;
  acceptedByBroker: number;
  skipped: number;
}
interface Summary {
  stopped: string;
  devices: number;
  connected: number;
  readings: { sent: number; perSecond: number };
  faults: {
    sent: number;
    faulty: string;
    spoofer: string;
    victim: string;
    byKind: Record<FaultKind, KindStats>;
  };
  replay: { units: number; started: number; failed: number };
}

describe('npm run simulate against the platform', () => {
  let p: TestPlatform;
  let admin: string;
  let dir: string;
  let devicesFile: string;
  let devices: DeviceCredentials[];
  const api = async <T>(url: string): Promise<T> => {
    const res = await fetch(`${p.url}${url}`, { headers: { authorization: `Bearer ${admin}` } });
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    // the broker's warnings about the spoofer and the unknown devices are the point here: keep them out of the output
    p = await startTestPlatform(
      // every fault is to be found in the dead letters: no per-device cap (dead-letter-flood.test.ts tests it)
      { DEMO_FLEET: 'false', DEAD_LETTERS_PER_DEVICE_PER_MINUTE: '0' },
      { log: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'error' }) },
    );
    admin = await p.login('admin@preempt.demo', 'admin-demo');
    dir = mkdtempSync(path.join(os.tmpdir(), 'preempt-sim-'));
    devicesFile = path.join(p.dataDir, 'demo-devices.json');
    devices = JSON.parse(readFileSync(devicesFile, 'utf8')) as DeviceCredentials[];
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a wrong option with one line and a non-zero exit', async () => {
    const runs = await Promise.all([
      simulate(['--interval', '5x']),
      simulate(['--devices', devicesFile, '--assets', '500', '--mqtt-url', p.mqttUrl]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2]);
    expect(runs[0]!.stderr.trim()).toBe(
      'simulate: --interval "5x": expected a duration such as 500ms, 1s, 2m (100ms to 10m)',
    );
    expect(runs[1]!.stderr.trim()).toMatch(
      /^simulate: --assets 500: .* has only 18 devices .*DEMO_ASSETS=500/,
    );
    for (const r of runs) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('keeps serving the fleet while it refuses every kind of bad input', async () => {
    const groundTruth = path.join(dir, 'fleet-truth.json');
    const started = Date.now();
    const run = await simulate([
      ...['--devices', devicesFile, '--mqtt-url', p.mqttUrl, '--ground-truth', groundTruth],
      ...['--interval', '250ms', '--speed', '60', '--seed', '7', '--faults', '26'],
      ...['--duration', '5s', '--progress', '1s'],
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /simulate 00:00:0\d {2}[\d,]+ readings \([\d.]+\/s\) {2}failures \d+ injected.*faults/,
    );
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary.stopped).toBe('duration reached');
    expect(summary.devices).toBe(18); // the simulated demo assets; the replay engines are left alone
    expect(summary.connected).toBe(18);
    expect(summary.readings.perSecond).toBeGreaterThan(18 * 4 * 0.8);

    // every kind was sent; what the broker refuses never reaches ingest
    const byKind = summary.faults.byKind;
    for (const kind of FAULT_KINDS) expect(byKind[kind]?.sent, kind).toBeGreaterThan(0);
    if (checkingBroker) {
      expect(byKind.unknown_asset.refusedByBroker).toBe(byKind.unknown_asset.sent);
      expect(byKind.spoofed_topic.refusedByBroker).toBeGreaterThan(0);
    }

    // the rest is dead-lettered, each with its reason: exactly as many as were sent
    const expected: Record<string, number> = {};
    for (const kind of FAULT_KINDS) {
      const reason = FAULT_EXPECTATIONS[kind].ingest;
      const reaching = kind === 'unknown_asset' ? byKind[kind].acceptedByBroker : byKind[kind].sent;
      if (reason && kind !== 'spoofed_topic' && reaching > 0)
        expected[reason] = (expected[reason] ?? 0) + reaching;
    }
    type Rejects = {
      counts: Record<string, number>;
      items: { topic: string; reason: string; detail: string }[];
    };
    const rejects = await eventually(async () => {
      const r = await api<Rejects>('/api/ingest/rejects?limit=1000');
      const same = Object.keys({ ...r.counts, ...expected }).every((k) => r.counts[k] === expected[k]);
      return same && r;
    }, 15_000).catch(async (err: unknown) => {
      const r = await api<Rejects>('/api/ingest/rejects?limit=1000');
      throw new Error(
        `dead letters ${JSON.stringify(r.counts)}, expected ${JSON.stringify(expected)}: ${String(err)}`,
      );
    });
    expect(rejects.counts).toEqual(expected);
    const faulty = devices.find((d) => d.assetId === summary.faults.faulty)!;
    // the faulty device's own topics, or (on an open broker, which lets unknown devices in) its tenant's ghosts
    const fromThisRun = (i: { topic: string; reason: string }) =>
      i.topic.startsWith(`t/${faulty.tenant}/a/${faulty.assetId}/`) ||
      (i.reason === 'unknown_asset' && i.topic.startsWith(`t/${faulty.tenant}/a/ghost-`));
    expect(rejects.items.filter((i) => !fromThisRun(i))).toEqual([]);
    expect(rejects.items.every((i) => i.detail.length > 0)).toBe(true);

    // good readings kept flowing, from every device, the faulty one included, for the whole run
    const simulated = devices.filter((d) => equipmentByKey.get(d.equipment)!.source === 'physics');
    await eventually(async () => {
      const latest = await Promise.all(simulated.map((d) => p.store.latest(d.assetId)));
      return latest.every((l) => Object.keys(l).length > 0);
    }, 10_000);
    const metric = equipmentByKey.get(faulty.equipment)!.metrics[0]!.name;
    const points = await p.store.range({
      assetId: faulty.assetId,
      metric,
      from: new Date(started),
      to: new Date(Date.now() + 60_000),
    });
    expect(points.length).toBeGreaterThan(12); // 5 s at 4 readings/s, less what a device skips
    const times = points.map((x) => x.ts.getTime());
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(3_000);

    if (checkingBroker) {
      // the spoofed readings (5 days old) never reached the victim
      const victim = devices.find((d) => d.assetId === summary.faults.victim)!;
      const old = await p.store.range({
        assetId: victim.assetId,
        metric: equipmentByKey.get(victim.equipment)!.metrics[0]!.name,
        from: new Date(started - 7 * 86_400_000),
        to: new Date(started - 86_400_000),
      });
      expect(old).toEqual([]);
    }

    const truth = JSON.parse(readFileSync(groundTruth, 'utf8')) as GroundTruthFile;
    expect(truth).toMatchObject({ source: 'fleet', seed: 7, speed: 60 });
    expect(truth.endedAt).toBeTruthy();
    expect(truth.failures.length).toBeGreaterThan(0);
    expect(truth.failures.every((f) => simulated.some((d) => d.assetId === f.assetId))).toBe(true);
  }, 40_000);

  it('replays C-MAPSS units as turbofan engines, the last cycle of each its failure', async () => {
    // real rows of train_FD001 (../shared/datasets/cmapss/): the first and the last cycles of units 1-3
    const data = path.join(dir, 'train_tiny.txt');
    writeFileSync(
      data,
      [
        '1 1 -0.0007 -0.0004 100.0 518.67 641.82 1589.70 1400.60 14.62 21.61 554.36 2388.06 9046.19 1.30 47.47 521.66 2388.02 8138.62 8.4195 0.03 392 2388 100.00 39.06 23.4190',
        '1 2 0.0019 -0.0003 100.0 518.67 642.15 1591.82 1403.14 14.62 21.61 553.75 2388.04 9044.07 1.30 47.49 522.28 2388.07 8131.49 8.4318 0.03 392 2388 100.00 39.00 23.4236',
        '1 191 -0.0000 -0.0004 100.0 518.67 643.34 1602.36 1425.77 14.62 21.61 550.92 2388.28 9042.76 1.30 48.15 519.57 2388.30 8114.61 8.5174 0.03 394 2388 100.00 38.45 23.1295',
        '1 192 0.0009 -0.0000 100.0 518.67 643.54 1601.41 1427.20 14.62 21.61 551.25 2388.32 9033.22 1.30 48.25 520.08 2388.32 8110.93 8.5113 0.03 396 2388 100.00 38.48 22.9649',
        '2 1 -0.0018 0.0006 100.0 518.67 641.89 1583.84 1391.28 14.62 21.60 554.53 2388.01 9054.72 1.30 46.93 522.33 2388.06 8137.72 8.3905 0.03 391 2388 100.00 38.94 23.4585',
        '2 286 -0.0010 -0.0003 100.0 518.67 643.44 1603.63 1429.57 14.62 21.61 551.61 2388.18 9102.01 1.30 48.14 519.51 2388.22 8169.97 8.4932 0.03 395 2388 100.00 38.33 23.0169',
        '2 287 -0.0005 0.0006 100.0 518.67 643.85 1608.50 1430.84 14.62 21.61 551.66 2388.20 9109.36 1.30 48.12 519.81 2388.21 8175.57 8.5365 0.03 398 2388 100.00 38.43 23.0848',
        '3 1 0.0008 0.0005 100.0 518.67 642.04 1584.20 1398.13 14.62 21.61 553.96 2388.06 9056.95 1.30 47.14 522.24 2388.00 8138.40 8.4207 0.03 391 2388 100.00 38.96 23.3205',
        '3 179 0.0012 0.0000 100.0 518.67 643.51 1604.80 1428.23 14.62 21.61 551.91 2388.14 9197.52 1.30 48.09 519.53 2388.20 8255.34 8.5056 0.03 398 2388 100.00 38.40 22.9562',
      ].join('\n') + '\n',
    );
    const groundTruth = path.join(dir, 'replay-truth.json');
    const started = Date.now();
    const run = await simulate([
      ...['--replay', data, '--interval', '100ms', '--progress', '0'],
      ...['--devices', devicesFile, '--mqtt-url', p.mqttUrl, '--ground-truth', groundTruth],
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary.stopped).toBe('the last unit failed');
    expect(summary.replay).toEqual({ units: 3, started: 3, failed: 3, lastFailureAt: expect.any(String) });
    expect(summary.readings.sent).toBe(9);

    const truth = JSON.parse(readFileSync(groundTruth, 'utf8')) as GroundTruthFile;
    expect(truth.source).toBe('replay');
    expect(truth.failures.map((f) => [f.assetId, f.unit, f.failCycle, f.kind])).toEqual([
      ['aero-tf-01', 1, 192, 'replay'],
      ['aero-tf-02', 2, 287, 'replay'],
      ['aero-tf-03', 3, 179, 'replay'],
    ]);

    // ingest took every cycle: the turbofan's metrics and ranges are the platform's
    const s4 = await eventually(async () => {
      const points = await p.store.range({
        assetId: 'aero-tf-01',
        metric: 's4',
        from: new Date(started - 60_000),
        to: new Date(Date.now() + 60_000),
      });
      return points.length === 4 && points;
    }, 10_000);
    expect(s4.map((x) => x.value)).toEqual([1400.6, 1403.14, 1425.77, 1427.2]);
    expect(s4.at(-1)!.ts.toISOString()).toBe(truth.failures[0]!.failAt);
    const rejects = await api<{ items: { topic: string }[] }>('/api/ingest/rejects?limit=1000');
    expect(rejects.items.filter((i) => i.topic.includes('/a/aero-'))).toEqual([]);
  }, 30_000);
});
