import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../common/clock.ts';
import {
  DeadLetterCap,
  deviceOf,
  OTHER_DEVICES,
  retentionCutoff,
  summaryRecord,
  sweepOlderThan,
} from './dead-letter-cap.ts';

const A = 't/acme/a/pump-1/telemetry';
const B = 't/acme/a/pump-2/telemetry';

describe('dead letter cap per device and minute', () => {
  it('stores the first N of a device in a minute, counts the rest, and summarises them once the minute is over', () => {
    const clock = new FakeClock(new Date('2026-03-01T12:00:05Z'));
    const cap = new DeadLetterCap(3);
    const decisions = Array.from({ length: 10 }, () =>
      cap.admit(A, 'not_json', 60_000, clock.now().getTime()),
    );
    expect(decisions.map((d) => d.store)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(decisions.some((d) => d.summary)).toBe(false);
    // another device of the same tenant has its own allowance
    expect(cap.admit(B, 'schema', 10, clock.now().getTime()).store).toBe(true);
    // nothing is due within the minute
    clock.advance(50_000);
    expect(cap.due(clock.now().getTime())).toEqual([]);
    clock.advance(5_000); // 12:01:00
    const due = cap.due(clock.now().getTime());
    expect(due).toEqual([
      {
        device: 'acme/pump-1',
        topic: A,
        windowStart: Date.parse('2026-03-01T12:00:00Z'),
        notStored: 7,
        bytes: 420_000,
        byReason: { not_json: 7 },
      },
    ]);
    expect(cap.tracked).toBe(0);
    // a new minute: a new allowance
    expect(cap.admit(A, 'not_json', 1, clock.now().getTime()).store).toBe(true);
  });

  it('hands over the summary of the previous minute with the first message of the next one', () => {
    const cap = new DeadLetterCap(1);
    const t0 = Date.parse('2026-03-01T12:00:59Z');
    cap.admit(A, 'schema', 5, t0);
    cap.admit(A, 'out_of_range', 5, t0);
    cap.admit(A, 'schema', 5, t0);
    const next = cap.admit(A, 'schema', 5, t0 + 1_000);
    expect(next.store).toBe(true);
    expect(next.summary).toMatchObject({ notStored: 2, byReason: { schema: 1, out_of_range: 1 } });
    expect(cap.due(t0 + 61_000)).toEqual([]); // handed over once only
  });

  it('stores everything with no cap (0)', () => {
    const cap = new DeadLetterCap(0);
    for (let i = 0; i < 1_000; i++) expect(cap.admit(A, 'not_json', 1, 0).store).toBe(true);
    expect(cap.drain()).toEqual([]);
  });

  it('drains the minute under way at shutdown', () => {
    const cap = new DeadLetterCap(1);
    cap.admit(A, 'not_json', 1, 0);
    cap.admit(A, 'not_json', 1, 0);
    cap.admit(B, 'not_json', 1, 0);
    expect(cap.drain().map((s) => [s.device, s.notStored])).toEqual([['acme/pump-1', 1]]);
    expect(cap.tracked).toBe(0);
  });

  it('shares one window among devices beyond the tracked limit, so memory stays bounded', () => {
    const cap = new DeadLetterCap(1, 2);
    cap.admit(A, 'not_json', 1, 0);
    cap.admit(B, 'not_json', 1, 0);
    expect(cap.admit('t/acme/a/pump-3/telemetry', 'not_json', 1, 0).store).toBe(true);
    expect(cap.admit('t/acme/a/pump-4/telemetry', 'not_json', 1, 0).store).toBe(false);
    expect(cap.tracked).toBe(3);
    const [s] = cap.due(60_000);
    expect(s).toMatchObject({ device: OTHER_DEVICES, notStored: 1 });
    expect(summaryRecord(s!, 1)).toMatchObject({ topic: '(other devices)', reason: 'not_stored' });
  });

  it('keys on tenant and asset of the topic, whatever the kind', () => {
    expect(deviceOf('t/acme/a/pump-1/status')).toBe(deviceOf(A));
    expect(deviceOf('t/globex/a/pump-1/telemetry')).not.toBe(deviceOf(A));
    expect(deviceOf('weird')).toBe('topic:weird');
  });

  it('writes the summary as a dead letter that says what was not stored', () => {
    const r = summaryRecord(
      {
        device: 'acme/pump-1',
        topic: A,
        windowStart: Date.parse('2026-03-01T12:00:00Z'),
        notStored: 6540,
        bytes: 392_400_000,
        byReason: { not_json: 6540 },
      },
      60,
    );
    expect(r).toEqual({
      k: 'reject',
      topic: A,
      reason: 'not_stored',
      detail:
        '6540 more refused messages from this device were not stored (2026-03-01 12:00-12:01 UTC; at most 60 a ' +
        'minute per device are kept in full; 392400000 bytes; not_json 6540)',
      raw: '',
      rawBytes: 0,
    });
  });
});

describe('dead letter retention', () => {
  it('computes the cutoff from the clock, or none when kept', () => {
    const now = new Date('2026-03-31T00:00:00Z');
    expect(retentionCutoff(now, 30)).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(retentionCutoff(now, 0)).toBeUndefined();
  });

  it('deletes in bounded batches until a batch comes back short', async () => {
    let left = 12;
    const limits: number[] = [];
    const deleted = await sweepOlderThan(
      new Date(0),
      async (_c, limit) => {
        limits.push(limit);
        const n = Math.min(limit, left);
        left -= n;
        return n;
      },
      5,
    );
    expect([deleted, left, limits]).toEqual([12, 0, [5, 5, 5]]);
  });

  it('stops after the most batches a sweep may run; the next sweep goes on', async () => {
    let calls = 0;
    const deleted = await sweepOlderThan(new Date(0), async (_c, limit) => (calls++, limit), 10, 3);
    expect([deleted, calls]).toEqual([30, 3]);
  });
});
