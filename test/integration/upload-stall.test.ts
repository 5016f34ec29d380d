// A history upload whose client stops sending without closing its connection is cut (408
// PREDICT_IMPORT_STALLED, the connection closed) and gives its import slot back. Before, each such upload held
// one of the two slots for as long as its connection stayed open (no timeout), so two stalled uploads refused
// every other import of the platform with 429 PREDICT_IMPORT_BUSY. Real platform, real sockets; the idle cut is
// shortened for the test.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

/** Sends the headers and the first bytes of a declared-longer body, then nothing; resolves with what came back. */
function stalledUpload(url: string, token: string, contentType: string, first: string): Promise<string> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (answer += d));
    socket.on('error', reject);
    // the answer is complete when the server closes the connection
    socket.on('end', () => {
      socket.destroy();
      resolve(answer);
    });
    socket.write(
      `POST ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: ${contentType}\r\nContent-Length: 1000000\r\n\r\n${first}`,
    );
  });
}

describe('stalled history uploads', () => {
  let p: TestPlatform;
  let token: string;

  beforeAll(async () => {
    p = await startTestPlatform({ DEMO_ASSETS: '3' }, { fleet: false, importLimits: { uploadIdleMs: 300 } });
    token = await p.login('engineer@preempt.demo', 'engineer-demo');
  }, 120_000);
  afterAll(async () => p?.stop());

  /** The job the answer's Location names, once it has finished (so the platform stops with no import running). */
  const finished = (location: string) =>
    eventually(async () => {
      const res = await fetch(`${p.url}${location}`, { headers: { authorization: `Bearer ${token}` } });
      const job = (await res.json()) as { status: string };
      return job.status === 'done' || job.status === 'failed' ? job : undefined;
    }, 30_000);

  it('cuts a fleet history upload that sends nothing, with 408, and frees its slot for the next', async () => {
    const url = `${p.url}/api/fleet-histories/upload?tenant=acme&name=stalled&kind=events`;
    // both slots taken by clients that stop after the header line
    const answers = await Promise.all([
      stalledUpload(url, token, 'text/csv', 'time,asset,code\n'),
      stalledUpload(url, token, 'text/csv', 'time,asset,code\n'),
    ]);
    for (const a of answers) {
      expect(a).toMatch(/^HTTP\/1\.1 408 /);
      expect(a).toMatch(/"code":"PREDICT_IMPORT_STALLED"/);
      expect(a).toMatch(/sent nothing for 0\.3 s/);
    }
    const next = await fetch(`${p.url}/api/fleet-histories/upload?tenant=acme&name=next&kind=events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: 'time,asset,code\n2026-01-01 00:00:00,m1,E-1\n',
    });
    expect(next.status).toBe(202);
    await finished(next.headers.get('location')!);
  }, 60_000);

  it('cuts a run-to-failure history upload that sends nothing, with 408, and frees its slot', async () => {
    const url = `${p.url}/api/histories/upload?name=stalled&equipmentModel=turbofan-cmapss`;
    const answers = await Promise.all([
      stalledUpload(url, token, 'text/plain', '1 1 0 0 100 '),
      stalledUpload(url, token, 'text/plain', '1 1 0 0 100 '),
    ]);
    for (const a of answers) {
      expect(a).toMatch(/^HTTP\/1\.1 408 /);
      expect(a).toMatch(/"code":"PREDICT_IMPORT_STALLED"/);
    }
    const next = await fetch(`${p.url}/api/histories/upload?name=next&equipmentModel=turbofan-cmapss`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: '1 1 0 0 100 ' + Array.from({ length: 21 }, () => '1').join(' ') + '\n',
    });
    expect(next.status).toBe(202);
    await finished(next.headers.get('location')!);
  }, 60_000);
});
