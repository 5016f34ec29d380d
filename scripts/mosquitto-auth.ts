// `npm run mosquitto:auth -- --out <dir>`: writes Mosquitto's `passwd` and `acl` files for every device in the
// asset table (and the platform's own user, from MQTT_USERNAME / MQTT_PASSWORD), and `listeners.conf`, the
// listeners that tie each device's client id to its username (docs/telemetry.md): a device listener
// (--device-port, default 1883) and a private platform listener (--platform-port 1884 on --platform-host
// 127.0.0.1), with `passwd-devices` and `passwd-platform`. Include listeners.conf from mosquitto.conf (and
// point MQTT_URL at the platform listener); `--conf-dir` is the folder as Mosquitto sees it (default --out).
// Send Mosquitto SIGHUP to reload after devices change.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cliPath, configOrExit } from '../common/cli.ts';
import { createDb } from '../common/db.ts';
import {
  mosquittoAuthFiles,
  mosquittoListenersConf,
  mosquittoPasswordHash,
} from '../ingest/core/mosquitto-auth.ts';

const config = configOrExit();
const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    'conf-dir': { type: 'string' },
    'device-port': { type: 'string', default: '1883' },
    'platform-port': { type: 'string', default: '1884' },
    'platform-host': { type: 'string', default: '127.0.0.1' },
  },
});
// a given --out is relative to the folder npm was run from (cliPath); the default is in the project
const out = values.out === undefined ? 'docker/mosquitto-auth' : cliPath(values.out);
if (!config.databaseUrl) {
  console.error('mosquitto:auth reads the devices from DATABASE_URL: set it to the platform database');
  process.exit(78);
}
const db = createDb(config.databaseUrl);
try {
  const devices = await db.device.findMany({
    include: { asset: { include: { tenant: true } } },
    orderBy: { username: 'asc' },
  });
  const files = mosquittoAuthFiles(
    devices.map((d) => ({
      username: d.username,
      tenant: d.asset.tenant.slug,
      assetId: d.assetId,
      brokerHash: d.brokerHash,
    })),
    {
      username: config.mqttUsername,
      brokerHash: config.mqttPassword ? mosquittoPasswordHash(config.mqttPassword) : undefined,
      clientId: config.mqttClientId,
    },
  );
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'passwd'), files.passwd, { mode: 0o600 });
  writeFileSync(path.join(out, 'passwd-devices'), files.devicePasswd, { mode: 0o600 });
  writeFileSync(path.join(out, 'passwd-platform'), files.platformPasswd, { mode: 0o600 });
  writeFileSync(path.join(out, 'acl'), files.acl, { mode: 0o644 });
  writeFileSync(
    path.join(out, 'listeners.conf'),
    mosquittoListenersConf({
      dir: values['conf-dir'] ?? path.resolve(out),
      devicePort: Number(values['device-port']),
      platformPort: Number(values['platform-port']),
      platformHost: values['platform-host'],
    }),
    { mode: 0o644 },
  );
  console.error(
    `wrote passwd, passwd-devices, passwd-platform, acl and listeners.conf in ${out} for ${devices.length - files.skipped.length} devices`,
  );
  if (files.skipped.length)
    console.error(
      `left out (no broker hash: issue them a new secret; or named like the platform's client ids): ${files.skipped.join(', ')}`,
    );
} finally {
  await db.$disconnect();
}
