// A typed in-process event bus: modules talk through events, never by reaching into each other.
// Handlers run asynchronously; a failing handler is logged and never breaks the publisher or other handlers.
import type { Logger } from './logger.ts';

type Handler<P> = (payload: P) => void | Promise<void>;

export class EventBus<Events extends { [K in keyof Events]: unknown }> {
  private readonly handlers = new Map<keyof Events, Set<Handler<never>>>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly log?: Logger) {}

  on<K extends keyof Events>(event: K, handler: Handler<Events[K]>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as Handler<never>);
    return () => set.delete(handler as Handler<never>);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const handlers = this.handlers.get(event);
    if (!handlers) return;
    for (const handler of handlers) {
      // a handler runs at once up to its first await; only one that returns a promise is tracked (a handler
      // that returns nothing costs no promise: `reading.ingested` is emitted for every reading)
      let result: void | Promise<void>;
      try {
        result = (handler as Handler<Events[K]>)(payload);
      } catch (err) {
        this.log?.error({ err, event }, 'event handler failed');
        continue;
      }
      if (!result) continue;
      const run = Promise.resolve(result).then(undefined, (err: unknown) => {
        this.log?.error({ err, event }, 'event handler failed');
      });
      this.pending.add(run);
      void run.finally(() => this.pending.delete(run));
    }
  }

  /** Resolves when every handler started so far (and those they started) has finished. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
