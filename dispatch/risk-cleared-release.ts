// The risk-cleared policy (docs/adr/0008-risk-cleared-policy.md). Predict flags an open order `riskCleared` when
// its risk has gone; under RISK_CLEARED_POLICY=release the platform cancels a flagged order once the grace period
// has passed and its technician has not left yet (core/order-closure.ts: releaseDue), through the dispatcher's
// cancel path with reason RISK_CLEARED — so its reservation is released, its shipments cancelled and its
// technician freed in one transaction, and order.closed starts the pair afresh in predict. Under `confirm` it
// does nothing: the board shows the flag and a dispatcher keeps (accept) or releases (cancel) the job.
import type { Clock } from '../common/clock.ts';
import { isAppError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { releaseDue, type RiskClearedPolicy } from './core/order-closure.ts';
import type { FlaggedOrderStore } from './adapters/flagged-orders.ts';
import type { OrderDesk } from './order-desk.ts';

/** Who the order history names for a release by the platform. */
export const RELEASE_ACTOR = 'platform (risk-cleared policy)';

export interface RiskClearedReleaseOptions {
  policy: RiskClearedPolicy;
  orders: FlaggedOrderStore;
  desk: Pick<OrderDesk, 'cancel'>;
  clock: Clock;
  log: Logger;
  /** How often to look for orders past their grace (default: half the grace, between 1 s and 1 min). */
  everyMs?: number;
}

export class RiskClearedRelease {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<string[]> | undefined;
  released = 0;

  constructor(private readonly o: RiskClearedReleaseOptions) {}

  start(): void {
    if (this.o.policy.mode !== 'release') return;
    const every = this.o.everyMs ?? Math.min(60_000, Math.max(1_000, this.o.policy.graceMinutes * 30_000));
    this.timer = setInterval(() => void this.sweep(), every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Releases every order due now; answers their ids. One sweep at a time. */
  sweep(): Promise<string[]> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<string[]> {
    const { policy, orders, desk, clock, log } = this.o;
    if (policy.mode !== 'release') return [];
    const now = clock.now();
    const released: string[] = [];
    for (const o of await orders.flagged()) {
      if (!releaseDue(o, policy, now)) continue;
      try {
        await desk.cancel(
          o.id,
          {
            reason: 'RISK_CLEARED',
            note: `flagged ${o.riskClearedAt!.toISOString()}, released after the ${policy.graceMinutes}-minute grace`,
            // checked again on the locked order: a dispatcher may have kept it, or the technician left, meanwhile
            onlyIf: (locked) => releaseDue(locked, policy, clock.now()),
          },
          RELEASE_ACTOR,
        );
        released.push(o.id);
        this.released++;
      } catch (err) {
        if (!isAppError(err)) {
          log.error({ err, orderId: o.id }, 'risk-cleared release failed');
          continue;
        }
        log.info({ orderId: o.id, code: err.code }, `not released: ${err.message}`);
      }
    }
    if (released.length)
      log.info({ orders: released }, 'orders released: risk cleared past the grace period');
    return released;
  }
}
