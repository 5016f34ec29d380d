// A private Mosquitto for a test or benchmark, with its own config (e.g. generated password and ACL files, or the
// production queue limits of docker/mosquitto.conf). Needs Debian's `mosquitto` package.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { freePort } from './ports.ts';

export const MOSQUITTO_BIN = '/usr/sbin/mosquitto';
export const hasMosquitto = () => existsSync(MOSQUITTO_BIN);

export interface PrivateMosquitto {
  url: string;
  dir: string;
  /** Stops the broker (as a crash or maintenance would) and starts it again on the same port. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Mosquitto on a free port; `conf` lines are added to its config (files may be written to `dir` first).
 * When they declare listeners themselves, the broker has no other, and `url` (and the start-up probe) is `port`.
 */
export async function startMosquitto(
  conf: (dir: string, port: number) => string[] = () => [],
  probe: { username?: string; password?: string } = {},
): Promise<PrivateMosquitto> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preempt-mosquitto-'));
  const port = await freePort();
  const own = conf(dir, port);
  const listeners = own.some((l) => l.startsWith('listener ')) ? [] : [`listener ${port} 127.0.0.1`];
  const lines = [...listeners, 'user root', ...own];
  if (!lines.some((l) => l.startsWith('persistence '))) lines.push('persistence false');
  if (!lines.some((l) => l.startsWith('allow_anonymous'))) lines.push('allow_anonymous true');
  writeFileSync(path.join(dir, 'mosquitto.conf'), lines.join('\n') + '\n');
  const url = `mqtt://127.0.0.1:${port}`;
  const launch = async () => {
    const proc = spawn(MOSQUITTO_BIN, ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const c = await mqtt.connectAsync(url, { ...probe, reconnectPeriod: 0, connectTimeout: 500 });
        await c.endAsync();
        return proc;
      } catch (err) {
        if (Date.now() > deadline || proc.exitCode !== null)
          throw new Error(`mosquitto did not start: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const kill = async (proc: ChildProcess) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  let proc = await launch();
  return {
    url,
    dir,
    restart: async (downMs = 1_000) => {
      await kill(proc);
      await new Promise((r) => setTimeout(r, downMs));
      proc = await launch();
    },
    stop: async () => {
      await kill(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
