// One schema for every setting (environment variables), checked at start-up. README's configuration table and
// .env.example are generated from SETTINGS (test/unit/config-docs.test.ts keeps them in step).
import { isIP } from 'node:net';
import path from 'node:path';

type Parser<T> = (raw: string) => T;
interface Setting<T> {
  readonly env: string;
  readonly default: string | undefined;
  readonly accepts: string;
  readonly doc: string;
  readonly parse: Parser<T>;
}

class ConfigValueError extends Error {}

const text: Parser<string> = (raw) => raw;
const integer =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new ConfigValueError();
    const n = Number(raw);
    if (n < min || n > max) throw new ConfigValueError();
    return n;
  };
const url =
  (...protocols: string[]): Parser<string> =>
  (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigValueError();
    }
    if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) throw new ConfigValueError();
    return raw;
  };
const oneOf =
  <T extends string>(...values: T[]): Parser<T> =>
  (raw) => {
    if (!(values as string[]).includes(raw)) throw new ConfigValueError();
    return raw as T;
  };
const bool: Parser<boolean> = (raw) => {
  if (['true', '1', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigValueError();
};
const optional =
  <T>(parse: Parser<T>): Parser<T | undefined> =>
  (raw) =>
    raw === '' ? undefined : parse(raw);

/** Fastify's trustProxy: false, a hop count, or the addresses (IP, CIDR, proxy-addr's names) of trusted proxies. */
const trustProxyList: Parser<false | number | string> = (raw) => {
  const v = raw.trim();
  if (v === '') return false;
  if (/^\d+$/.test(v)) return integer(1, 10)(v);
  const names = new Set(['loopback', 'linklocal', 'uniquelocal']);
  const items = v.split(',').map((x) => x.trim());
  for (const item of items) {
    if (names.has(item)) continue;
    const [ip, bits, extra] = item.split('/');
    const family = isIP(ip ?? '');
    if (!family || extra !== undefined) throw new ConfigValueError();
    if (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)))
      throw new ConfigValueError();
  }
  return items.join(',');
};

function setting<T>(
  env: string,
  def: string | undefined,
  accepts: string,
  doc: string,
  parse: Parser<T>,
): Setting<T> {
  return { env, default: def, accepts, doc, parse };
}

