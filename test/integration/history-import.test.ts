// History imports on the whole platform (demo world with its fleet running, real PostgreSQL and broker): a 30 MB
// C-MAPSS file streamed in, parsed in a worker thread and written in batches while /api/health is polled every
// 50 ms (every poll answered, none stalled for seconds as a parse on the event loop would; latencies are printed,
// not asserted: a timed assertion fails on a loaded machine) and ingest keeps storing the fleet's readings; a
// malformed file fails its job naming the line and writes nothing; an upload past the limit is 413, a third
// import at once 429.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDrill } from '../helpers/drill-record.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

interface Job {
  id: string;
  status: string;
  progress: {
    bytesDone: number;
    bytesTotal: number;
    unitsDone: number;
    unitsTotal: number | null;
    fraction: number;
  };
  history: { id: string; name: string; units: number; cycles: number; failedUnits: number } | null;
  error: { code: string; message: string; line: number | null } | null;
}

const FD002 = path.resolve('../shared/datasets/cmapss/train_FD002.txt');
const FD001 = path.resolve('../shared/datasets/cmapss/train_FD001.txt');
const MIB = 1024 * 1024;
/** A health answer slower than this means the import blocked the event loop. */
const STALLED_MS = 2_000;

/** train_FD002 repeated with renumbered units until the text reaches `bytes` (whole units only), in `file`. */
function bigCmapss(file: string, bytes: number): { bytes: number; units: number; rows: number } {
  const units = new Map<number, string[]>();
  for (const line of readFileSync(FD002, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const u = Number(line.trim().split(/\s+/, 1)[0]);
    if (!units.has(u)) units.set(u, []);
    units.get(u)!.push(line.trim().replace(/^\d+/, ''));
  }
  const parts: string[] = [];
  let size = 0;
  let n = 0;
  let rows = 0;
  while (size < bytes) {
    for (const lines of units.values()) {
      n++;
      const block = lines.map((l) => `${n}${l}\n`).join('');
      parts.push(block);
      size += Buffer.byteLength(block);
      rows += lines.length;
      if (size >= bytes) break;
    }
  }
  writeFileSync(file, parts.join(''));
  return { bytes: size, units: n, rows };
}

/**
 * An uploader in another process, as a browser or curl would be (its work is not on the platform's loop):
 * started ahead, it sends the file when `go()` is called and resolves with the answer.
 */
function uploaderProcess(url: string, token: string, file: string) {
  const script = `
    const { createReadStream } = require('node:fs');
    const { Readable } = require('node:stream');
    process.stdin.once('data', () =>
      fetch(process.env.URL, {
        method: 'POST',
        headers: { authorization: 'Bearer ' + process.env.TOKEN, 'content-type': 'text/plain' },
        body: Readable.toWeb(createReadStream(process.env.FILE)),
        duplex: 'half',
      }).then(async (res) => {
        const out = { status: res.status, location: res.headers.get('location'), body: await res.json() };
        process.stdout.write(JSON.stringify(out), () => process.exit(0));
      }, (err) => { console.error(err); process.exit(1); }));
    process.stdout.write('ready\\n');`;
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, URL: url, TOKEN: token, FILE: file },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += String(d)));
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const answer = new Promise<{ status: number; location: string | null; body: unknown }>((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.slice(out.indexOf('\n') + 1)) as never)
        : reject(new Error(`uploader exited ${code}`)),
    ),
  );
  return {
    ready,
    go: () => {
      child.stdin.end('go\n');
      return answer;
    },
  };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

