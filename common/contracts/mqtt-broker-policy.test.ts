import { describe, expect, it } from 'vitest';
import {
  clientIdCandidates,
  clientIdOwner,
  clientIdVerdict,
  deviceClientId,
  type ClientIdIdentity,
} from './mqtt-broker-policy.ts';

const device = (username: string): ClientIdIdentity => ({ kind: 'device', username });
const policy = { reserved: ['preempt-ingest', 'ingest-eu'], registered: [] as string[] };

describe('client id policy', () => {
  it('lets a device use its username, or its username and a role', () => {
    expect(clientIdVerdict(device('acme-pump-1'), 'acme-pump-1', policy)).toEqual({ allowed: true });
    expect(clientIdVerdict(device('acme-pump-1'), deviceClientId('acme-pump-1', 'faults'), policy)).toEqual({
      allowed: true,
    });
  });

  it("refuses a device the platform's ids: the ingest subscriber, its workers and relays", () => {
    for (const id of [
      'preempt-ingest',
      'preempt-ingest-2',
      'preempt-ingest-announce',
      'preempt-ingest-platform',
      'preempt-test-1a2b',
      'ingest-eu',
      'ingest-eu-announce',
    ])
      expect(clientIdVerdict(device('acme-pump-1'), id, policy)).toEqual({
        allowed: false,
        refusal: 'reserved',
      });
    // even a device whose username would make the id "its own"
    expect(clientIdVerdict(device('preempt'), 'preempt-ingest', policy)).toMatchObject({
      refusal: 'reserved',
    });
    expect(clientIdVerdict(device('ingest'), 'ingest-eu', policy)).toMatchObject({ refusal: 'reserved' });
  });

  it("refuses another device's id, an id merely starting like its own, and an empty or made-up id", () => {
    const pump = device('acme-pump-1');
    expect(clientIdVerdict(pump, 'globex-chiller-3', policy)).toMatchObject({ refusal: 'not_own' });
    expect(clientIdVerdict(pump, 'sim-globex-chiller-3', policy)).toMatchObject({ refusal: 'not_own' });
    expect(clientIdVerdict(pump, 'acme-pump-10', policy)).toMatchObject({ refusal: 'not_own' });
    expect(clientIdVerdict(pump, 'acme-pump-1_x', policy)).toMatchObject({ refusal: 'not_own' });
    expect(clientIdVerdict(pump, 'acme-pump', policy)).toMatchObject({ refusal: 'not_own' });
    expect(clientIdVerdict(pump, '', policy)).toMatchObject({ refusal: 'empty' });
    expect(clientIdVerdict(pump, 'aedes_4f7c', policy)).toMatchObject({ refusal: 'not_own' });
  });

  it('refuses a device whose username is a prefix of a longer registered username the id belongs to', () => {
    const registered = clientIdCandidates('acme-pump-1-faults').filter((c) =>
      ['acme-pump', 'acme-pump-1'].includes(c),
    );
    expect(clientIdVerdict(device('acme-pump'), 'acme-pump-1', { ...policy, registered })).toMatchObject({
      refusal: 'another_device',
    });
    expect(
      clientIdVerdict(device('acme-pump'), 'acme-pump-1-faults', { ...policy, registered }),
    ).toMatchObject({
      refusal: 'another_device',
    });
    expect(clientIdVerdict(device('acme-pump'), 'acme-pump-sim', { ...policy, registered })).toEqual({
      allowed: true,
    });
    expect(clientIdVerdict(device('acme-pump-1'), 'acme-pump-1-faults', { ...policy, registered })).toEqual({
      allowed: true,
    });
  });

  it('lets the platform use any non-empty id', () => {
    for (const id of ['preempt-ingest', 'ingest-eu-7', 'anything'])
      expect(clientIdVerdict({ kind: 'platform' }, id, policy)).toEqual({ allowed: true });
    expect(clientIdVerdict({ kind: 'platform' }, '', policy)).toMatchObject({ refusal: 'empty' });
  });

  it('lists the usernames that could own an id, and picks the longest registered one', () => {
    expect(clientIdCandidates('a-b-c')).toEqual(['a', 'a-b', 'a-b-c']);
    expect(clientIdCandidates('-a--b')).toEqual(['-a', '-a-', '-a--b']);
    expect(clientIdCandidates('')).toEqual([]);
    expect(clientIdOwner('a-b-c', ['a', 'a-b', 'x'])).toBe('a-b');
    expect(clientIdOwner('a-bc', ['a-b'])).toBeNull();
  });
});
