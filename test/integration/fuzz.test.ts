// Fuzz drill: 100,000 malformed MQTT payloads through a real broker into ingest while a good device keeps
// publishing, and malformed HTTP requests at every route. Zero crashes, every bad message refused and counted,
// memory bounded, the good device's readings all stored; no HTTP request gets a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { topics } from '../../common/contracts/mqtt.ts';
import { fuzzMessages } from '../helpers/fuzz.ts';
import { deviceClient, ingestRig, PLATFORM, type IngestRig } from '../helpers/ingest-rig.ts';
import { recordDrill } from '../helpers/drill-record.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const FUZZ_MESSAGES = Number(process.env.FUZZ_MESSAGES ?? 100_000);
const LOGOUT = '/api/auth/logout';
const INT_MAX = 2 ** 31 - 1;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  minLength?: number;
  format?: string;
}
interface Operation {
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
/** The form of an RFC 3339 date-time, in year 10000 UTC. */
const YEAR_10000 = '9999-12-31T23:59:59-12:00';
type Poison = 'nul' | 'enum' | 'int' | 'inf' | 'lone' | 'far' | 'none';

/**
 * A value of the schema's shape with one kind of bad input in it: NUL characters in every string, an unknown
 * value for every enumeration, 2^31 (past PostgreSQL's integer) for every integer, "1e309" (Infinity once a query
 * is coerced) for every number, a lone UTF-16 surrogate in every string, or a date-time of the right form in year
 * 10000 UTC (which Prisma cannot write) in every date-time; the rest valid ('none': all valid).
 * `hits` counts the bad values put in.
 */
function poisoned(schema: JsonSchema | undefined, kind: Poison, hits: { n: number }, depth = 0): unknown {
  const hit = <T>(v: T): T => {
    hits.n++;
    return v;
  };
  if (!schema || depth > 6) return kind === 'nul' ? hit('x\u0000y') : kind === 'lone' ? hit('x\ud800y') : 'x';
  const alt = schema.anyOf?.find((a) => a.type !== 'null');
  if (alt) return poisoned(alt, kind, hits, depth + 1);
  if (schema.const !== undefined || schema.enum)
    return kind === 'enum' ? hit('NOT_A_VALUE') : (schema.const ?? schema.enum![0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, v]) => [k, poisoned(v, kind, hits, depth + 1)]),
      );
    case 'array':
      return [poisoned(schema.items, kind, hits, depth + 1)];
    case 'integer':
      return kind === 'int'
        ? hit(INT_MAX + 1)
        : kind === 'inf'
          ? hit('1e309')
          : Math.max(1, schema.minimum ?? 1);
    case 'number':
      return kind === 'int' ? hit(1e300) : kind === 'inf' ? hit('1e309') : 1;
    case 'boolean':
      return true;
    default:
      if (kind === 'far' && schema.format === 'date-time') return hit(YEAR_10000);
      return kind === 'nul'
        ? hit('x\u0000y'.padEnd(schema.minLength ?? 0, 'z'))
        : kind === 'lone'
          ? hit('x\ud800y'.padEnd(schema.minLength ?? 0, 'z'))
          : 'x'.repeat(schema.minLength ?? 1);
  }
}

