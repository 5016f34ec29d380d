// The MQTT broker of an integration test: TEST_MQTT_URL (e.g. the machine's Mosquitto), or an embedded one.
import { startEmbeddedBroker, type BrokerAuthority } from '../../common/embedded/mqtt-broker.ts';
import { createLogger } from '../../common/logger.ts';
import { freePort } from './ports.ts';

export interface TestBroker {
  url: string;
  external: boolean;
  stop(): Promise<void>;
}

export const allowAll: BrokerAuthority = { identify: async () => ({ kind: 'platform' }) };

export async function testBroker(authority: BrokerAuthority = allowAll): Promise<TestBroker> {
  if (process.env.TEST_MQTT_URL)
    return { url: process.env.TEST_MQTT_URL, external: true, stop: async () => undefined };
  const b = await startEmbeddedBroker({
    port: await freePort(),
    authority,
    log: createLogger({ level: 'silent' }),
    host: '127.0.0.1',
  });
  return { url: b.url, external: false, stop: b.stop };
}
