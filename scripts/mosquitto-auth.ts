// `npm run mosquitto:auth -- --out <dir>`: writes Mosquitto's `passwd` and `acl` files for every device in the
// asset table (and the platform's own user, from MQTT_USERNAME / MQTT_PASSWORD). Point mosquitto.conf at them:
//   password_file <dir>/passwd   acl_file <dir>/acl   allow_anonymous false
// and send Mosquitto SIGHUP to reload after devices change.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configOrExit } from '../common/cli.ts';
import { createDb } from '../common/db.ts';
import { mosquittoAuthFiles, mosquittoPasswordHash } from '../ingest/core/mosquitto-auth.ts';

const config = configOrExit();
const { values } = parseArgs({ options: { out: { type: 'string', default: 'docker/mosquitto-auth' } } });
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
    },
  );
  mkdirSync(values.out, { recursive: true });
  writeFileSync(path.join(values.out, 'passwd'), files.passwd, { mode: 0o600 });
  writeFileSync(path.join(values.out, 'acl'), files.acl, { mode: 0o644 });
  console.error(
    `wrote ${path.join(values.out, 'passwd')} and acl for ${devices.length - files.skipped.length} devices`,
  );
  if (files.skipped.length)
    console.error(`left out (no broker hash: issue them a new secret): ${files.skipped.join(', ')}`);
} finally {
  await db.$disconnect();
}
