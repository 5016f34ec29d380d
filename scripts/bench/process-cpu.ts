// CPU time of other processes (a broker, a database's server processes) from /proc, for the benchmarks'
// CPU-seconds per 100,000 readings. Linux only; elsewhere every figure is undefined.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;
const clockTicks = () => {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
};

/** Fields of /proc/<pid>/stat after the command name: [state, ppid, …]; undefined when the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far; 0 when it is gone. */
export function processCpuSeconds(pid: number): number {
  const f = statFields(pid);
  // utime and stime are fields 14 and 15 of the whole line, 11 and 12 after the command name
  return f ? (Number(f[11]) + Number(f[12])) / clockTicks() : 0;
}

/** The process and its direct children (e.g. a PostgreSQL postmaster and its backends). */
export function processTree(pid: number): number[] {
  const pids = [pid];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const f = statFields(Number(e));
    if (f && Number(f[1]) === pid) pids.push(Number(e));
  }
  return pids;
}

/** The first process whose command line contains `needle` (e.g. a private Mosquitto's config path). */
export function findProcess(needle: string): number | undefined {
  try {
    for (const e of readdirSync('/proc')) {
      if (!/^\d+$/.test(e)) continue;
      try {
        if (readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(needle)) return Number(e);
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return undefined;
}

/**
 * A meter over a set of processes found anew at each reading (backends come and go): CPU seconds used by
 * them since `start`. A process that exits between the readings is missed (short-lived backends are rare here:
 * the pools keep their connections).
 */
export function cpuMeter(pids: () => number[] | undefined) {
  let base = new Map<number, number>();
  const read = () => new Map((pids() ?? []).map((p) => [p, processCpuSeconds(p)] as const));
  return {
    start() {
      base = read();
    },
    /** Seconds since `start`; undefined when there is nothing to measure. */
    seconds(): number | undefined {
      const list = pids();
      if (!list?.length) return undefined;
      let s = 0;
      for (const p of list) s += processCpuSeconds(p) - (base.get(p) ?? 0);
      return s;
    },
  };
}
