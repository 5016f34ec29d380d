// Embedded MQTT broker (aedes) for the zero-configuration start. Devices authenticate with their own
// credentials, connect only under their own client id (common/contracts/mqtt-broker-policy.ts) and may publish
// only to their own topics; the platform identity may subscribe to everything. A packet larger than
// MAX_PACKET_BYTES is refused from its fixed header, before authentication; a device whose secret is rotated or
// revoked is disconnected at the next re-check.
import net from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { mqttPortInUse } from './port-check.ts';
import { PacketSizeGuard } from './packet-size-guard.ts';
import type { Logger } from '../logger.ts';
import { parseTopic } from '../contracts/mqtt.ts';
import { clientIdCandidates, clientIdVerdict, MAX_PACKET_BYTES } from '../contracts/mqtt-broker-policy.ts';

export type BrokerIdentity =
  | { kind: 'platform' }
  /** `credential` tags the secret the device connected with; it changes when the secret is rotated or revoked. */
  | { kind: 'device'; tenant: string; asset: string; username: string; credential: string };

export interface BrokerAuthority {
  /** Who these credentials belong to, or null when they are wrong. */
  identify(username: string, password: string): Promise<BrokerIdentity | null>;
  /** Which of these usernames belong to devices (to find the device a client id belongs to). */
  registered?(usernames: readonly string[]): Promise<string[]>;
  /** The current credential tag of each of these devices; a device missing from the map has none any more. */
  credentials?(usernames: readonly string[]): Promise<Map<string, string>>;
}

export interface EmbeddedBroker {
  port: number;
  url: string;
  /** Disconnects the devices whose secret changed since they connected (also done every `recheckMs`). */
  recheck(): Promise<void>;
  stop(): Promise<void>;
}

const identities = new WeakMap<object, BrokerIdentity>();

function connectError(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}
const authError = () => connectError('bad username or password', 4);
/** CONNACK 2, "identifier rejected". */
const clientIdError = () => connectError('identifier rejected', 2);

export async function startEmbeddedBroker(opts: {
  port: number;
  authority: BrokerAuthority;
  log: Logger;
  host?: string;
  /** Client ids (and `<id>-…`) only the platform may use besides `preempt-…`: its MQTT_CLIENT_ID and username. */
  reservedClientIds?: readonly string[];
  /** How often connected devices' secrets are re-checked (ms). */
  recheckMs?: number;
  /** The largest packet accepted (remaining length, bytes). */
  maxPacketBytes?: number;
}): Promise<EmbeddedBroker> {
  const { authority, log } = opts;
  const reserved = opts.reservedClientIds ?? [];
  const maxPacketBytes = opts.maxPacketBytes ?? MAX_PACKET_BYTES;
  const devices = new Set<Client>();

  const mayUseClientId = async (id: BrokerIdentity, clientId: string) => {
    // only `<username>-…` can belong to a longer username: look those up among the devices
    const registered =
      id.kind === 'device' && clientId.startsWith(`${id.username}-`) && authority.registered
        ? await authority.registered(clientIdCandidates(clientId))
        : [];
    return clientIdVerdict(id, clientId, { reserved, registered });
  };

  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const identify = async () => {
        const id = await authority.identify(username ?? '', password?.toString('utf8') ?? '');
        if (!id) {
          log.warn({ clientId: client.id, username }, 'mqtt connection refused: bad credentials');
          return done(authError(), false);
        }
        const verdict = await mayUseClientId(id, client.id);
        if (!verdict.allowed) {
          log.warn(
            { clientId: client.id, username, refusal: verdict.refusal },
            'mqtt connection refused: client id not its own',
          );
          return done(clientIdError(), false);
        }
        identities.set(client, id);
        done(null, true);
      };
      identify().catch((err: unknown) => {
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
  broker.on('clientReady', (client) => {
    if (identities.get(client)?.kind === 'device') devices.add(client);
  });
  broker.on('clientDisconnect', (client) => devices.delete(client));

  let rechecking: Promise<void> | undefined;
  const recheckOnce = async () => {
    if (!authority.credentials || devices.size === 0) return;
    const connected = [...devices].flatMap((client) => {
      const id = identities.get(client);
      return id?.kind === 'device' ? [{ client, id }] : [];
    });
    const current = await authority.credentials([...new Set(connected.map((c) => c.id.username))]);
    for (const { client, id } of connected) {
      if (client.closed) devices.delete(client);
      if (current.get(id.username) === id.credential || client.closed) continue;
      log.warn(
        { clientId: client.id, username: id.username },
        'mqtt device disconnected: its secret was rotated or revoked',
      );
      devices.delete(client);
      client.close();
    }
  };
  const recheck = () =>
    (rechecking ??= recheckOnce()
      .catch((err: unknown) => log.warn({ err }, 'mqtt device re-check failed; trying again'))
      .finally(() => (rechecking = undefined)));
  const timer = setInterval(() => void recheck(), opts.recheckMs ?? 2_000);
  timer.unref();

  const server = net.createServer((socket) => {
    guardPacketSize(socket, maxPacketBytes, (declared) =>
      log.warn(
        { remoteAddress: socket.remoteAddress, declaredBytes: declared, maxPacketBytes },
        'mqtt connection dropped: packet too large',
      ),
    );
    broker.handle(socket);
  });
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
    recheck,
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        broker.close(() => server.close(() => resolve()));
      }),
  };
}

/**
 * Every chunk aedes reads from the socket passes the guard first; the socket is destroyed at the first packet
 * declaring more than `max` bytes, so at most one socket read of it is ever buffered.
 */
function guardPacketSize(socket: net.Socket, max: number, onRefused: (declared: number) => void): void {
  const guard = new PacketSizeGuard(max);
  const read = socket.read.bind(socket);
  socket.read = ((size?: number) => {
    const chunk = read(size) as Buffer | string | null;
    if (chunk === null || typeof chunk === 'string' || guard.feed(chunk)) return chunk;
    onRefused(guard.refusedLength);
    socket.destroy();
    return null;
  }) as typeof socket.read;
}
