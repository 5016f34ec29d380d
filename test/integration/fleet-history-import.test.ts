// Fleet history import through the API on the whole platform (real PostgreSQL): a CSV file streamed in and
// imported by a worker, bad rows reported with their lines; a file that fails validation imports nothing; a
// declared size past the limit is 413 before the body is read, a line past 1 MiB fails the file; customers may not
// import; histories are per tenant.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

interface Job {
  id: string;
  status: string;
  report: {
    historyId: string;
    rows: number;
    bad: number;
    badRows: { line: number; reason: string }[];
  } | null;
  error: { code: string; message: string; bad: number; badRows: { line: number; reason: string }[] } | null;
}

describe('fleet history import API', () => {
  let p: TestPlatform;
  let token: string;

  beforeAll(async () => {
    p = await startTestPlatform({ DEMO_ASSETS: '3' });
    token = await p.login('engineer@preempt.demo', 'engineer-demo');
  }, 120_000);
  afterAll(async () => p?.stop());

  const upload = (query: Record<string, string>, body: string, auth = token) =>
    fetch(`${p.url}/api/fleet-histories/upload?${new URLSearchParams(query)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'text/csv' },
      body,
    });
  const finished = async (id: string) =>
    eventually(async () => {
      const res = await fetch(`${p.url}/api/fleet-histories/jobs/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const job = (await res.json()) as Job;
      return job.status === 'done' || job.status === 'failed' ? job : undefined;
    }, 60_000);

  it('imports a file, reports its bad rows by line, and keeps the history to its tenant', async () => {
    const rows = Array.from(
      { length: 300 },
      (_, i) => `2026-01-01 ${String(i % 24).padStart(2, '0')}:00:00,m${i % 5},error${i % 3}`,
    );
    rows[41] = 'not a time,m1,error1'; // line 43 (header is line 1)
    const res = await upload(
      { tenant: 'acme', name: 'plant-a', kind: 'events', timeCol: 'when' },
      ['when,machineID,errorID', ...rows].join('\n'),
    );
    expect(res.status).toBe(202);
    const job = await finished(((await res.json()) as Job).id);
    expect(job.status).toBe('done');
    expect(job.report).toMatchObject({ rows: 299, bad: 1 });
    expect(job.report!.badRows[0]).toMatchObject({ line: 43, reason: expect.stringMatching(/not a time/) });
    expect(await p.db.fleetHistoryRecord.count({ where: { historyId: job.report!.historyId } })).toBe(299);

    const list = async (tenant: string) =>
      (await (
        await fetch(`${p.url}/api/fleet-histories?tenant=${tenant}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { name: string; counts: Record<string, { rows: number }> }[];
    expect((await list('acme')).map((h) => [h.name, h.counts.events?.rows])).toEqual([['plant-a', 299]]);
    expect(await list('globex')).toEqual([]);
  }, 90_000);

  it('imports nothing from a file that fails validation: a missing column, or too many bad rows', async () => {
    const before = await p.db.fleetHistoryRecord.count();
    const noMode = await upload(
      { tenant: 'acme', name: 'plant-b', kind: 'failures' },
      'datetime,asset,a,b\n2026-01-01 00:00:00,m1,x,y\n',
    );
    const noModeJob = await finished(((await noMode.json()) as Job).id);
    expect(noModeJob.error).toMatchObject({
      code: 'PREDICT_IMPORT_INVALID_FILE',
      message: expect.stringMatching(/--mode-col/),
    });

    const lines = Array.from(
      { length: 50 },
      (_, i) => `2026-01-0${1 + (i % 9)} 00:00:00,m1,${i % 2 ? 'comp1' : ''}`,
    );
    const mostlyBad = await upload(
      { tenant: 'acme', name: 'plant-b', kind: 'maintenance' },
      ['datetime,asset,comp', ...lines].join('\n'),
    );
    const badJob = await finished(((await mostlyBad.json()) as Job).id);
    expect(badJob.error).toMatchObject({ code: 'PREDICT_IMPORT_INVALID_FILE', bad: 25 });
    expect(badJob.error!.badRows[0]).toMatchObject({ line: 2, reason: expect.stringMatching(/empty/) });
    expect(await p.db.fleetHistoryRecord.count()).toBe(before);
    expect(await p.db.fleetHistory.count({ where: { name: 'plant-b' } })).toBe(0);
  }, 90_000);

  it('imports nothing from a file with a line past 1 MiB, and names at most 20 columns of a header, cut', async () => {
    const rows = (from: number) =>
      Array.from({ length: 10 }, (_, i) => `2026-01-02 00:${String(from + i).padStart(2, '0')}:00,m1,e${i}`);
    // one line of 2 MiB at line 12, good rows on either side
    const long = await upload(
      { tenant: 'acme', name: 'plant-long', kind: 'events', timeCol: 'when' },
      [
        'when,machineID,errorID',
        ...rows(0),
        `2026-01-02 00:30:00,m1,${'x'.repeat(2 << 20)}`,
        ...rows(40),
      ].join('\n'),
    );
    expect(long.status).toBe(202);
    const longJob = await finished(((await long.json()) as Job).id);
    expect(longJob.error).toMatchObject({
      code: 'PREDICT_IMPORT_INVALID_FILE',
      message: expect.stringMatching(/line 12 is longer than 1,048,576 characters/),
    });
    expect(await p.db.fleetHistory.count({ where: { name: 'plant-long' } })).toBe(0);

    // 30 columns of 200 characters each, with a control character, and no time column
    const header = Array.from({ length: 30 }, (_, i) => `c${i}\u0001${'y'.repeat(200)}`).join(',');
    const wide = await upload({ tenant: 'acme', name: 'plant-wide', kind: 'telemetry' }, `${header}\n1,2\n`);
    const wideJob = await finished(((await wide.json()) as Job).id);
    expect(wideJob.error?.message).toMatch(
      /no time column found \(columns: "c0\\u0001y{61}…", .* and 10 more\)/,
    );
    expect(wideJob.error!.message.length).toBeLessThan(2_000);
  }, 90_000);

  it('refuses a declared size past the limit with 413 before reading, and a customer with 403', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${p.url}/api/fleet-histories/upload?tenant=acme&name=huge&kind=telemetry`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'text/csv',
            'content-length': String(2 ** 31),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.write('datetime,asset,volt\n');
    });
    expect(status).toBe(413);
    const customer = await p.login('customer@acme.demo', 'customer-demo');
    expect((await upload({ tenant: 'acme', name: 'x', kind: 'events' }, 'a,b,c\n', customer)).status).toBe(
      403,
    );
  }, 30_000);

  it('counts a row with a NUL character as a bad row; the rest of the file is imported', async () => {
    const good = Array.from(
      { length: 200 },
      (_, i) => `2026-01-01 ${String(i % 24).padStart(2, '0')}:00:00,unit-${i},E${i}`,
    );
    const res = await upload(
      { tenant: 'acme', name: 'plant-nul', kind: 'events' },
      [
        'datetime,asset,code',
        ...good.slice(0, 100),
        '2026-01-02 00:00:00,unit-x,E\u00001',
        ...good.slice(100),
      ].join('\n'),
    );
    const job = await finished(((await res.json()) as Job).id);
    // was: failed, PREDICT_IMPORT_FAILED 'invalid byte sequence for encoding "UTF8": 0x00', nothing imported
    expect(job).toMatchObject({
      status: 'done',
      report: { rows: 200, bad: 1, badRows: [{ line: 102, reason: expect.stringMatching(/NUL character/) }] },
    });
  }, 60_000);

  it('refuses times before 1970 or past 9999 as bad rows: none read as another year, none breaks a reader', async () => {
    const asset = await p.db.asset.findFirstOrThrow({ where: { tenant: { slug: 'initech' } } });
    // '0001-01-01' (a common "no date") was read as 1901; a time past 9999 UTC was stored and every read of the
    // asset's maintenance history then failed (500) for its customer too
    const res = await upload(
      { tenant: 'initech', name: 'plant-far', kind: 'maintenance' },
      `datetime,asset,component\n0001-01-01 00:00:00,${asset.serial},old\n` +
        `9999-12-31T23:59:59-12:00,${asset.serial},far\n`,
    );
    const job = await finished(((await res.json()) as Job).id);
    expect(job).toMatchObject({ status: 'failed', error: { code: 'PREDICT_IMPORT_INVALID_FILE', bad: 2 } });
    expect(job.error!.badRows.map((b) => b.reason)).toEqual([
      expect.stringMatching(/before 1970/),
      expect.stringMatching(/after 9999/),
    ]);
    const customer = await p.login('customer@initech.demo', 'customer-demo');
    const maintenance = await fetch(`${p.url}/api/assets/${asset.id}/maintenance`, {
      headers: { authorization: `Bearer ${customer}` },
    });
    expect(maintenance.status).toBe(200);
    expect(await maintenance.json()).toEqual([]);
  }, 60_000);

  it("lists imported maintenance in the asset's maintenance history, for its own tenant only", async () => {
    const asset = await p.db.asset.findFirstOrThrow({ where: { tenant: { slug: 'acme' } } });
    const res = await upload(
      { tenant: 'acme', name: 'plant-m', kind: 'maintenance' },
      `datetime,asset,component\n2026-01-02 03:00:00,${asset.serial},comp1\n2026-01-03 03:00:00,other,comp2\n`,
    );
    expect((await finished(((await res.json()) as Job).id)).status).toBe('done');
    const get = async (auth: string) =>
      fetch(`${p.url}/api/assets/${asset.id}/maintenance`, { headers: { authorization: `Bearer ${auth}` } });
    const entries = (await (await get(token)).json()) as {
      source: string;
      component: string;
      history?: string;
    }[];
    expect(entries.filter((e) => e.source === 'import')).toEqual([
      expect.objectContaining({ component: 'comp1', history: 'plant-m' }),
    ]);
    const globex = await p.login('customer@globex.demo', 'customer-demo');
    expect((await get(globex)).status).toBe(404);
  }, 60_000);
});