describe('fuzz: malformed MQTT payloads', () => {
  let rig: IngestRig;
  beforeAll(async () => {
    rig = await ingestRig({ assets: 2 });
  }, 60_000);
  afterAll(async () => rig?.close());

  it(`refuses and counts ${FUZZ_MESSAGES} malformed messages while a good device's readings all arrive`, async () => {
    const next = fuzzMessages({ seed: 42, tenant: rig.tenant, asset: rig.assets[0]!, metric: 'vibration' });
    // the platform's own identity may publish to any topic: spoofed topics reach ingest (a device's would be refused by the broker)
    const fuzzer = await mqtt.connectAsync(rig.broker.url, {
      ...PLATFORM,
      clientId: `fuzzer-${Date.now()}`,
      reconnectPeriod: 0,
    });
    const good = await deviceClient(rig.broker.url, rig.assets[1]!);
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const kinds = new Map<string, number>();
    const goodReadings = 500;
    const goodDone = (async () => {
      for (let i = 0; i < goodReadings; i++) {
        await good.publishAsync(
          topics.telemetry(rig.tenant, rig.assets[1]!),
          JSON.stringify({ ts: Date.now() - 60_000 + i, metrics: { vibration: 5 } }),
          { qos: 1 },
        );
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    for (let i = 0; i < FUZZ_MESSAGES; i += 200) {
      const batch = [];
      for (let k = 0; k < 200 && i + k < FUZZ_MESSAGES; k++) {
        const m = next();
        kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
        batch.push(fuzzer.publishAsync(m.topic, m.payload, { qos: 1 }));
      }
      await Promise.all(batch);
    }
    await goodDone;
    const rejected = () =>
      Object.values((rig.service.health().detail as { rejected: Record<string, number> }).rejected).reduce(
        (a, b) => a + b,
        0,
      );
    await eventually(async () => rejected() >= FUZZ_MESSAGES, 120_000, 500).catch((err: unknown) => {
      console.error('rejected so far', rig.service.health().detail, Object.fromEntries(kinds));
      throw err;
    });
    // a shared broker may carry other traffic that ingest also refuses: count this run's topics in the dead letters
    const ours = async () => {
      const r = await rig.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "IngestReject"
        WHERE topic LIKE ${`t/${rig.tenant}/a/${rig.assets[0]}/%`} OR topic LIKE ${`t/${rig.tenant}/a/ghost-%`}
           OR topic LIKE ${`t/other-%/a/${rig.assets[0]}/%`}`;
      return Number(r[0]!.n);
    };
    await eventually(async () => (await ours()) >= FUZZ_MESSAGES, 120_000, 500);
    if (!rig.broker.external) expect(rejected()).toBe(FUZZ_MESSAGES);
    await eventually(async () => (await rig.pointCount(rig.assets[1]!)) === goodReadings, 60_000, 500);
    expect(await rig.pointCount(rig.assets[0]!)).toBe(0);
    expect(await ours()).toBe(FUZZ_MESSAGES);
    expect(kinds.size).toBeGreaterThanOrEqual(14);
    global.gc?.();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    console.log(`fuzz heap growth ${Math.round(heapGrowth / 1e6)} MB`);
    expect(heapGrowth).toBeLessThan(128 * 1024 * 1024);
    expect(rig.service.health().status).toBe('up');
    recordDrill({
      drill: `${FUZZ_MESSAGES.toLocaleString('en')} malformed MQTT payloads (${kinds.size} kinds: random bytes, truncated and deeply nested JSON, 1e999, NaN, wrong types, unknown assets, spoofed tenants, oversized…)`,
      behaviour:
        'every one refused, dead-lettered with its reason and counted; no crash; heap growth under 128 MB after a full collection',
      lost: `0 of ${goodReadings} readings of a good device publishing at the same time`,
      test: 'test/integration/fuzz.test.ts',
    });
    await fuzzer.endAsync();
    await good.endAsync();
  }, 300_000);
});

describe('fuzz: malformed HTTP requests', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform({}, { fleet: false });
  }, 120_000);
  afterAll(async () => p?.stop());

  it('answers NUL characters, lone surrogates, unknown enumeration values and numbers past range with a 4xx and a code on every route', async () => {
    const token = await p.login('admin@preempt.demo', 'admin-demo');
    const spec = (await (await fetch(`${p.url}/docs/json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const routes = Object.entries(spec.paths)
      .flatMap(([route, m]) =>
        Object.entries(m).map(([method, op]) => ({ method: method.toUpperCase(), route, op })),
      )
      .sort((a, b) => Number(a.route === LOGOUT) - Number(b.route === LOGOUT));
    const statuses = new Map<number, number>();
    const codes = new Set<string>();
    const bad: string[] = [];
    let n = 0;
    const send = async (
      r: (typeof routes)[number],
      url: string,
      body: string | undefined,
      auth = true,
    ): Promise<void> => {
      const res = await fetch(`${p.url}${url}`, {
        method: r.method,
        headers: {
          ...(auth ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body,
      });
      const text = await res.text();
      n++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const what = `${r.method} ${url.slice(0, 80)} ${String(body).slice(0, 60)}`;
      let code: unknown;
      try {
        code = (JSON.parse(text) as { code?: unknown }).code;
      } catch {
        code = undefined;
      }
      if (res.status < 400 || res.status >= 500 || typeof code !== 'string' || code === '')
        bad.push(`${res.status} ${String(code)}: ${what}`);
      else codes.add(code);
    };
    const pathWith = (route: string, value: string) => route.replace(/\{[^}]+\}/g, value);
    // real ids where the route has them, so the request gets past the look-up to the bad value
    const model = await p.db.predictionModel.findFirstOrThrow();
    const asset = await p.db.asset.findFirstOrThrow();
    const idFor = (route: string) =>
      route.startsWith('/api/models/')
        ? model.id
        : route.startsWith('/api/assets/')
          ? asset.id
          : '00000000-0000-4000-8000-000000000000';
    for (const r of routes) {
      const params = r.op.parameters ?? [];
      const bodySchema = r.op.requestBody?.content?.['application/json']?.schema;
      const fine = bodySchema ? JSON.stringify(poisoned(bodySchema, 'none', { n: 0 })) : undefined;
      // NUL in the path (raw and as %00)
      if (/\{[^}]+\}/.test(r.route)) {
        await send(r, pathWith(r.route, '%00'), fine);
        await send(r, pathWith(r.route, 'a%00b'), fine);
      }
      const base = r.route.replace(/\{v\}/g, '1').replace(/\{[^}]+\}/g, idFor(r.route));
      // each kind of bad value in every query parameter, then in every field of the body (a URL carries UTF-8, so
      // no lone surrogate; a JSON body no Infinity)
      for (const kind of ['nul', 'enum', 'int', 'inf', 'lone', 'far'] as const) {
        const hits = { n: 0 };
        const q = params
          .filter((x) => x.in === 'query' && kind !== 'lone')
          .map((x) => `${x.name}=${encodeURIComponent(String(poisoned(x.schema, kind, hits)))}`)
          .join('&');
        if (hits.n > 0) await send(r, `${base}?${q}`, fine);
        if (kind === 'inf') continue;
        const bodyHits = { n: 0 };
        const body = bodySchema ? JSON.stringify(poisoned(bodySchema, kind, bodyHits)) : undefined;
        if (bodyHits.n > 0) await send(r, base, body);
      }
      await send(r, `${base}?x=%00`, bodySchema ? '{"a":"\\u0000"}' : undefined);
      // integer path parameters past PostgreSQL's integer, and past any number
      if (params.some((x) => x.in === 'path' && x.schema?.type === 'integer'))
        for (const big of [String(INT_MAX + 1), '1e309'])
          await send(r, r.route.replace(/\{v\}/g, big).replace(/\{[^}]+\}/g, idFor(r.route)), fine);
    }
    // the login answers before anyone is authenticated
    const login = routes.find((r) => r.route === '/api/auth/login')!;
    await send(
      login,
      '/api/auth/login',
      JSON.stringify({ email: 'admin\u0000@preempt.demo', password: 'x\u0000' }),
      false,
    );
    await send(login, '/api/auth/login', '{"email":"admin\\ud800@preempt.demo","password":"x"}', false);
    // an unknown order status
    const orders = routes.find((r) => r.method === 'GET' && r.route === '/api/orders')!;
    await send(orders, '/api/orders?status=NOPE', undefined);
    await send(orders, '/api/orders?status=PLANNED,NOPE', undefined);
    expect(bad).toEqual([]);
    expect(n).toBeGreaterThan(100);
    expect((await fetch(`${p.url}/api/health`)).status).toBe(200);
    recordDrill({
      drill: `${n} requests with NUL characters (path, query, JSON strings, the unauthenticated login), lone UTF-16 surrogates in JSON strings, unknown enumeration values (e.g. ?status=), integers past 2^31-1, numbers past any (1e309 in a query or path) and date-times in year 10000 UTC, to every route of the OpenAPI document`,
      behaviour: `answered ${[...statuses.keys()].sort().join('/')} with a code (${[...codes].sort().join(', ')}); never a 5xx`,
      lost: 'nothing',
      test: 'test/integration/fuzz.test.ts',
    });
  }, 300_000);

  it('answers every malformed request with a 4xx, never a 5xx, and keeps serving', async () => {
    const token = await p.login('admin@preempt.demo', 'admin-demo');
    const spec = (await (await fetch(`${p.url}/docs/json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    // logging out revokes the token: that route goes last
    const routes = Object.entries(spec.paths)
      .flatMap(([route, m]) => Object.keys(m).map((method) => ({ method: method.toUpperCase(), route })))
      .sort((a, b) => Number(a.route === LOGOUT) - Number(b.route === LOGOUT));
    const ids = [
      'x',
      '0',
      '-1',
      '%00',
      "' OR 1=1 --",
      'a'.repeat(3000),
      '00000000-0000-0000-0000-000000000000',
      '../../etc/passwd',
    ];
    const bodies = [
      '{',
      '[]',
      'null',
      '"x"',
      '{"a":'.repeat(200),
      JSON.stringify({ email: 1, password: [] }),
      'x'.repeat(300_000),
      '{"__proto__":{"admin":true}}',
    ];
    const queries = [
      '',
      '?limit=-5',
      '?limit=abc',
      '?from=notadate&to=2020-13-45',
      '?metric=' + 'm'.repeat(5000),
      '?every=0',
    ];
    const statuses = new Map<number, number>();
    let n = 0;
    // every route gets every bad id, and every bad body where it takes one: each id paired with one body, the pairs
    // shifting from route to route (not every id × body)
    for (const [ri, r] of routes.entries()) {
      const cases: [string, string | undefined][] =
        r.method === 'GET'
          ? ids.map((id) => [id, undefined])
          : Array.from({ length: Math.max(ids.length, bodies.length) }, (_, k) => [
              ids[k % ids.length]!,
              bodies[(k + ri) % bodies.length]!,
            ]);
      for (const [id, body] of cases) {
        const q = queries[n++ % queries.length]!;
        const res = await fetch(`${p.url}${r.route.replace(/\{[^}]+\}/g, encodeURIComponent(id))}${q}`, {
          method: r.method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          body,
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect([`${r.method} ${r.route} ${id.slice(0, 20)} ${q.slice(0, 20)}`, res.status < 500]).toEqual([
          `${r.method} ${r.route} ${id.slice(0, 20)} ${q.slice(0, 20)}`,
          true,
        ]);
      }
    }
    expect(n).toBeGreaterThan(200);
    expect((await fetch(`${p.url}/api/health`)).status).toBe(200);
    recordDrill({
      drill: `${n} malformed HTTP requests to every route (bad ids, injection strings, broken and 300 kB JSON, bad queries)`,
      behaviour: `answered ${[...statuses.keys()].sort().join('/')}; never a 5xx; kept serving`,
      lost: 'nothing',
      test: 'test/integration/fuzz.test.ts',
    });
  }, 300_000);
});
