// What a broker enforces before a device's messages reach ingest (docs/telemetry.md, "Client ids and packet
// size"), as pure rules that the broker adapters (aedes in common/embedded, Mosquitto's generated config) apply.
//
// Client ids: a broker drops the connection and session of whoever held a client id when someone else connects
// with it, so a client id is as much an identity as a username. A device names itself `<username>` or
// `<username>-<anything>`, never another device's id; the platform's ids (ingest subscriber, workers, relays)
// are reserved for its own credentials.
import { LIMITS } from './mqtt.ts';

/**
 * The largest MQTT packet a broker accepts (its remaining length, i.e. after the 2-5 byte fixed header): twice
 * the largest payload, so a message somewhat over LIMITS.maxPayloadBytes still reaches ingest and is
 * dead-lettered as `too_large` where its owner can see it, while a huge packet is refused as soon as its fixed
 * header arrives, before authentication and before anything is buffered.
 */
export const MAX_PACKET_BYTES = 2 * LIMITS.maxPayloadBytes;

/** Every client id of the platform starts with this (MQTT_CLIENT_ID defaults to `preempt-ingest`). */
export const PLATFORM_CLIENT_ID_PREFIX = 'preempt';

/** The client id a device connects with: its username, or its username and a role (`pump-7-faults`). */
export function deviceClientId(username: string, role?: string): string {
  return role ? `${username}-${role}` : username;
}

/** Whether `clientId` is `name` itself or `name-…`. */
export function clientIdUnder(clientId: string, name: string): boolean {
  return name !== '' && (clientId === name || clientId.startsWith(`${name}-`));
}

/**
 * The usernames that could own a client id: the id itself and each prefix of it that ends before a `-`
 * (`a-b-c` → `a`, `a-b`, `a-b-c`). The broker looks these up among the devices to find the owner.
 */
export function clientIdCandidates(clientId: string): string[] {
  const out: string[] = [];
  for (let i = clientId.indexOf('-'); i >= 0; i = clientId.indexOf('-', i + 1))
    if (i > 0) out.push(clientId.slice(0, i));
  if (clientId) out.push(clientId);
  return out;
}

/** The device a client id belongs to: the longest registered username it is under (null: nobody's). */
export function clientIdOwner(clientId: string, usernames: Iterable<string>): string | null {
  let owner: string | null = null;
  for (const u of usernames) if (clientIdUnder(clientId, u) && u.length > (owner?.length ?? -1)) owner = u;
  return owner;
}

export type ClientIdIdentity = { kind: 'platform' } | { kind: 'device'; username: string };

export type ClientIdRefusal =
  /** An empty id (or one the broker made up): a device must name itself. */
  | 'empty'
  /** One of the platform's ids. */
  | 'reserved'
  /** Neither the device's username nor under it. */
  | 'not_own'
  /** Under the device's username, but a longer registered username owns it (`pump` asking for `pump-1`). */
  | 'another_device';

export type ClientIdVerdict = { allowed: true } | { allowed: false; refusal: ClientIdRefusal };

export interface ClientIdPolicy {
  /** The platform's ids and prefixes besides PLATFORM_CLIENT_ID_PREFIX (its MQTT_CLIENT_ID, its username). */
  reserved: readonly string[];
  /** Registered device usernames among clientIdCandidates(clientId) (more do no harm). */
  registered: readonly string[];
}

/** May this identity connect with this client id? The platform may use any id; a device only its own. */
export function clientIdVerdict(
  identity: ClientIdIdentity,
  clientId: string,
  policy: ClientIdPolicy,
): ClientIdVerdict {
  if (identity.kind === 'platform')
    return clientId ? { allowed: true } : { allowed: false, refusal: 'empty' };
  if (!clientId) return { allowed: false, refusal: 'empty' };
  if ([PLATFORM_CLIENT_ID_PREFIX, ...policy.reserved].some((r) => clientIdUnder(clientId, r)))
    return { allowed: false, refusal: 'reserved' };
  if (!clientIdUnder(clientId, identity.username)) return { allowed: false, refusal: 'not_own' };
  if (clientIdOwner(clientId, [identity.username, ...policy.registered]) !== identity.username)
    return { allowed: false, refusal: 'another_device' };
  return { allowed: true };
}
