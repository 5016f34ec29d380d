// A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise (logs, CI).

export function progressLine(
  label: string,
  done: number,
  total: number,
  elapsedMs: number,
  detail = '',
): string {
  const width = 24;
  const share = total > 0 ? done / total : 1;
  const filled = Math.round(share * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const pct = String(Math.floor(share * 100)).padStart(3);
  const eta =
    done > 0 && done < total ? `  eta ${(((elapsedMs / done) * (total - done)) / 1000).toFixed(0)}s` : '';
  return `${label} [${bar}] ${pct}% ${done}/${total}  ${(elapsedMs / 1000).toFixed(1)}s${eta}${detail ? `  ${detail}` : ''}`;
}

export class ProgressBar {
  private readonly t0 = Date.now();
  private lastTenth = -1;

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, total: number, detail = ''): void {
    const line = progressLine(this.label, done, total, Date.now() - this.t0, detail);
    if (this.out.isTTY) {
      this.out.write(`\r${line.slice(0, (this.out.columns || 120) - 1)}\x1b[K`);
      if (done >= total) this.out.write('\n');
      return;
    }
    const tenth = Math.floor((done / Math.max(total, 1)) * 10);
    if (tenth !== this.lastTenth) {
      this.lastTenth = tenth;
      this.out.write(`${line}\n`);
    }
  }
}
