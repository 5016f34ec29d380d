// LiveChannel: pushes events to connected clients by audience. The socket.io adapter is socket-server.ts;
// tests use MemoryLiveChannel.
import type { ServerToClientEvents } from '../../common/contracts/live.ts';

export type LiveEvent = keyof ServerToClientEvents;
export type LivePayload<E extends LiveEvent> = Parameters<ServerToClientEvents[E]>[0];
export type Audience = { tenant: string } | { staff: true } | { asset: string };

export interface LiveChannel {
  send<E extends LiveEvent>(to: Audience[], event: E, payload: LivePayload<E>): void;
  /** Whether a client watches the asset now (absent: assume one does); lets a sender skip building a payload. */
  watched?(assetId: string): boolean;
}

export class MemoryLiveChannel implements LiveChannel {
  readonly sent: { to: Audience[]; event: LiveEvent; payload: unknown }[] = [];
  send<E extends LiveEvent>(to: Audience[], event: E, payload: LivePayload<E>): void {
    this.sent.push({ to, event, payload });
  }
}
