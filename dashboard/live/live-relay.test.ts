import { describe, expect, it } from 'vitest';
import { EventBus } from '../../common/event-bus.ts';
import type { PlatformEvents } from '../../common/events.ts';
import { MemoryLiveChannel } from './live-channel.ts';
import { relayToLive } from './live-relay.ts';

/** A live channel that knows which assets are watched, as the socket.io one does. */
class WatchingChannel extends MemoryLiveChannel {
  constructor(private readonly watching: ReadonlySet<string>) {
    super();
  }
  watched(assetId: string): boolean {
    return this.watching.has(assetId);
  }
}

describe('relayToLive', () => {
  const reading = (assetId: string) => ({
    assetId,
    tenantId: 't1',
    ts: new Date('2026-05-01T12:00:00Z'),
    metrics: { temp: 1 },
  });

  it('relays a reading of a watched asset to its room, and builds nothing for an unwatched one', () => {
    const bus = new EventBus<PlatformEvents>();
    const live = new WatchingChannel(new Set(['a1']));
    relayToLive(bus, live);
    bus.emit('reading.ingested', reading('a1'));
    bus.emit('reading.ingested', reading('a2'));
    expect(live.sent).toEqual([
      {
        to: [{ asset: 'a1' }],
        event: 'reading',
        payload: { assetId: 'a1', ts: '2026-05-01T12:00:00.000Z', metrics: { temp: 1 } },
      },
    ]);
  });

  it('relays every reading through a channel that cannot tell who watches', () => {
    const bus = new EventBus<PlatformEvents>();
    const live = new MemoryLiveChannel();
    relayToLive(bus, live);
    bus.emit('reading.ingested', reading('a2'));
    expect(live.sent).toHaveLength(1);
  });
});
