// Device authentication and ACLs on a real Mosquitto, configured with the files `npm run mosquitto:auth` writes:
// a device publishes to its own topics only; a wrong password or another device's topic gets nothing stored.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../common/contracts/mqtt.ts';
import { deviceClient, ingestRig, startRigMosquitto, type IngestRig } from '../helpers/ingest-rig.ts';
import { hasMosquitto, type PrivateMosquitto } from '../helpers/mosquitto.ts';
import { recordDrill } from '../helpers/drill-record.ts';
import { eventually } from '../helpers/platform.ts';

describe.skipIf(!hasMosquitto())('Mosquitto with generated password and ACL files', () => {
  let broker: PrivateMosquitto;
  let url: string;
  let rig: IngestRig;

  beforeAll(async () => {
    broker = await startRigMosquitto();
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
