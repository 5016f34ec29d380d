// Where a webhook may point: http(s) only, no credentials in the URL, and — unless the operator allows it
// (NOTIFY_WEBHOOK_ALLOW_PRIVATE) — no loopback, private, link-local or otherwise internal address, so a
// subscriber cannot make the platform call into its own network (SSRF). The URL is checked when a subscription
// is made; the webhook sender checks every address the name resolves to again when it connects.
import { BlockList, isIP } from 'node:net';

export const MAX_URL_LENGTH = 2048;

const internal = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation (TEST-NET-1..3), as 2001:db8::/32 below; no public host is there
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  internal.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const)
  internal.addSubnet(net, bits, 'ipv6');

/** Loopback, private, link-local, carrier-grade NAT, multicast, reserved — anything not on the public internet. */
export function isInternalAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '');
  const v = isIP(bare);
  if (v === 4) return internal.check(bare, 'ipv4');
  if (v === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
    if (mapped) return internal.check(mapped[1]!, 'ipv4');
    return internal.check(bare, 'ipv6');
  }
  return true; // not an address at all: refuse
}

export type TargetCheck = { ok: true; url: string } | { ok: false; reason: string };

export function checkWebhookUrl(raw: string, allowPrivate: boolean): TargetCheck {
  if (raw.length > MAX_URL_LENGTH)
    return { ok: false, reason: `the URL is longer than ${MAX_URL_LENGTH} characters` };
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    return { ok: false, reason: 'only http and https URLs' };
  if (u.username || u.password)
    return { ok: false, reason: 'no credentials in the URL (the signature authenticates)' };
  // a fully qualified name's final dot ("localhost.") names the same host
  const host = u.hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.+$/, '');
  if (!host) return { ok: false, reason: 'no host' };
  if (!allowPrivate) {
    if (
      host === 'localhost' ||
      host.endsWith('.localhost') ||
      host.endsWith('.internal') ||
      host.endsWith('.local')
    )
      return { ok: false, reason: `${host} is an internal host` };
    if (isIP(host) && isInternalAddress(host)) return { ok: false, reason: `${host} is an internal address` };
    if (!isIP(host) && !host.includes('.')) return { ok: false, reason: `${host} is not a public host name` };
  }
  return { ok: true, url: u.toString() };
}
