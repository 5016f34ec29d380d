// Webhook POSTs over node:http(s). Every address the host name resolves to is checked when the connection is
// made (not only when the subscription was created), so a name that later points inside the network (DNS
// rebinding) is refused too. No redirects are followed; the response body is not read; 10 s timeout.
import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { isInternalAddress } from '../core/target.ts';
import type { WebhookPort } from '../ports.ts';

export class HttpWebhook implements WebhookPort {
  constructor(private readonly o: { allowPrivate: boolean; timeoutMs?: number }) {}

  private readonly lookup: LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find((a) => isInternalAddress(a.address));
      if (!this.o.allowPrivate && bad)
        return callback(new Error(`${hostname} resolves to an internal address`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };

  post(url: string, headers: Record<string, string>, body: string): Promise<void> {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    // an address literal is connected to without a lookup: checked here
    if (!this.o.allowPrivate && isIP(host) && isInternalAddress(host))
      return Promise.reject(new Error(`${host} is an internal address`));
    const lib = u.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(
        u,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...headers,
          },
          lookup: this.lookup,
          timeout: this.o.timeoutMs ?? 10_000,
        },
        (res) => {
          res.resume(); // the body is not read: a huge answer costs nothing
          const status = res.statusCode ?? 0;
          res.destroy();
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`HTTP ${status}`));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }
}
