import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mosquittoAuthFiles, mosquittoListenersConf, mosquittoPasswordHash } from './mosquitto-auth.ts';

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

  it('splits the passwords by listener and leaves out devices named like the platform', () => {
    const files = mosquittoAuthFiles(
      [
        { username: 'pump-1', tenant: 'acme', assetId: 'pump-1', brokerHash: '$7$101$a$b' },
        { username: 'preempt-ingest-2', tenant: 'acme', assetId: 'x', brokerHash: '$7$101$a$b' },
        { username: 'ingest-eu', tenant: 'acme', assetId: 'y', brokerHash: '$7$101$a$b' },
      ],
      { username: 'preempt-ingest', brokerHash: '$7$101$c$d', clientId: 'ingest-eu' },
    );
    expect(files.devicePasswd).toBe('pump-1:$7$101$a$b\n');
    expect(files.platformPasswd).toBe('preempt-ingest:$7$101$c$d\n');
    expect(files.skipped).toEqual(['preempt-ingest-2', 'ingest-eu']);
  });

  it('binds client ids to usernames on the device listener and keeps the platform on a private one', () => {
    const conf = mosquittoListenersConf({ dir: '/etc/mosquitto/preempt' }).split('\n');
    expect(conf[1]).toBe('per_listener_settings true');
    expect(conf).toContain('max_packet_size 131077');
    const devices = conf.indexOf('listener 1883');
    const platform = conf.indexOf('listener 1884 127.0.0.1');
    expect(devices).toBeGreaterThan(0);
    expect(platform).toBeGreaterThan(devices);
    expect(conf.slice(devices, platform)).toEqual(
      expect.arrayContaining([
        'allow_anonymous false',
        'password_file /etc/mosquitto/preempt/passwd-devices',
        'use_username_as_clientid true',
      ]),
    );
    expect(conf.slice(platform)).toContain('password_file /etc/mosquitto/preempt/passwd-platform');
    expect(conf.slice(platform)).not.toContain('use_username_as_clientid true');
  });
});
