// The embedded PostgreSQL server process, started in a process group (and session) of its own. A Ctrl-C in the
// terminal signals the terminal's whole foreground process group; were the server in it, it would begin a fast
// shutdown at once and refuse the ingest flush that the platform's own shutdown does first (57P03). Detached, it
// hears only the platform, which stops it last. It must then not outlive the platform: it is stopped on every
// exit of this process that runs 'exit' handlers (a normal exit, process.exit, an uncaught exception, a handled
// signal); after a SIGKILL or an OOM kill, the next start stops it (see stopOrphan in postgres.ts).
import { spawn, type ChildProcess } from 'node:child_process';

export interface PostgresProcess {
  pid: number;
  /** Fast shutdown (SIGINT), resolved when the server has exited; immediate shutdown (SIGQUIT) after `graceMs`. */
  stop(): Promise<void>;
}

export interface SpawnPostgresOptions {
  binary: string;
  dataDir: string;
  port: number;
  flags: readonly string[];
  /** The `postgres` user's ids when this process runs as root. */
  runAs?: { uid: number; gid: number };
  onLog?: (line: string) => void;
  graceMs?: number;
}

const READY = 'database system is ready to accept connections';

export async function spawnPostgres(opts: SpawnPostgresOptions): Promise<PostgresProcess> {
  const child: ChildProcess = spawn(
    opts.binary,
    ['-D', opts.dataDir, '-p', String(opts.port), ...opts.flags],
    {
      ...opts.runAs,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  process.on('exit', stopOnExit);
  void exited.then(() => process.removeListener('exit', stopOnExit));

  let lastLine = '';
  await new Promise<void>((resolve, reject) => {
    let pending = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (!line.trim()) continue;
        lastLine = line.trim();
        opts.onLog?.(lastLine);
        if (line.includes(READY)) resolve();
      }
    });
    child.once('error', reject);
    void exited.then(() => reject(new Error(lastLine || 'the server exited during start')));
  });

  return {
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGQUIT'), opts.graceMs ?? 30_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
