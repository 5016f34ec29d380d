// Pure decision: is this MQTT message a valid reading batch / status change of a known asset?
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import {
  eventsSchema,
  LIMITS,
  parseTopic,
  statusSchema,
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
  | { ok: true; kind: 'status'; asset: AssetInfo; online: boolean; at: Date }
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
  const nonFinite = findNonFinite(body);
  if (nonFinite) return reject('not_finite', `${nonFinite} is not a finite number`);

  if (t.kind === 'status') {
    if (!validateStatus(body)) return reject('schema', ajv.errorsText(validateStatus.errors));
    const at = toDate(body.ts);
    return checkTime(at, now) ?? { ok: true, kind: 'status', asset, online: body.state === 'online', at };
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
