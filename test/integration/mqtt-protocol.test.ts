// What docs/telemetry.md promises about MQTT versions: 3.1.1 everywhere; MQTT 5 only on an external broker that
// offers it (the machine's Mosquitto), while the embedded broker (aedes) refuses it with a clear CONNACK.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBroker, type TestBroker } from '../helpers/broker.ts';
import { PLATFORM } from '../helpers/ingest-rig.ts';

describe('MQTT protocol versions', () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await testBroker();
  });
  afterAll(async () => broker?.stop());

  const connect = async (protocolVersion: 4 | 5) => {
    try {
      const c = await mqtt.connectAsync(broker.url, {
        ...PLATFORM,
        clientId: `protocol-${protocolVersion}-${Date.now()}`,
        protocolVersion,
        reconnectPeriod: 0,
        connectTimeout: 5_000,
      });
      await c.endAsync();
      return 'connected';
    } catch (err) {
      return (err as Error).message;
    }
  };

  it('accepts MQTT 3.1.1', async () => {
    expect(await connect(4)).toBe('connected');
  });

  it('accepts MQTT 5 only on an external broker; the embedded one refuses it', async () => {
    const v5 = await connect(5);
    if (broker.external) expect(v5).toBe('connected');
    else expect(v5).toMatch(/unacceptable protocol version/i);
  });
});
