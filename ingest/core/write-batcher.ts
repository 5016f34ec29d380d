// Batches points by size and time and writes them with retries and backoff. A batch that cannot be written
// is retried until it is (nothing is dropped); `pending` lets the caller apply back-pressure.
import type { TelemetryPoint } from '../../common/telemetry-store.ts';

export interface BatcherOptions {
  write: (points: TelemetryPoint[]) => Promise<void>;
  /** Called after a batch is stored, with the items enqueued with it. */
  onStored?: (items: unknown[]) => void;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  maxBatch?: number;
  maxDelayMs?: number;
  backoff?: (attempt: number) => number;
}

export const defaultBackoff = (attempt: number) => Math.min(30_000, 100 * 2 ** Math.min(attempt, 10));

export class WriteBatcher {
  private buffer: TelemetryPoint[] = [];
  private items: unknown[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private closed = false;
  private readonly o: Required<Omit<BatcherOptions, 'onStored' | 'onRetry'>> & BatcherOptions;

  constructor(opts: BatcherOptions) {
    this.o = { maxBatch: 2_000, maxDelayMs: 50, backoff: defaultBackoff, ...opts };
  }

  /** Points not yet stored (buffered or being written). */
  get pending(): number {
    return this.buffer.length + this.inFlight;
  }

  add(points: TelemetryPoint[], item?: unknown): void {
    this.buffer.push(...points);
    if (item !== undefined) this.items.push(item);
    if (this.buffer.length >= this.o.maxBatch) this.flushNow();
    else this.timer ??= setTimeout(() => this.flushNow(), this.o.maxDelayMs);
  }

  private flushNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    const items = this.items;
    this.buffer = [];
    this.items = [];
    this.inFlight += batch.length;
    this.chain = this.chain.then(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await this.o.write(batch);
          break;
        } catch (err) {
          if (this.closed && attempt >= 3) throw err;
          const delay = this.o.backoff(attempt);
          this.o.onRetry?.(err, attempt + 1, delay);
          await new Promise((r) => setTimeout(r, delay));
        }
      }
      this.inFlight -= batch.length;
      this.o.onStored?.(items);
    });
  }

  /** Writes everything buffered; resolves once it is stored. */
  async flush(): Promise<void> {
    this.flushNow();
    await this.chain;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }
}
