// The progress line `npm run simulate` writes to stderr every few seconds.

export interface RunSnapshot {
  /** Milliseconds since the run started. */
  elapsedMs: number;
  devices: number;
  connected: number;
  /** Readings sent so far. */
  readings: number;
  /** Failures injected (ground-truth entries) and failures that happened. */
  injected: number;
  failures: number;
  /** Bad messages sent so far (--faults). */
  faults: number;
  /** Replay: units started and failed, of all units. */
  replay?: { units: number; started: number; failed: number };
}

const count = (n: number) => n.toLocaleString('en-US');
const perSecond = (n: number, ms: number) => (ms > 0 ? (n * 1000) / ms : 0).toFixed(1);

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** One line; rates are over the time since `prev` (or since the start). */
export function progressLine(cur: RunSnapshot, prev?: RunSnapshot): string {
  const dt = cur.elapsedMs - (prev?.elapsedMs ?? 0);
  const parts = [
    `simulate ${clock(cur.elapsedMs)}`,
    `${count(cur.readings)} readings (${perSecond(cur.readings - (prev?.readings ?? 0), dt)}/s)`,
    cur.replay
      ? `units ${cur.replay.started}/${cur.replay.units} started, ${cur.replay.failed} failed`
      : `failures ${cur.injected} injected, ${cur.failures} happened`,
  ];
  if (cur.faults > 0 || (prev?.faults ?? 0) > 0)
    parts.push(`faults ${count(cur.faults)} (${perSecond(cur.faults - (prev?.faults ?? 0), dt)}/s)`);
  parts.push(`connected ${cur.connected}/${cur.devices}`);
  return parts.join('  ');
}

export { perSecond };
