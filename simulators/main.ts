// `npm run simulate`: the fleet as a process of its own, talking to the platform only as real equipment would:
// over MQTT, with each device's credentials (from the devices file the demo seed writes), through the device
// contract. Simulated fleet or C-MAPSS replay, optionally with bad input on purpose (--faults); a progress line
// on stderr, a JSON summary on stdout at the end (--duration, the replay's last failure, Ctrl-C or SIGTERM).
// Options: core/cli-options.ts (USAGE); docs/simulators.md.
//   DEMO_FLEET=false npm start
//   npm run simulate -- --assets 30 --interval 1s --speed 60 --faults 2
import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cliPath, configOrExit } from '../common/cli.ts';
import { equipmentByKey } from './core/catalog.ts';
import { OPTION_NAMES, USAGE, planSimulation, type RawOptions } from './core/cli-options.ts';
import { parseCmapss, type CmapssUnit } from './core/cmapss.ts';
import { parseDevices, selectDevices, simulatorBroker, type DeviceCredentials } from './core/devices.ts';
import { FAULT_EXPECTATIONS, FaultGenerator, pickFaultRoles, type FaultKind } from './core/faults.ts';
import { perSecond, progressLine, type RunSnapshot } from './core/progress.ts';
import { EXPORT_OPTION_NAMES, EXPORT_USAGE, planExport } from './core/history-export.ts';
import { FaultSender } from './fault-sender.ts';
import { exportCmapssHistory, exportFleetHistory } from './history-export.ts';
import { FleetRunner } from './fleet-runner.ts';
import { carrierMain } from './carrier-runner.ts';
import { CARRIER_OPTION_NAMES, CARRIER_USAGE } from './core/carrier-plan.ts';
import { ReplayRunner } from './replay-runner.ts';
import { announcedDemoBroker } from './demo-broker.ts';

