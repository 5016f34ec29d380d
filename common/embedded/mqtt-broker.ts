// Embedded MQTT broker (aedes) for the zero-configuration start. Devices authenticate with their own
// credentials and may publish only to their own topics; the platform identity may subscribe to everything.
import net from 'node:net';
import { Aedes, type AuthenticateError } from 'aedes';
import { mqttPortInUse } from './port-check.ts';
import type { Logger } from '../logger.ts';
import { parseTopic } from '../contracts/mqtt.ts';

export type BrokerIdentity = { kind: 'platform' } | { kind: 'device'; tenant: string; asset: string };

export interface BrokerAuthority {
  /** Who these credentials belong to, or null when they are wrong. */
  identify(username: string, password: string): Promise<BrokerIdentity | null>;
}

export interface EmbeddedBroker {
  port: number;
  url: string;
  stop(): Promise<void>;
}

const identities = new WeakMap<object, BrokerIdentity>();

function authError(): AuthenticateError {
  return Object.assign(new Error('bad username or password'), { returnCode: 4 }) as AuthenticateError;
}

export async function startEmbeddedBroker(opts: {
  port: number;
  authority: BrokerAuthority;
  log: Logger;
  host?: string;
}): Promise<EmbeddedBroker> {
  const { authority, log } = opts;
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      authority
        .identify(username ?? '', password?.toString('utf8') ?? '')
        .then((id) => {
          if (!id) {
            log.warn({ clientId: client.id, username }, 'mqtt connection refused: bad credentials');
            return done(authError(), false);
          }
          identities.set(client, id);
          done(null, true);
        })
        .catch((err: unknown) => {
          log.error({ err }, 'mqtt authentication failed');
          done(authError(), false);
        });
    },
    authorizePublish: (client, packet, done) => {
      const id = client ? identities.get(client) : { kind: 'platform' as const };
      if (id?.kind === 'platform') return done(null);
      const t = parseTopic(packet.topic);
      if (id?.kind === 'device' && t && t.tenant === id.tenant && t.asset === id.asset) return done(null);
      log.warn(
        { clientId: client?.id, topic: packet.topic },
        "mqtt publish refused: not the device's own topic",
      );
      done(new Error('not authorized'));
    },
    authorizeSubscribe: (client, sub, done) => {
      const id = identities.get(client);
      if (id?.kind === 'platform') return done(null, sub);
      log.warn({ clientId: client.id, topic: sub.topic }, 'mqtt subscribe refused: devices do not subscribe');
      done(new Error('not authorized'));
    },
  });
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? mqttPortInUse(opts.port) : err);
    });
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  log.info({ port }, 'embedded MQTT broker listening');
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()));
      }),
  };
}