export const SETTINGS = {
  port: setting(
    'PORT',
    '3000',
    'a TCP port 0-65535',
    'HTTP port of the API and dashboard.',
    integer(0, 65535),
  ),
  host: setting('HOST', '0.0.0.0', 'an interface address', 'Interface the HTTP server binds.', text),
  dataDir: setting(
    'DATA_DIR',
    './data',
    'a directory path',
    'Where everything embedded keeps its state (kept across restarts).',
    text,
  ),
  databaseUrl: setting(
    'DATABASE_URL',
    '',
    'a postgres:// or postgresql:// URL, or empty',
    'PostgreSQL to use. Empty: an embedded PostgreSQL with its data under DATA_DIR.',
    optional(url('postgres', 'postgresql')),
  ),
  embeddedPgPort: setting(
    'EMBEDDED_PG_PORT',
    '54329',
    'a TCP port 1-65535',
    'Port of the embedded PostgreSQL (not 5432, which a local PostgreSQL often holds).',
    integer(1, 65535),
  ),
  mqttUrl: setting(
    'MQTT_URL',
    '',
    'an mqtt://, mqtts://, ws:// or wss:// URL, or empty',
    'MQTT broker to use (Mosquitto, EMQX). Empty: an embedded broker (aedes) on MQTT_PORT.',
    optional(url('mqtt', 'mqtts', 'ws', 'wss', 'tcp')),
  ),
  mqttPort: setting(
    'MQTT_PORT',
    '1883',
    'a TCP port 0-65535',
    'Port of the embedded MQTT broker. Unset and 1883 taken (a local Mosquitto): the next free port, named in the start log.',
    integer(0, 65535),
  ),
  mqttUsername: setting(
    'MQTT_USERNAME',
    'preempt-ingest',
    'text',
    'Username the platform uses on the broker.',
    text,
  ),
  mqttPassword: setting(
    'MQTT_PASSWORD',
    '',
    'text',
    'Password the platform uses on the broker (empty: none on an external broker; generated on the embedded one).',
    text,
  ),
  mqttClientId: setting(
    'MQTT_CLIENT_ID',
    'preempt-ingest',
    'text',
    'Fixed client id of the ingest subscriber, so the broker keeps its session (QoS 1) while it is down.',
    text,
  ),
  ingestInProcess: setting(
    'INGEST_IN_PROCESS',
    'true',
    'true or false',
    'Run ingest inside this process. false: `npm run ingest` workers do, and announce what they store over the broker.',
    bool,
  ),
  ingestShareGroup: setting(
    'INGEST_SHARE_GROUP',
    '',
    'empty or a group name ([A-Za-z0-9_-])',
    'MQTT 5 shared-subscription group ($share/<group>/…) so several ingest workers split the load (Mosquitto, EMQX; not the embedded broker).',
    (raw) => {
      if (raw !== '' && !/^[A-Za-z0-9_-]{1,64}$/.test(raw)) throw new ConfigValueError();
      return raw;
    },
  ),
  ingestJournalMaxMb: setting(
    'INGEST_JOURNAL_MAX_MB',
    '512',
    'megabytes 1-1000000',
    'Disk the ingest journal (DATA_DIR/ingest-journal) may fill while the stores are unreachable; when full, ingest stops acknowledging the broker.',
    integer(1, 1_000_000),
  ),
  storeTimeoutMs: setting(
    'STORE_TIMEOUT_MS',
    '15000',
    'milliseconds 100-600000',
    'Longest a telemetry-store query or write may take (PostgreSQL statement and query timeout; each drained batch of ingest): a write that hangs fails and is retried, and health says so.',
    integer(100, 600_000),
  ),
  ingestStallSeconds: setting(
    'INGEST_STALL_SECONDS',
    '30',
    'seconds 1-3600',
    'Ingest health turns degraded when the journal holds records and nothing was stored for this long.',
    integer(1, 3600),
  ),
  deadLettersPerMinute: setting(
    'DEAD_LETTERS_PER_MINUTE',
    '60',
    'integer 0-1000000',
    'Health reports the dead letters "degraded" when ingest refused at least this many messages in the last ' +
      'minute (0: never).',
    integer(0, 1_000_000),
  ),
  deadLettersPerDevicePerMinute: setting(
    'DEAD_LETTERS_PER_DEVICE_PER_MINUTE',
    '60',
    'integer 0-1000000',
    'At most this many refused messages of one device (tenant and asset of the topic) are stored in full as dead ' +
      'letters per minute, by each ingest process; the rest are counted, in one summary dead letter per device and ' +
      'minute (reason not_stored) and in preempt_ingest_dead_letters_not_stored_total (0: no cap).',
    integer(0, 1_000_000),
  ),
  deadLetterRetentionDays: setting(
    'DEAD_LETTER_RETENTION_DAYS',
    '30',
    'days 0-3650',
    'Dead letters older than this are deleted by a periodic sweep (0: kept for ever).',
    integer(0, 3_650),
  ),
  deadLetterSweepSeconds: setting(
    'DEAD_LETTER_SWEEP_SECONDS',
    '3600',
    'seconds 1-86400',
    'How often the dead letters older than DEAD_LETTER_RETENTION_DAYS are deleted (in batches), and once at start.',
    integer(1, 86_400),
  ),
  metricsToken: setting(
    'METRICS_TOKEN',
    '',
    'empty or at least 16 characters',
    'Bearer token Prometheus sends to GET /metrics. Empty: /metrics is open on ingest workers and in demo mode, and refused (403) on a platform outside demo mode (docs/operations.md).',
    (raw) => {
      if (raw !== '' && raw.length < 16) throw new ConfigValueError();
      return raw;
    },
  ),
  predictMode: setting(
    'PREDICT_MODE',
    'in-process',
    'in-process or workers',
    'Where predict evaluates readings. workers: the platform hands stored readings to `npm run predict:worker` processes over NATS JetStream (NATS_URL), partitioned by asset (docs/scale-out.md).',
    oneOf('in-process', 'workers'),
  ),
  natsUrl: setting(
    'NATS_URL',
    'nats://127.0.0.1:4222',
    'a nats:// or tls:// URL, or several separated by commas',
    'NATS server(s) with JetStream, with PREDICT_MODE=workers.',
    (raw) => {
      const urls = raw.split(',').map((u) => u.trim());
      for (const u of urls) url('nats', 'tls')(u);
      return urls.join(',');
    },
  ),
  predictPartitions: setting(
    'PREDICT_PARTITIONS',
    '64',
    'a number 1-4096',
    'Partitions of the assets among predict workers (hash of tenant/asset). The platform and every worker must use the same value; change it only with all workers stopped.',
    integer(1, 4096),
  ),
  predictRebuildHours: setting(
    'PREDICT_REBUILD_HOURS',
    '72',
    'hours 0-720',
    "How much of a partition's history a predict worker reads back from the telemetry store when it takes the partition over.",
    integer(0, 720),
  ),
  predictStreamHours: setting(
    'PREDICT_STREAM_HOURS',
    '6',
    'hours 1-720',
    'How long the readings stream for predict workers keeps readings (when the platform creates it): long enough to outlast an outage of all workers; a taken partition is rebuilt from the telemetry store, not the stream.',
    integer(1, 720),
  ),
  predictWorkerId: setting(
    'PREDICT_WORKER_ID',
    '',
    'empty or a name ([A-Za-z0-9_-])',
    "A predict worker's name in the group. Empty: host name and process id.",
    (raw) => {
      if (raw !== '' && !/^[A-Za-z0-9_-]{1,64}$/.test(raw)) throw new ConfigValueError();
      return raw;
    },
  ),
  influxUrl: setting(
    'INFLUX_URL',
    '',
    'an http:// or https:// URL, or empty',
    'InfluxDB 2.x for telemetry. Empty: telemetry goes to a table in PostgreSQL.',
    optional(url('http', 'https')),
  ),
  influxToken: setting('INFLUX_TOKEN', '', 'text', 'InfluxDB API token (with INFLUX_URL).', text),
  influxOrg: setting('INFLUX_ORG', 'preempt', 'text', 'InfluxDB organisation (with INFLUX_URL).', text),
  influxBucket: setting('INFLUX_BUCKET', 'telemetry', 'text', 'InfluxDB bucket (with INFLUX_URL).', text),
  authSecret: setting(
    'AUTH_SECRET',
    '',
    'empty or at least 32 characters',
    'Secret that signs login tokens. Empty: one is generated and kept in DATA_DIR.',
    (raw) => {
      if (raw !== '' && raw.length < 32) throw new ConfigValueError();
      return raw;
    },
  ),
  loginLimitPerIp: setting(
    'LOGIN_LIMIT_PER_IP',
    '100',
    'logins per minute 10-100000',
    'Login attempts per minute from one client address, all accounts together (429 above it); each account also ' +
      'allows 10 a minute from one address. Behind a reverse proxy set TRUST_PROXY, or every user shares the ' +
      "proxy's address.",
    integer(10, 100_000),
  ),
  trustProxy: setting(
    'TRUST_PROXY',
    '',
    'empty, a hop count 1-10, or comma-separated IPs, CIDRs, loopback, linklocal, uniquelocal',
    'The reverse proxies in front of the API whose X-Forwarded-For is believed for the client address (login ' +
      "limits, logs). Empty: none, the client address is the connection's.",
    trustProxyList,
  ),
  tokenTtlMinutes: setting(
    'TOKEN_TTL_MINUTES',
    '720',
    'minutes 1-43200',
    'Lifetime of a login token.',
    integer(1, 43_200),
  ),
  riskClearedPolicy: setting(
    'RISK_CLEARED_POLICY',
    'confirm',
    'release or confirm',
    'What happens to an order when predict reports its risk cleared. confirm: it stays, flagged, until a dispatcher keeps or cancels it. release: the platform cancels it after RISK_CLEARED_GRACE_MINUTES, releasing technician and parts, unless the technician has left (docs/adr/0008-risk-cleared-policy.md).',
    oneOf('release', 'confirm'),
  ),
  carrierSecrets: setting(
    'CARRIER_SECRETS',
    '',
    'empty or comma-separated carrier=secret pairs, secrets of at least 16 characters',
    'HMAC-SHA256 secrets of the carriers that may post tracking events to POST /api/carriers/{carrier}/events (docs/reverse-logistics.md). Empty: none may.',
    (raw) => {
      const out: Record<string, string> = {};
      for (const pair of raw.split(',').filter((x) => x.trim() !== '')) {
        const i = pair.indexOf('=');
        const name = pair.slice(0, i).trim();
        const secret = pair.slice(i + 1).trim();
        if (i < 1 || !/^[a-z0-9-]{1,40}$/.test(name) || secret.length < 16) throw new ConfigValueError();
        out[name] = secret;
      }
      return out;
    },
  ),
  consignmentCarrier: setting(
    'CONSIGNMENT_CARRIER',
    '',
    'empty or a carrier named in CARRIER_SECRETS',
    "The carrier that moves the platform's own consignments (stock transfers TRF-…, returns RMA-…): only its tracking events are taken on them, another carrier's are 404. Empty: a consignment belongs to the first carrier that reports on it.",
    optional((raw) => {
      if (!/^[a-z0-9-]{1,40}$/.test(raw)) throw new ConfigValueError();
      return raw;
    }),
  ),
  carrierOverdueSweepSeconds: setting(
    'CARRIER_SWEEP_SECONDS',
    '60',
    'seconds 0-3600',
    'How often dispatch looks for shipments not delivered by the time their part is needed (they re-plan their order, docs/reverse-logistics.md). 0: never.',
    integer(0, 3_600),
  ),
  riskClearedGraceMinutes: setting(
    'RISK_CLEARED_GRACE_MINUTES',
    '60',
    'minutes 0-10080',
    'With RISK_CLEARED_POLICY=release: how long an order stays flagged risk-cleared before the platform releases it.',
    integer(0, 10_080),
  ),
  photoMaxBytes: setting(
    'PHOTO_MAX_BYTES',
    '5242880',
    'bytes 10240-52428800',
    'Largest job photo a technician may upload (POST /api/me/jobs/{id}/photos answers 413 above it); photos are kept in PostgreSQL.',
    integer(10_240, 52_428_800),
  ),
  notifySmtpUrl: setting(
    'NOTIFY_SMTP_URL',
    '',
    'empty, or an smtp:// or smtps:// URL (user and password in it, e.g. smtps://user:pass@mail.example.com:465)',
    'SMTP server for e-mail notifications (notify/). Empty: e-mail notifications are off (subscribing by e-mail is refused).',
    optional(url('smtp', 'smtps')),
  ),
  notifyMailFrom: setting(
    'NOTIFY_MAIL_FROM',
    'Preempt <notifications@preempt.invalid>',
    'an e-mail address, optionally with a name',
    'Sender of e-mail notifications.',
    text,
  ),
  notifyWebhookAllowPrivate: setting(
    'NOTIFY_WEBHOOK_ALLOW_PRIVATE',
    'false',
    'true or false',
    'Let webhooks point at loopback, private and link-local addresses (tests, a closed network). false: refused, so a subscriber cannot make the platform call into its own network.',
    bool,
  ),
  notifyMaxAttempts: setting(
    'NOTIFY_MAX_ATTEMPTS',
    '8',
    'a number 1-50',
    'Tries of one notification before it is marked failed.',
    integer(1, 50),
  ),
  notifyRetryBaseMs: setting(
    'NOTIFY_RETRY_BASE_MS',
    '30000',
    'milliseconds 1-3600000',
    'Wait after the first failed try; it doubles with every further failure (with jitter), up to NOTIFY_RETRY_MAX_MS.',
    integer(1, 3_600_000),
  ),
  notifyRetryMaxMs: setting(
    'NOTIFY_RETRY_MAX_MS',
    '3600000',
    'milliseconds 1-86400000',
    'Longest wait between two tries of a notification.',
    integer(1, 86_400_000),
  ),
  notifyPollMs: setting(
    'NOTIFY_POLL_MS',
    '2000',
    'milliseconds 20-600000',
    'How often the notification worker looks for deliveries that are due (new ones are sent at once).',
    integer(20, 600_000),
  ),
  partsReviewAt: setting(
    'PARTS_REVIEW_AT',
    '00:30',
    'a UTC time HH:MM or off',
    "When the nightly parts review runs (UTC), before the hub's overnight cut-off; off: only on demand (POST /api/parts/reviews). docs/parts-planning.md.",
    (raw): string | null => {
      if (raw === 'off') return null;
      const m = /^(\d{2}):(\d{2})$/.exec(raw);
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new ConfigValueError();
      return raw;
    },
  ),
  partsAutoApply: setting(
    'PARTS_AUTO_APPLY',
    'false',
    'true or false',
    "Apply each parts review's plan (create its stock transfers) without a planner's approval.",
    bool,
  ),
  partsPlanMs: setting(
    'PARTS_PLAN_MS',
    '2000',
    'milliseconds 100-20000',
    "The parts planner's search budget per review (the search runs in a worker thread of the platform process, off its event loop).",
    integer(100, 20_000),
  ),
  demo: setting(
    'DEMO',
    'auto',
    'auto, true or false',
    'Demo mode: seed demo tenants, network and accounts, and run the simulated fleet. auto: on when DATABASE_URL is empty.',
    oneOf('auto', 'true', 'false'),
  ),
  demoAssets: setting(
    'DEMO_ASSETS',
    '54',
    'a number 3-5000',
    'Assets in the demo fleet (spread over 3 tenants and 3 equipment models).',
    integer(3, 5000),
  ),
  demoFleet: setting(
    'DEMO_FLEET',
    'true',
    'true or false',
    'In demo mode, run the simulated fleet inside the platform process. false: seed its devices only and run it apart with `npm run simulate`.',
    bool,
  ),
  simulatorIntervalMs: setting(
    'SIM_INTERVAL_MS',
    '2000',
    'milliseconds 100-600000',
    'Reporting interval of each simulated device.',
    integer(100, 600_000),
  ),
  simulatorSeed: setting(
    'SIM_SEED',
    '7',
    'an integer',
    'Random seed of the demo fleet (same seed, same fleet and failures).',
    integer(0, 2 ** 31 - 1),
  ),
  logLevel: setting(
    'LOG_LEVEL',
    'info',
    'fatal, error, warn, info, debug or trace',
    'Log level of the root logger.',
    oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace'),
  ),
  logPretty: setting(
    'LOG_PRETTY',
    'false',
    'true or false',
    'Human-readable logs instead of JSON lines.',
    bool,
  ),
} as const;

