// Pure decision: is this MQTT message a valid reading batch / status change of a known asset?
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import {
  eventsSchema,
  LIMITS,
  parseTopic,
  statusSchema,
  type MachineCondition,
  telemetrySchema,
  type EventSeverity,
  type EventsMessage,
  type RejectReason,
  type StatusMessage,
  type TelemetryMessage,
  type TelemetryReading,
} from '../../common/contracts/mqtt.ts';

export interface MetricRange {
  min: number;
  max: number;
}

/** What ingest knows of an asset: its tenant and the metrics its equipment model reports. */
export interface AssetInfo {
  assetId: string;
  tenantId: string;
  tenantSlug: string;
  metrics: ReadonlyMap<string, MetricRange>;
}

export interface ParsedReading {
  ts: Date;
  metrics: Record<string, number>;
}

export interface ParsedEvent {
  ts: Date;
  code: string;
  severity: EventSeverity;
}

export type ParseOutcome =
  | { ok: true; kind: 'telemetry'; asset: AssetInfo; readings: ParsedReading[] }
  | { ok: true; kind: 'status'; asset: AssetInfo; online: boolean; condition?: MachineCondition; at: Date }
  | { ok: true; kind: 'events'; asset: AssetInfo; events: ParsedEvent[] }
  | { ok: false; reason: RejectReason; detail: string };

const ajv = new Ajv({ allErrors: false, strict: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validateTelemetry = ajv.compile<TelemetryMessage>(telemetrySchema);
const validateStatus = ajv.compile<StatusMessage>(statusSchema);
const validateEvents = ajv.compile<EventsMessage>(eventsSchema);

const reject = (reason: RejectReason, detail: string): ParseOutcome => ({ ok: false, reason, detail });

/** Finds a non-finite number (1e999 parses to Infinity) anywhere in a parsed JSON value; its path, if any. */
function findNonFinite(v: unknown): string | undefined {
  return hasNonFinite(v, 0) ? pathOfNonFinite(v, '$', 0) : undefined;
}

/** The check alone, without building paths (it runs on every message). */
function hasNonFinite(v: unknown, depth: number): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (depth > 8 || v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (const child of v) if (hasNonFinite(child, depth + 1)) return true;
    return false;
  }
  for (const k in v) if (hasNonFinite((v as Record<string, unknown>)[k], depth + 1)) return true;
  return false;
}

function pathOfNonFinite(v: unknown, path: string, depth: number): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : path;
  if (depth > 8 || v === null || typeof v !== 'object') return undefined;
  for (const [k, child] of Object.entries(v)) {
    const hit = pathOfNonFinite(child, `${path}.${k}`, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

/** The payload as text, without copying the bytes (MQTT.js hands over a Buffer). */
const utf8 = (payload: Uint8Array) =>
  (Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)
  ).toString('utf8');

function toDate(ts: string | number): Date {
  return new Date(typeof ts === 'number' ? ts : Date.parse(ts));
}

function checkTime(at: Date, now: Date): ParseOutcome | undefined {
  const age = now.getTime() - at.getTime();
  if (Number.isNaN(age)) return reject('schema', 'timestamp is not a valid date');
  if (age > LIMITS.maxAgeMs)
    return reject('too_old', `timestamp ${at.toISOString()} is more than 7 days old`);
  if (-age > LIMITS.maxFutureMs)
    return reject('in_future', `timestamp ${at.toISOString()} is more than 10 minutes in the future`);
  return undefined;
}

function checkReading(r: TelemetryReading, asset: AssetInfo, now: Date): ParseOutcome | ParsedReading {
  const ts = toDate(r.ts);
  const timeProblem = checkTime(ts, now);
  if (timeProblem) return timeProblem;
  for (const name in r.metrics) {
    const value = r.metrics[name]!;
    const range = asset.metrics.get(name);
    if (!range)
      return reject('unknown_metric', `metric "${name}" is not reported by this asset's equipment model`);
    if (value < range.min || value > range.max) {
      return reject(
        'out_of_range',
        `metric "${name}" = ${value} is outside its valid range [${range.min}, ${range.max}]`,
      );
    }
  }
  return { ts, metrics: r.metrics };
}

/** The date-time check ajv applies to a string `ts` (ajv-formats, full mode), called directly on the fast path. */
const isDateTime = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate;
const METRIC_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** One equipment model's metrics as the fast path checks them: name → [min, max], names the schema allows only. */
type CompiledModel = ReadonlyMap<string, MetricRange>;
/** Compiled once per metrics map (the asset directory shares one per equipment model and builds new ones on reload). */
const compiledModels = new WeakMap<ReadonlyMap<string, MetricRange>, CompiledModel>();

function compiledModel(metrics: ReadonlyMap<string, MetricRange>): CompiledModel {
  let c = compiledModels.get(metrics);
  if (!c) {
    c = new Map([...metrics].filter(([name]) => METRIC_NAME.test(name)));
    compiledModels.set(metrics, c);
  }
  return c;
}

/**
 * The common case without the general checks: a reading, or a batch of them, of exactly the contract's shape,
 * every metric known to the asset's model, finite and in range, every time accepted. It returns the outcome only
 * when the general path would accept the message as well, and `undefined` for anything else, which then takes
 * the general path (its error messages and dead-letter reasons). Nothing in the body goes unchecked, so no
 * separate scan for non-finite numbers is needed.
 */
function fastTelemetry(body: unknown, asset: AssetInfo, nowMs: number): ParseOutcome | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const model = compiledModel(asset.metrics);
  const b = body as Record<string, unknown>;
  let keys = 0;
  for (const _ in b) keys++;
  if (keys === 2) {
    const r = fastReading(b, model, nowMs);
    return r && { ok: true, kind: 'telemetry', asset, readings: [r] };
  }
  const list = b.readings;
  if (keys !== 1 || !Array.isArray(list) || list.length < 1 || list.length > LIMITS.maxReadingsPerMessage)
    return undefined;
  const readings: ParsedReading[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
    let n = 0;
    for (const _ in item) n++;
    if (n !== 2) return undefined;
    const r = fastReading(item as Record<string, unknown>, model, nowMs);
    if (!r) return undefined;
    readings[i] = r;
  }
  return { ok: true, kind: 'telemetry', asset, readings };
}

/** One reading object of two own keys: `ts` and `metrics`, each as the general path would accept them. */
function fastReading(
  r: Record<string, unknown>,
  model: CompiledModel,
  nowMs: number,
): ParsedReading | undefined {
  const ts = r.ts;
  const metrics = r.metrics;
  let at: number;
  if (typeof ts === 'number') {
    if (!Number.isInteger(ts) || ts < 0) return undefined;
    at = ts;
  } else if (typeof ts === 'string') {
    if (!isDateTime(ts)) return undefined;
    at = Date.parse(ts);
  } else return undefined;
  const age = nowMs - at;
  if (!(age <= LIMITS.maxAgeMs && -age <= LIMITS.maxFutureMs)) return undefined;
  if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics)) return undefined;
  const m = metrics as Record<string, unknown>;
  let n = 0;
  for (const name in m) {
    const range = model.get(name);
    const value = m[name];
    if (
      range === undefined ||
      typeof value !== 'number' ||
      !(value >= range.min && value <= range.max) ||
      !Number.isFinite(value)
    )
      return undefined;
    n++;
  }
  if (n < 1 || n > LIMITS.maxMetricsPerReading) return undefined;
  return { ts: new Date(at), metrics: m as Record<string, number> };
}