function fail(message: string, code = 2): never {
  process.stderr.write(`simulate: ${message}\n`);
  process.exit(code);
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;

let raw: RawOptions & { help?: boolean };
try {
  raw = parseArgs({
    options: {
      ...Object.fromEntries(
        [...OPTION_NAMES, ...EXPORT_OPTION_NAMES, ...CARRIER_OPTION_NAMES].map((name) => [
          name,
          { type: 'string' as const },
        ]),
      ),
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }).values as RawOptions & { help?: boolean };
} catch (err) {
  fail(`${reason(err).replace(/\. To specify a positional argument.*$/, '')} (see --help)`);
}
// paths on the command line are relative to the folder npm was run from (cliPath); the devices file's default
// (under DATA_DIR) is the platform's own, as the platform resolves it
for (const name of ['replay', 'export-history', 'devices', 'ground-truth'] as const) {
  const given = (raw as Record<string, string | undefined>)[name];
  if (given !== undefined) (raw as Record<string, string | undefined>)[name] = cliPath(given);
}
if (raw.help) {
  process.stdout.write(USAGE + '\n' + EXPORT_USAGE + CARRIER_USAGE);
  process.exit(0);
}

const config = configOrExit();
if ((raw as Record<string, string | undefined>)['export-history'] !== undefined) {
  // a history on a virtual clock, written to files: no broker, no devices file
  const planned = planExport(raw as Record<string, string | undefined>, config.simulatorSeed);
  if (!planned.ok) fail(planned.error);
  const p = planned.plan;
  const t0 = Date.now();
  try {
    const exported = p.replay
      ? [await exportCmapssHistory(p, p.replay)]
      : await exportFleetHistory(p, (line) => process.stderr.write(line + '\n'));
    process.stdout.write(
      JSON.stringify({ exported, seconds: Math.round((Date.now() - t0) / 100) / 10 }, null, 2) + '\n',
    );
    process.exit(0);
  } catch (err) {
    fail(reason(err), 1);
  }
}
if ((raw as Record<string, string | undefined>).carrier !== undefined)
  // the carrier of the shipments, not the fleet: no broker, no devices file
  await carrierMain(raw as Record<string, string | undefined>, config, fail);
const broker = simulatorBroker({
  mqttUrl: config.mqttUrl,
  mqttPort: config.mqttPort,
  portGiven: config.mqttPortGiven,
  announced: announcedDemoBroker(config.dataDir),
});
const planned = planSimulation(raw, {
  devicesFile: path.join(config.dataDir, 'demo-devices.json'),
  mqttUrl: broker.url,
  intervalMs: config.simulatorIntervalMs,
  seed: config.simulatorSeed,
});
if (!planned.ok) fail(planned.error);
const plan = planned.plan;

let devices: DeviceCredentials[];
try {
  const text = readFileSync(plan.devicesFile, 'utf8');
  devices = selectDevices(parseDevices(text, plan.devicesFile), plan.selection, plan.devicesFile);
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  fail(
    code
      ? `cannot read the devices file ${plan.devicesFile} (${code}). Start the platform in demo mode once (it writes the file; DEMO_FLEET=false keeps its own fleet off), or pass --devices FILE.`
      : reason(err),
  );
}

try {
  accessSync(path.dirname(path.resolve(plan.groundTruthFile)), constants.W_OK);
} catch (err) {
  fail(
    `--ground-truth ${plan.groundTruthFile}: its folder is not writable (${(err as NodeJS.ErrnoException).code})`,
  );
}

let units: CmapssUnit[] = [];
if (plan.replay) {
  try {
    units = parseCmapss(readFileSync(plan.replay.file, 'utf8'), plan.replay.file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(code ? `--replay ${plan.replay.file}: cannot read it (${code})` : reason(err));
  }
  if (plan.replay.units !== undefined) units = units.slice(0, plan.replay.units);
}

let startedAt = Date.now();
let fleet: FleetRunner | undefined;
let replay: ReplayRunner | undefined;
let faults: FaultSender | undefined;
let roles: ReturnType<typeof pickFaultRoles<DeviceCredentials>> | undefined;

if (plan.replay) {
  replay = new ReplayRunner({
    mqttUrl: plan.mqttUrl,
    devices,
    units,
    spec: equipmentByKey.get(plan.replay.model)!,
    cycleMs: plan.replay.cycleMs,
    gapCycles: plan.replay.gapCycles,
    intervalMs: plan.intervalMs,
    seed: plan.seed,
    speed: plan.speed,
    groundTruthFile: plan.groundTruthFile,
    onDone: () => void stop('the last unit failed'),
  });
} else {
  fleet = new FleetRunner({
    mqttUrl: plan.mqttUrl,
    devices,
    intervalMs: plan.intervalMs,
    seed: plan.seed,
    speed: plan.speed,
    ...plan.fleet!,
    groundTruthFile: plan.groundTruthFile,
  });
}
if (plan.faultsPerSecond > 0) {
  try {
    roles = pickFaultRoles(devices, plan.seed);
  } catch (err) {
    fail(reason(err));
  }
  const device = (d: DeviceCredentials) => ({
    tenant: d.tenant,
    assetId: d.assetId,
    equipment: equipmentByKey.get(d.equipment)!,
  });
  faults = new FaultSender({
    mqttUrl: plan.mqttUrl,
    ratePerSecond: plan.faultsPerSecond,
    faulty: roles.faulty,
    spoofer: roles.spoofer,
    generator: new FaultGenerator(
      { faulty: device(roles.faulty), spoofer: device(roles.spoofer), victim: device(roles.victim) },
      plan.seed,
    ),
  });
}

const runner = (fleet ?? replay)!;
process.stderr.write(
  `simulate: ${plan.replay ? `replaying ${units.length} units of ${plan.replay.file} on up to ${devices.length}` : `running ${devices.length}`} devices against ${plan.mqttUrl.replace(/\/\/.*@/, '//')}${broker.from === 'platform' ? " (the running platform's broker, from DATA_DIR/demo-broker-url)" : ''}\n`,
);
const connecting = Date.now();
try {
  await runner.start();
} catch (err) {
  fail(reason(err), 1); // e.g. the ground-truth file cannot be written
}
if (runner.stats().connected === 0) {
  await runner.stop();
  fail(`no device could connect to ${plan.mqttUrl}: ${runner.errors().join('; ') || 'no answer'}`, 1);
}
if (runner.errors().length > 0)
  process.stderr.write(`simulate: some devices could not connect: ${runner.errors().join('; ')}\n`);
await faults?.start();
startedAt = Date.now();
process.stderr.write(
  `simulate: ${runner.stats().connected}/${runner.stats().devices} devices connected in ${((startedAt - connecting) / 1000).toFixed(1)} s${faults ? `; sending ${plan.faultsPerSecond} bad messages/s` : ''}\n`,
);

function snapshot(): RunSnapshot {
  const f = fleet?.stats();
  const r = replay?.stats();
  const s = (f ?? r)!;
  return {
    elapsedMs: Date.now() - startedAt,
    devices: s.devices,
    connected: s.connected,
    readings: s.sent,
    injected: f?.injected ?? r?.started ?? 0,
    failures: f?.failures ?? r?.failed ?? 0,
    faults: faults?.stats().sent ?? 0,
    ...(r ? { replay: { units: r.units, started: r.started, failed: r.failed } } : {}),
  };
}

let previous: RunSnapshot | undefined;
const progress =
  plan.progressMs > 0
    ? setInterval(() => {
        const now = snapshot();
        process.stderr.write(progressLine(now, previous) + '\n');
        previous = now;
      }, plan.progressMs)
    : undefined;
const deadline = plan.durationMs
  ? setTimeout(() => void stop('duration reached'), plan.durationMs)
  : undefined;

let stopping = false;
async function stop(why: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(progress);
  clearTimeout(deadline);
  const endedAt = Date.now();
  const last = snapshot();
  await faults?.stop();
  await runner.stop();
  const seconds = (endedAt - startedAt) / 1000;
  const f = fleet?.stats();
  const r = replay?.stats();
  const fs = faults?.stats();
  const summary = {
    stopped: why,
    mode: plan.replay ? 'replay' : 'fleet',
    seconds: Math.round(seconds * 10) / 10,
    devices: last.devices,
    connected: last.connected,
    readings: {
      sent: last.readings,
      perSecond: Number(perSecond(last.readings, endedAt - startedAt)),
      ...(f ? { duplicates: f.duplicates, missing: f.missing } : {}),
      unsent: (f ?? r)!.unsent,
    },
    ...(f
      ? { failures: { injected: f.injected, happened: f.failures, down: f.down }, errorCodes: f.codes }
      : {}),
    ...(r
      ? { replay: { units: r.units, started: r.started, failed: r.failed, lastFailureAt: r.endsAt } }
      : {}),
    ...(fs && roles
      ? {
          faults: {
            sent: fs.sent,
            perSecond: Number(perSecond(fs.sent, endedAt - startedAt)),
            faulty: roles.faulty.assetId,
            spoofer: roles.spoofer.assetId,
            victim: roles.victim.assetId,
            byKind: Object.fromEntries(
              Object.entries(fs.byKind).map(([k, s]) => [
                k,
                { ...s, expect: FAULT_EXPECTATIONS[k as FaultKind] },
              ]),
            ),
          },
        }
      : {}),
    groundTruth: path.resolve(plan.groundTruthFile),
    seed: plan.seed,
    speed: plan.speed,
  };
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n', () => process.exit(0));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(130); // a second Ctrl-C: do not wait
    void stop(signal);
  });
}
