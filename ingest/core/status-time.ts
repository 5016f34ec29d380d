// Pure decision: the time a status message is recorded at (docs/adr/0028, docs/telemetry.md).
// A status carries the device's time, and that is the truth for a birth and for an offline the device sends
// itself. A last will cannot know when the connection will drop: by the contract it carries its connection's start,
// which is before the birth that followed it. Recorded at that time, a dropped connection would land before the
// asset's last online and the asset would look up throughout; it is recorded when ingest received it instead.

export interface StatusTiming {
  online: boolean;
  /** The status message's own time (epoch ms). */
  at: number;
  /** When ingest took the message off the broker (epoch ms); absent in journal records written before it was kept. */
  receivedAt?: number;
}

/**
 * The time to record a status at. `lastOnlineAt`: the asset's latest recorded online (epoch ms), if any.
 * An offline dated before it is a last will (or a device's stale offline): recorded when it was received.
 */
export function statusRecordedAt(s: StatusTiming, lastOnlineAt: number | undefined): number {
  if (s.online || s.receivedAt === undefined || lastOnlineAt === undefined) return s.at;
  return s.at < lastOnlineAt ? Math.max(s.receivedAt, lastOnlineAt) : s.at;
}