export function parseMessage(
  topic: string,
  payload: Uint8Array,
  now: Date,
  lookup: (assetId: string) => AssetInfo | undefined,
): ParseOutcome {
  const t = parseTopic(topic);
  if (!t) return reject('topic', 'topic does not match t/{tenant}/a/{asset}/(telemetry|status|events)');
  if (payload.byteLength > LIMITS.maxPayloadBytes) {
    return reject('too_large', `payload of ${payload.byteLength} bytes exceeds ${LIMITS.maxPayloadBytes}`);
  }
  const asset = lookup(t.asset);
  if (!asset || asset.tenantSlug !== t.tenant)
    return reject('unknown_asset', `no asset "${t.asset}" in tenant "${t.tenant}"`);
  let body: unknown;
  try {
    body = JSON.parse(utf8(payload));
  } catch {
    return reject('not_json', 'payload is not valid JSON');
  }
  if (t.kind === 'telemetry') {
    const fast = fastTelemetry(body, asset, now.getTime());
    if (fast) return fast;
  }
  const nonFinite = findNonFinite(body);
  if (nonFinite) return reject('not_finite', `${nonFinite} is not a finite number`);

  if (t.kind === 'status') {
    if (!validateStatus(body)) return reject('schema', ajv.errorsText(validateStatus.errors));
    const at = toDate(body.ts);
    const condition = body.condition ? { condition: body.condition } : {};
    return (
      checkTime(at, now) ?? {
        ok: true,
        kind: 'status',
        asset,
        online: body.state === 'online',
        ...condition,
        at,
      }
    );
  }
  if (t.kind === 'events') return parseEvents(body, asset, now);
  if (!validateTelemetry(body)) {
    const tooMany = validateTelemetry.errors?.some((e) => e.keyword === 'maxProperties');
    return reject(tooMany ? 'too_many_metrics' : 'schema', ajv.errorsText(validateTelemetry.errors));
  }
  const list = 'readings' in body ? body.readings : [body];
  const readings: ParsedReading[] = [];
  for (const r of list) {
    const checked = checkReading(r, asset, now);
    if ('ok' in checked) return checked;
    readings.push(checked);
  }
  return { ok: true, kind: 'telemetry', asset, readings };
}

/** Equipment error codes: one event or a batch, each with a time the platform accepts (as for readings). */
function parseEvents(body: unknown, asset: AssetInfo, now: Date): ParseOutcome {
  if (!validateEvents(body)) return reject('schema', ajv.errorsText(validateEvents.errors));
  const list = 'events' in body ? body.events : [body];
  const events: ParsedEvent[] = [];
  for (const e of list) {
    const ts = toDate(e.ts);
    const timeProblem = checkTime(ts, now);
    if (timeProblem) return timeProblem;
    events.push({ ts, code: e.code, severity: e.severity ?? 'warning' });
  }
  return { ok: true, kind: 'events', asset, events };
}
