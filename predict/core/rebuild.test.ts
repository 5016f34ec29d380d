import { describe, expect, it } from 'vitest';
import { afterRebuild, readingsOf } from './rebuild.ts';
import { decodeRemote, SeenIds } from './remote-events.ts';

describe('rebuilding a partition and the events that cross to the platform', () => {
  it('joins series into readings in time order, the metrics of one instant together', () => {
    const t = (s: number) => new Date(s * 1000);
    expect(
      readingsOf({
        vibration: [
          { ts: t(2), value: 5 },
          { ts: t(1), value: 4 },
        ],
        temperature: [{ ts: t(2), value: 60 }],
      }),
    ).toEqual([
      { at: 1000, metrics: { vibration: 4 } },
      { at: 2000, metrics: { vibration: 5, temperature: 60 } },
    ]);
  });

  it('feeds a stream reading only when it is after the rebuilt window of its asset', () => {
    const until = new Map([['a', 1000]]);
    expect(afterRebuild(until, 'a', 1000)).toBe(false);
    expect(afterRebuild(until, 'a', 999)).toBe(false);
    expect(afterRebuild(until, 'a', 1001)).toBe(true);
    expect(afterRebuild(until, 'b', 1)).toBe(true);
  });

  it('parses remote events with their dates, and refuses what this side does not accept', () => {
    const json = JSON.stringify({
      id: 'x1',
      event: 'order.closed',
      payload: {
        orderId: 'o',
        tenantId: 't',
        assetId: 'a',
        failureModeId: 'f',
        status: 'CANCELLED',
        at: '2026-01-01T00:00:00Z',
        snoozeUntil: '2026-01-02T00:00:00Z',
      },
    });
    const e = decodeRemote(json, ['order.closed']);
    expect(e?.payload).toMatchObject({
      at: new Date('2026-01-01T00:00:00Z'),
      snoozeUntil: new Date('2026-01-02T00:00:00Z'),
    });
    expect(decodeRemote(json, ['prediction.raised'])).toBeUndefined();
    expect(decodeRemote('{not json', ['order.closed'])).toBeUndefined();
    const p = decodeRemote(
      JSON.stringify({
        id: 'x2',
        event: 'prediction.raised',
        payload: { predictionId: 'p', expectedFailureAt: '2026-01-03T00:00:00Z' },
      }),
      ['prediction.raised'],
    );
    expect((p?.payload as { expectedFailureAt: Date }).expectedFailureAt).toEqual(
      new Date('2026-01-03T00:00:00Z'),
    );
  });

  it('passes an event id once, remembering a bounded number of them', () => {
    const seen = new SeenIds(2);
    expect(seen.first('a')).toBe(true);
    expect(seen.first('a')).toBe(false);
    seen.first('b');
    seen.first('c'); // 'a' forgotten
    expect(seen.first('a')).toBe(true);
  });
});
