import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isInternalAddress } from './target.ts';

describe('webhook targets (SSRF)', () => {
  it('refuses internal addresses of every kind', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '192.0.2.2',
      '198.51.100.7',
      '203.0.113.9',
      'not-an-ip',
    ])
      expect(isInternalAddress(ip), ip).toBe(true);
    for (const ip of ['93.184.216.34', '8.8.8.8', '2606:4700::1111'])
      expect(isInternalAddress(ip), ip).toBe(false);
  });

  it('accepts public http(s) URLs only', () => {
    expect(checkWebhookUrl('https://hooks.example.com/preempt', false)).toEqual({
      ok: true,
      url: 'https://hooks.example.com/preempt',
    });
    for (const bad of [
      'ftp://example.com/x',
      'file:///etc/passwd',
      'gopher://example.com',
      'http://localhost:8080/x',
      'http://127.0.0.1/x',
      'http://[::1]/x',
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.5/x',
      'http://2130706433/x', // 127.0.0.1 as one number
      'http://0x7f.1/x',
      'http://intranet/x',
      'http://db.internal/x',
      // the final dot of a fully qualified name, and documentation addresses (this machine's own is 192.0.2.2)
      'http://localhost.:3000/x',
      'http://localhost../x',
      'http://db.internal./x',
      'http://intranet./x',
      'http://192.0.2.2:3000/x',
      'https://user:pass@example.com/x',
      'not a url',
      'https://example.com/' + 'x'.repeat(3000),
    ])
      expect(checkWebhookUrl(bad, false).ok, bad).toBe(false);
  });

  it('keeps a public name with a final dot', () => {
    expect(checkWebhookUrl('https://hooks.example.com./preempt', false).ok).toBe(true);
  });

  it('allows loopback and private targets only when the operator says so', () => {
    expect(checkWebhookUrl('http://127.0.0.1:4000/hook', true).ok).toBe(true);
    expect(checkWebhookUrl('ftp://127.0.0.1/hook', true).ok).toBe(false);
  });
});
