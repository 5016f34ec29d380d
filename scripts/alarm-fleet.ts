/**
 * Write a synthetic fleet history (predict/core/alarms/synthetic-fleet.ts) as the CSV files of
 * `npm run predict:alarms`, in the Azure Predictive Maintenance layout: telemetry.csv, errors.csv,
 * maint.csv, failures.csv, machines.csv. Failures and maintenance after --train-days go to
 * truth-failures.csv / truth-maint.csv (for scoring), not to the training files.
 *
 *   npm run alarms:fleet -- --out <dir> [--assets 100] [--days 90] [--train-days 60] [--seed 7] [--layout wide|long]
 *     [--profile default|hard|varied|azure|literature|daily-logged] [--knobs '{"excursionRate":4}']
 * Profiles: the development fleet, the earlier harder one, the Azure-shaped hardest one (azure), the Azure-shaped one
 * calibrated so that the plain literature recipe matches its published figure (literature), or knobs drawn at random from the seed
 * (predict/core/alarms/synthetic-fleet.ts); --knobs overrides single knobs.
 */
import { mkdirSync, writeFileSync, createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { cliPath } from '../common/cli.ts';
import {
  DEFAULT_SYNTHETIC_FLEET,
  formatSqlTime,
  generateSyntheticFleet,
  HARD_SYNTHETIC_FLEET,
  AZURE_LIKE_SYNTHETIC_FLEET,
  LITERATURE_CALIBRATED_FLEET,
  DAILY_LOGGED_FLEET,
  SYNTHETIC_METRICS,
  variedFleetOptions,
  type SyntheticFleetOptions,
} from '../predict/core/alarms/synthetic-fleet.ts';

export type FleetProfile = 'default' | 'hard' | 'varied' | 'azure' | 'literature' | 'daily-logged';

/** The generator's knobs of a profile and seed. */
export function profileOptions(profile: FleetProfile, seed: number): Partial<SyntheticFleetOptions> {
  if (profile === 'hard') return { ...HARD_SYNTHETIC_FLEET, seed };
  if (profile === 'varied') return variedFleetOptions(seed);
  if (profile === 'azure') return { ...AZURE_LIKE_SYNTHETIC_FLEET, seed };
  if (profile === 'literature') return { ...LITERATURE_CALIBRATED_FLEET, seed };
  if (profile === 'daily-logged') return { ...DAILY_LOGGED_FLEET, seed };
  return { seed };
}

export interface FleetFiles {
  dir: string;
  telemetry: string;
  events: string;
  failures: string;
  maintenance: string;
  assets: string;
  truthFailures: string;
  trainUntil: number;
  /** Test period length (ms). */
  testMs: number;
  assetCount: number;
}

class Out {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly s: WriteStream) {}
  async line(l: string): Promise<void> {
    this.buf.push(l);
    this.size += l.length;
    if (this.size > 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const chunk = `${this.buf.join('\n')}\n`;
    this.buf = [];
    this.size = 0;
    // The generator is synchronous: the stream buffers what the disk has not taken yet.
    this.s.write(chunk);
  }
  async close(): Promise<void> {
    await this.flush();
    await new Promise((r) => this.s.end(r));
  }
}

export async function writeSyntheticFleetFiles(
  dir: string,
  options: Partial<SyntheticFleetOptions> & { trainDays: number; layout?: 'wide' | 'long' },
): Promise<FleetFiles> {
  mkdirSync(dir, { recursive: true });
  const o = { ...DEFAULT_SYNTHETIC_FLEET, ...options };
  const trainUntil = o.start + options.trainDays * 86_400_000 - 3_600_000;
  const p = (f: string) => path.join(dir, f);
  const open = (f: string, header: string) => {
    const out = new Out(createWriteStream(p(f)));
    void out.line(header);
    return out;
  };
  const layout = options.layout ?? 'wide';
  const tel = open(
    'telemetry.csv',
    layout === 'wide'
      ? `datetime,machineID,${SYNTHETIC_METRICS.join(',')}`
      : 'datetime,machineID,metric,value',
  );
  const ev = open('errors.csv', 'datetime,machineID,errorID');
  const fa = open('failures.csv', 'datetime,machineID,failure');
  const ma = open('maint.csv', 'datetime,machineID,comp');
  const tf = open('truth-failures.csv', 'datetime,machineID,failure');
  const tm = open('truth-maint.csv', 'datetime,machineID,comp');
  const machines: string[] = ['machineID,model,age'];
  const pending: Promise<void>[] = [];
  generateSyntheticFleet(o, {
    asset: (id, model, age) => void machines.push(`${id},${model},${age}`),
    telemetry: (t, a, values) => {
      const ts = formatSqlTime(t);
      if (layout === 'wide') pending.push(tel.line(`${ts},${a},${values.join(',')}`));
      else values.forEach((v, j) => pending.push(tel.line(`${ts},${a},${SYNTHETIC_METRICS[j]},${v}`)));
    },
    event: (t, a, c) => void pending.push(ev.line(`${formatSqlTime(t)},${a},${c}`)),
    failure: (t, a, c) =>
      void pending.push((t <= trainUntil ? fa : tf).line(`${formatSqlTime(t)},${a},${c}`)),
    maintenance: (t, a, c) =>
      void pending.push((t <= trainUntil ? ma : tm).line(`${formatSqlTime(t)},${a},${c}`)),
  });
  await Promise.all(pending);
  for (const out of [tel, ev, fa, ma, tf, tm]) await out.close();
  writeFileSync(p('machines.csv'), `${machines.join('\n')}\n`);
  return {
    dir,
    telemetry: p('telemetry.csv'),
    events: p('errors.csv'),
    failures: p('failures.csv'),
    maintenance: p('maint.csv'),
    assets: p('machines.csv'),
    truthFailures: p('truth-failures.csv'),
    trainUntil,
    testMs: o.start + o.days * 86_400_000 - trainUntil,
    assetCount: o.assets,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const get = (k: string) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const out = get('--out');
  if (!out) {
    process.stderr.write(
      'usage: alarms:fleet -- --out <dir> [--assets 100] [--days 90] [--train-days 60] [--seed 7] [--layout wide|long] [--profile default|hard|varied|azure|literature|daily-logged] [--knobs JSON]\n',
    );
    process.exit(2);
  }
  const num = (k: string, d: number) => {
    const v = get(k);
    const n = v === undefined ? d : Number(v);
    if (!Number.isFinite(n) || n <= 0) {
      process.stderr.write(`${k} must be a positive number\n`);
      process.exit(2);
    }
    return n;
  };
  const profile = (get('--profile') ?? 'default') as FleetProfile;
  if (!['default', 'hard', 'varied', 'azure', 'literature', 'daily-logged'].includes(profile)) {
    process.stderr.write('--profile must be default, hard, varied, azure or literature\n');
    process.exit(2);
  }
  const files = await writeSyntheticFleetFiles(cliPath(out), {
    ...profileOptions(profile, num('--seed', 7)),
    ...(JSON.parse(get('--knobs') ?? '{}') as Partial<SyntheticFleetOptions>),
    assets: num('--assets', 100),
    days: num('--days', 90),
    trainDays: num('--train-days', 60),
    layout: get('--layout') === 'long' ? 'long' : 'wide',
  });
  process.stdout.write(
    `${JSON.stringify({ ...files, trainUntil: new Date(files.trainUntil).toISOString() })}\n`,
  );
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  main().catch((err: unknown) => {
    process.stderr.write(`alarm-fleet: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
