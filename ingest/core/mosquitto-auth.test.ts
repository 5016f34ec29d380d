import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mosquittoAuthFiles, mosquittoPasswordHash } from './mosquitto-auth.ts';

describe('Mosquitto auth files', () => {
  it('hashes like mosquitto_passwd: $7$, 101 rounds of PBKDF2-SHA512, 12-byte salt, 64-byte hash', () => {
    const h = mosquittoPasswordHash('secret1', Buffer.alloc(12, 7));
    const [, scheme, rounds, salt, hash] = h.split('$');
    expect([scheme, rounds]).toEqual(['7', '101']);
    expect(Buffer.from(salt!, 'base64')).toEqual(Buffer.alloc(12, 7));
    expect(Buffer.from(hash!, 'base64')).toEqual(
      pbkdf2Sync('secret1', Buffer.alloc(12, 7), 101, 64, 'sha512'),
    );
  });

  it('lets each device write only below its own prefix and skips devices without a broker hash', () => {
    const files = mosquittoAuthFiles(
      [
        { username: 'pump-1', tenant: 'acme', assetId: 'pump-1', brokerHash: '$7$101$a$b' },
        { username: 'old', tenant: 'acme', assetId: 'old', brokerHash: null },
        { username: 'bad name', tenant: 'acme', assetId: 'x', brokerHash: '$7$101$a$b' },
      ],
      { username: 'preempt-ingest', brokerHash: '$7$101$c$d' },
    );
    expect(files.passwd).toBe('preempt-ingest:$7$101$c$d\npump-1:$7$101$a$b\n');
    expect(files.acl).toContain('user pump-1\ntopic write t/acme/a/pump-1/#');
    expect(files.acl).toContain('user preempt-ingest\ntopic read t/+/a/+/telemetry');
    expect(files.skipped).toEqual(['old', 'bad name']);
  });
});