type Settings = typeof SETTINGS;
type Parsed<S> = S extends Setting<infer T> ? T : never;
type RawConfig = { -readonly [K in keyof Settings]: Parsed<Settings[K]> };

export interface Config extends Omit<RawConfig, 'demo' | 'dataDir'> {
  readonly dataDir: string;
  readonly demo: boolean;
  /** MQTT_PORT was set: the embedded broker takes exactly that port, and a taken one stops the start. */
  readonly mqttPortGiven: boolean;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Reads every setting from `env`; the first wrong value throws one line naming the variable and what it accepts. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) {
    const raw = env[s.env] ?? s.default ?? '';
    try {
      out[key] = s.parse(raw.trim());
    } catch (err) {
      if (!(err instanceof ConfigValueError)) throw err;
      throw new ConfigError(`${s.env}=${JSON.stringify(raw)} is not valid: expected ${s.accepts}.`);
    }
  }
  const raw = out as RawConfig;
  if (raw.influxUrl && !raw.influxToken)
    throw new ConfigError('INFLUX_TOKEN is required when INFLUX_URL is set.');
  if (raw.consignmentCarrier && !(raw.consignmentCarrier in raw.carrierSecrets))
    throw new ConfigError(
      `CONSIGNMENT_CARRIER=${JSON.stringify(raw.consignmentCarrier)} is not a carrier of CARRIER_SECRETS.`,
    );
  return {
    ...raw,
    dataDir: path.resolve(raw.dataDir),
    demo: raw.demo === 'auto' ? raw.databaseUrl === undefined : raw.demo === 'true',
    mqttPortGiven: (env.MQTT_PORT ?? '').trim() !== '',
  };
}
