// A telemetry store whose writes can be frozen like a database that stops answering: while `frozen`, writes
// neither succeed nor fail (they hang); on `thaw()` the held writes go through to the real store.
import type { TelemetryPoint, TelemetryStore } from '../../common/telemetry-store.ts';

export class FreezableStore implements TelemetryStore {
  frozen = false;
  private held: (() => void)[] = [];
  constructor(private readonly inner: TelemetryStore) {}
  get kind() {
    return this.inner.kind;
  }
  /** Writes waiting for the thaw. */
  get hanging(): number {
    return this.held.length;
  }
  async write(points: readonly TelemetryPoint[]) {
    if (this.frozen) await new Promise<void>((resolve) => this.held.push(resolve));
    await this.inner.write(points);
  }
  thaw(): void {
    this.frozen = false;
    for (const go of this.held.splice(0)) go();
  }
  range: TelemetryStore['range'] = (q) => this.inner.range(q);
  aggregate: TelemetryStore['aggregate'] = (q) => this.inner.aggregate(q);
  latest: TelemetryStore['latest'] = (a) => this.inner.latest(a);
  ping: TelemetryStore['ping'] = () => this.inner.ping();
  close = () => {
    this.thaw();
    return this.inner.close();
  };
}
