// Device authentication and ACLs on a real Mosquitto, configured with the files `npm run mosquitto:auth` writes:
// a device publishes to its own topics only; a wrong password or another device's topic gets nothing stored.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../common/contracts/mqtt.ts';
import { mosquittoAuthFiles, mosquittoPasswordHash } from '../../ingest/core/mosquitto-auth.ts';
import { DEVICE_PASSWORD, deviceClient, ingestRig, PLATFORM, type IngestRig } from '../helpers/ingest-rig.ts';
import { hasMosquitto, startMosquitto, type PrivateMosquitto } from '../helpers/mosquitto.ts';
import { recordDrill } from '../helpers/drill-record.ts';
import { eventually } from '../helpers/platform.ts';

describe.skipIf(!hasMosquitto())('Mosquitto with generated password and ACL files', () => {
  let broker: PrivateMosquitto;
  let url: string;
  let rig: IngestRig;

  beforeAll(async () => {
    // the rig's devices (pump-0, pump-1 of tenant acme) with their broker hashes, as `npm run mosquitto:auth` writes them
    const files = mosquittoAuthFiles(
      ['pump-0', 'pump-1'].map((a) => ({
        username: a,
        tenant: 'acme',
        assetId: a,
        brokerHash: mosquittoPasswordHash(DEVICE_PASSWORD),
      })),
      { username: PLATFORM.username, brokerHash: mosquittoPasswordHash(PLATFORM.password) },
    );
    broker = await startMosquitto((dir) => {
      writeFileSync(path.join(dir, 'passwd'), files.passwd);
      writeFileSync(path.join(dir, 'acl'), files.acl);
      return ['allow_anonymous false', `password_file ${dir}/passwd`, `acl_file ${dir}/acl`];
    }, PLATFORM);
    url = broker.url;
    rig = await ingestRig({ assets: 2, brokerUrl: url });
  }, 60_000);

  afterAll(async () => {
    await rig?.close();
    await broker?.stop();
  });
  it('stores what a device publishes on its own topic, and nothing it publishes as another device', async () => {
    const device = await deviceClient(url, 'pump-0');
    const reading = (v: number) => JSON.stringify({ ts: Date.now(), metrics: { vibration: v } });
    await device.publishAsync(topics.telemetry('acme', 'pump-0'), reading(1), { qos: 1 });
    await device.publishAsync(topics.telemetry('acme', 'pump-1'), reading(2), { qos: 1 }); // refused by the ACL
    await eventually(async () => (await rig.pointCount('pump-0')) === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await rig.pointCount('pump-1')).toBe(0);
    recordDrill({
      drill:
        'a device publishing as another device (Mosquitto with the generated ACL; aedes in ingest.test.ts)',
      behaviour: 'refused by the broker; nothing stored for the other device',
      lost: 'nothing',
      test: 'test/integration/mosquitto-acl.test.ts',
    });
    await device.endAsync();
  });

  it('refuses a device with a wrong password', async () => {
    await expect(
      mqtt.connectAsync(url, {
        username: 'pump-0',
        password: 'wrong',
        reconnectPeriod: 0,
        connectTimeout: 2_000,
      }),
    ).rejects.toThrow(/Not authorized|Bad username or password/i);
  });
});
