// The events that cross between the platform and predict workers, as JSON and back (dates as ISO strings), and a
// bounded memory of event ids so an event redelivered by the carrier reaches a bus once.
import type { OrderClosed, PlatformEvents } from '../../common/events.ts';

/** Worker → platform: what predict raises. */
export const OUTBOUND_EVENTS = [
  'prediction.raised',
  'order.created',
  'order.updated',
  'order.forecast-advanced',
] as const;
/** Platform → workers: what predict listens to besides readings. */
export const INBOUND_EVENTS = ['order.closed', 'order.updated', 'model.changed'] as const;

export type OutboundName = (typeof OUTBOUND_EVENTS)[number];
export type InboundName = (typeof INBOUND_EVENTS)[number];
export type RemoteName = OutboundName | InboundName;

export interface RemoteEvent<K extends RemoteName = RemoteName> {
  /** Unique per emission: the carrier's and the receiver's duplicate check. */
  id: string;
  event: K;
  payload: PlatformEvents[K];
}

const date = (v: unknown) => new Date(v as string);

/** Parses a remote event; undefined when it is not one this side knows. */
export function decodeRemote(json: string, accept: readonly RemoteName[]): RemoteEvent | undefined {
  let raw: { id?: unknown; event?: unknown; payload?: unknown };
  try {
    raw = JSON.parse(json) as typeof raw;
  } catch {
    return undefined;
  }
  if (typeof raw.id !== 'string' || typeof raw.payload !== 'object' || raw.payload === null) return undefined;
  if (!accept.includes(raw.event as RemoteName)) return undefined;
  const event = raw.event as RemoteName;
  const p = raw.payload as Record<string, unknown>;
  if (event === 'prediction.raised')
    return { id: raw.id, event, payload: { ...p, expectedFailureAt: date(p.expectedFailureAt) } as never };
  if (event === 'order.forecast-advanced')
    return {
      id: raw.id,
      event,
      payload: {
        ...p,
        expectedFailureAt: date(p.expectedFailureAt),
        dueBy: date(p.dueBy),
        previousDueBy: date(p.previousDueBy),
      } as never,
    };
  if (event === 'order.closed') {
    const c = { ...p, at: date(p.at) } as unknown as OrderClosed;
    if (p.snoozeUntil !== undefined) c.snoozeUntil = date(p.snoozeUntil);
    return { id: raw.id, event, payload: c };
  }
  return { id: raw.id, event, payload: p as never };
}

/** Remembers the last `max` ids: `true` the first time an id is seen, `false` for a repeat. */
export class SeenIds {
  private readonly ids = new Set<string>();

  constructor(private readonly max = 100_000) {}

  first(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}