describe('history import', () => {
  let p: TestPlatform;
  let token: string;

  beforeAll(async () => {
    p = await startTestPlatform();
    token = await p.login('engineer@preempt.demo', 'engineer-demo');
  }, 60_000);
  afterAll(async () => p?.stop());

  const upload = (body: Buffer | ReadableStream<Uint8Array>, query: Record<string, string>) =>
    fetch(`${p.url}/api/histories/upload?${new URLSearchParams(query)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body,
      duplex: 'half',
    } as RequestInit);
  const job = async (id: string) =>
    (await (
      await fetch(`${p.url}/api/histories/jobs/${id}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as Job;
  const finished = (id: string, timeoutMs = 60_000) =>
    eventually(async () => {
      const j = await job(id);
      return (j.status === 'done' || j.status === 'failed') && j;
    }, timeoutMs);
  const historiesNamed = (name: string) => p.db.equipmentHistory.count({ where: { name } });

  it('imports 30 MB while /api/health answers every 50 ms poll, never stalled, and ingest goes on', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'history-import-'));
    const file = path.join(dir, 'train_big.txt');
    const big = bigCmapss(file, 30 * MIB);
    const storedBefore = await p.db.telemetryPoint.count();
    const query = new URLSearchParams({ name: 'FD002 × 3.3 (30 MB)', equipmentModel: 'turbofan-cmapss' });
    const uploader = uploaderProcess(`${p.url}/api/histories/upload?${query}`, token, file);
    await uploader.ready;
    // a platform in use: the first answers of the health and import routes compile their serializers and
    // query plans (a one-time cost at start, up to ~0.3 s on the loaded 2-core machine), so warm them first
    for (let i = 0; i < 3; i++) await (await fetch(`${p.url}/api/health`)).json();
    const small = readFileSync(FD001, 'utf8').split('\n').slice(0, 1000).join('\n');
    const warm = await upload(Buffer.from(small), { name: 'warm-up', equipmentModel: 'turbofan-cmapss' });
    expect(await finished(((await warm.json()) as Job).id)).toMatchObject({ status: 'done' });
    // the test's own garbage (building the file) is not the platform's: collect it before measuring
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 1000));
    const latencies: number[] = [];
    /** When each poll began, ms after the upload began. */
    const at: number[] = [];
    const T0 = performance.now();
    let rssMax = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const t0 = performance.now();
        const res = await fetch(`${p.url}/api/health`);
        await res.json();
        latencies.push(performance.now() - t0);
        at.push(Math.round(t0 - T0));
        expect(res.status).toBe(200);
        rssMax = Math.max(rssMax, process.memoryUsage().rss);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const rssBefore = process.memoryUsage().rss;
    const t0 = Date.now();
    const res = await uploader.go();
    rmSync(dir, { recursive: true, force: true });
    expect(res.status).toBe(202);
    const accepted = res.body as Job;
    expect(res.location).toBe(`/api/histories/jobs/${accepted.id}`);
    const seen = new Set<string>();
    /** When each status was first seen, ms after the upload began. */
    const phases: Record<string, number> = { accepted: Math.round(performance.now() - T0) };
    const done = await eventually(
      async () => {
        const j = await job(accepted.id);
        if (!seen.has(j.status)) phases[j.status] = Math.round(performance.now() - T0);
        seen.add(j.status);
        return (j.status === 'done' || j.status === 'failed') && j;
      },
      180_000,
      100,
    );
    const ms = Date.now() - t0;
    polling = false;
    await poller;
    expect(done.error).toBeNull();
    expect(done).toMatchObject({
      status: 'done',
      progress: { fraction: 1, unitsDone: big.units, unitsTotal: big.units },
      history: { units: big.units, cycles: big.rows, failedUnits: big.units },
    });
    expect(seen.has('writing') || seen.has('parsing')).toBe(true);
    const listed = (await (
      await fetch(`${p.url}/api/histories`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { id: string; units: number }[];
    expect(listed.find((h) => h.id === done.history!.id)?.units).toBe(big.units);
    expect(await p.db.historyRun.count({ where: { historyId: done.history!.id } })).toBe(big.units);
    // ingest kept storing the fleet's readings
    expect(await p.db.telemetryPoint.count()).toBeGreaterThan(storedBefore);

    const max = Math.max(...latencies);
    const p99 = percentile(latencies, 99);
    const stats = {
      mb: Math.round((big.bytes / MIB) * 10) / 10,
      units: big.units,
      rows: big.rows,
      importMs: ms,
      healthPolls: latencies.length,
      healthMaxMs: Math.round(max),
      healthP99Ms: Math.round(p99),
      healthP50Ms: Math.round(percentile(latencies, 50)),
      rssBeforeMb: Math.round(rssBefore / MIB),
      rssMaxMb: Math.round(rssMax / MIB),
    };
    const slowest = latencies
      .map((ms, i) => [at[i]!, Math.round(ms)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5);
    console.log(JSON.stringify({ historyImportDrill: { ...stats, phases, slowest } }));
    expect(latencies.length).toBeGreaterThan(10);
    // Not a speed goal (those are benchmarks): parsing 30 MB on the event loop would stall every poll for seconds;
    // 2 s leaves a loaded CI machine room (quiet machine: max ~100-200 ms, p99 < 100 ms).
    expect(max).toBeLessThan(STALLED_MS);
    recordDrill({
      drill: `a ${stats.mb} MB C-MAPSS history (${stats.units} units, ${stats.rows} rows) imported while the fleet reports`,
      behaviour: `streamed to disk, parsed in a worker thread, written in ~1 MB batches in one transaction (${(ms / 1000).toFixed(1)} s); /api/health polled every 50 ms answered all ${stats.healthPolls} times, max ${stats.healthMaxMs} ms, p99 ${stats.healthP99Ms} ms; ingest kept storing; RSS ${stats.rssBeforeMb} → at most ${stats.rssMaxMb} MB`,
      lost: `nothing: every unit stored, every health poll answered (max ${stats.healthMaxMs} ms)`,
      test: 'test/integration/history-import.test.ts',
    });
  }, 240_000);

  it('fails a malformed file naming the line, and writes nothing', async () => {
    const lines = readFileSync(FD001, 'utf8').trimEnd().split('\n');
    const bad = [...lines];
    bad[4999] = bad[4999]!.replace(/\s\S+\s*$/, ' x');
    let res = await upload(Buffer.from(bad.join('\n')), {
      name: 'bad value',
      equipmentModel: 'turbofan-cmapss',
    });
    expect(res.status).toBe(202);
    const failed = await finished(((await res.json()) as Job).id);
    expect(failed).toMatchObject({
      status: 'failed',
      history: null,
      error: { code: 'PREDICT_IMPORT_INVALID_FILE', line: 5000 },
    });
    expect(failed.error!.message).toMatch(/^bad value line 5000: column 26 is not a finite number: "x"$/);

    const short = [...lines];
    short[19_000] = short[19_000]!.split(/\s+/).slice(0, 20).join(' ');
    res = await upload(Buffer.from(short.join('\n')), {
      name: 'short row',
      equipmentModel: 'turbofan-cmapss',
    });
    const failed2 = await finished(((await res.json()) as Job).id);
    expect(failed2.error).toMatchObject({
      line: 19_001,
      message: expect.stringMatching(/expected 26 columns, got 20/),
    });

    // a test file whose truth does not match its units
    res = await upload(Buffer.from(lines.slice(0, 500).join('\n')), {
      name: 'truth mismatch',
      equipmentModel: 'turbofan-cmapss',
      truth: '12,30',
    });
    const failed3 = await finished(((await res.json()) as Job).id);
    expect(failed3.error!.message).toMatch(/the truth has 2 values for \d+ units/);

    for (const name of ['bad value', 'short row', 'truth mismatch'])
      expect(await historiesNamed(name)).toBe(0);
    recordDrill({
      drill:
        'malformed C-MAPSS uploads: a non-numeric value at line 5000, a short row at line 19001, a truth file of the wrong length',
      behaviour: 'each job failed with PREDICT_IMPORT_INVALID_FILE, the message naming the file and line',
      lost: 'nothing written: no history row for any of them',
      test: 'test/integration/history-import.test.ts',
    });
  });

  it('refuses an upload past the limit with 413, and a third import at once with 429', async () => {
    const over = Buffer.alloc(64 * MIB + 1, 0x31);
    let res = await upload(over, { name: 'too big', equipmentModel: 'turbofan-cmapss' });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'PREDICT_IMPORT_TOO_LARGE' });
    // without a declared length: cut off while streaming
    let sent = 0;
    const chunk = Buffer.alloc(MIB, 0x31);
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent > 70 * MIB) return c.close();
        sent += chunk.length;
        c.enqueue(chunk);
      },
    });
    res = await upload(stream, { name: 'too big, streamed', equipmentModel: 'turbofan-cmapss' });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'PREDICT_IMPORT_TOO_LARGE' });

    // JSON imports are for small files
    res = await fetch(`${p.url}/api/histories`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'json too big',
        equipmentModel: 'turbofan-cmapss',
        format: 'cmapss',
        data: 'x'.repeat(5 * MIB),
      }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'PREDICT_IMPORT_TOO_LARGE' });

    const fd002 = readFileSync(FD002);
    const [a, b] = await Promise.all([
      upload(fd002, { name: 'concurrent a', equipmentModel: 'turbofan-cmapss' }),
      upload(fd002, { name: 'concurrent b', equipmentModel: 'turbofan-cmapss' }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    res = await upload(Buffer.from('1 1'), { name: 'third', equipmentModel: 'turbofan-cmapss' });
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ code: 'PREDICT_IMPORT_BUSY' });
    for (const r of [a, b])
      expect(await finished(((await r.json()) as Job).id)).toMatchObject({ status: 'done' });
    for (const name of ['too big', 'too big, streamed', 'json too big', 'third'])
      expect(await historiesNamed(name)).toBe(0);
    // the slots are free again; an unknown equipment model is a clear 404 before the body is read
    res = await upload(Buffer.from('1 1'), { name: 'nowhere', equipmentModel: 'no-such-model' });
    expect(res.status).toBe(404);
    recordDrill({
      drill:
        'history uploads past 64 MiB (declared, and streamed without a length), a 5 MiB JSON import, a third import while two run',
      behaviour:
        '413 PREDICT_IMPORT_TOO_LARGE (the streamed one cut off at the limit), 429 PREDICT_IMPORT_BUSY; the two running imports finished',
      lost: 'nothing written for the refused ones',
      test: 'test/integration/history-import.test.ts',
    });
  }, 120_000);
});
