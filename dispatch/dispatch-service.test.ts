// Shutting the planner down: a round in flight finishes before stop() returns (the platform closes the database
// right after), and no round starts once stopped. In-memory network store, the real bus.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../common/clock.ts';
import { EventBus } from '../common/event-bus.ts';
import type { PlatformEvents } from '../common/events.ts';
import { createLogger } from '../common/logger.ts';
import type { NetworkStore } from './adapters/network-store.ts';
import type { OrderView } from './adapters/order-view.ts';
import { DEFAULT_POLICY } from './core/policy.ts';
import { DispatchService } from './dispatch-service.ts';

function planner() {
  const snapshots: (() => void)[] = [];
  const network = {
    // each round's snapshot waits until the test lets it go; then there is nothing to plan
    snapshot: () => new Promise((resolve) => snapshots.push(() => resolve({ orders: [] }))),
  } as unknown as NetworkStore;
  const service = new DispatchService({
    network,
    orders: {} as OrderView,
    bus: new EventBus<PlatformEvents>(),
    clock: new FakeClock(new Date('2026-12-06T08:00:00Z')),
    log: createLogger({ level: 'silent' }),
    policy: DEFAULT_POLICY,
  });
  return { service, snapshots };
}

describe('DispatchService.stop', () => {
  it('waits for the round in flight, and the round asked for during it does not run', async () => {
    const { service, snapshots } = planner();
    const round = service.plan();
    void service.plan(); // asked for during the round: would run after it
    expect(snapshots).toHaveLength(1);
    let stopped = false;
    const stopping = service.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    snapshots[0]!();
    await stopping;
    await round;
    expect(stopped).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(snapshots).toHaveLength(1);
  });

  it('starts no round once stopped', async () => {
    const { service, snapshots } = planner();
    await service.stop();
    await service.plan();
    expect(snapshots).toHaveLength(0);
  });
});
