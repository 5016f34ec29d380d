// The device contract: MQTT topics and payloads (docs/telemetry.md). Ingest and the simulators import this file.

export const TOPIC_PREFIX = 't';
/** Limits a message must respect; beyond them it is rejected (and dead-lettered), never half-stored. */
export const LIMITS = {
  maxPayloadBytes: 64 * 1024,
  maxReadingsPerMessage: 500,
  maxMetricsPerReading: 64,
  maxEventsPerMessage: 500,
  maxAgeMs: 7 * 24 * 3600 * 1000,
  maxFutureMs: 10 * 60 * 1000,
} as const;

export type TopicKind = 'telemetry' | 'status' | 'events';

export const topics = {
  telemetry: (tenant: string, asset: string) => `${TOPIC_PREFIX}/${tenant}/a/${asset}/telemetry`,
  status: (tenant: string, asset: string) => `${TOPIC_PREFIX}/${tenant}/a/${asset}/status`,
  /** The equipment's error and alarm codes. */
  events: (tenant: string, asset: string) => `${TOPIC_PREFIX}/${tenant}/a/${asset}/events`,
  /** What ingest subscribes to (with `$share/<group>/` in front for shared subscriptions). */
  allTelemetry: `${TOPIC_PREFIX}/+/a/+/telemetry`,
  allStatus: `${TOPIC_PREFIX}/+/a/+/status`,
  allEvents: `${TOPIC_PREFIX}/+/a/+/events`,
  /** The topics one device may publish to: its own. */
  deviceFilter: (tenant: string, asset: string) => `${TOPIC_PREFIX}/${tenant}/a/${asset}/#`,
};

const TOPIC_RE = /^t\/([A-Za-z0-9_-]{1,64})\/a\/([A-Za-z0-9_.-]{1,128})\/(telemetry|status|events)$/;

export interface ParsedTopic {
  tenant: string;
  asset: string;
  kind: TopicKind;
}

export function parseTopic(topic: string): ParsedTopic | undefined {
  const m = TOPIC_RE.exec(topic);
  return m ? { tenant: m[1]!, asset: m[2]!, kind: m[3] as TopicKind } : undefined;
}

/** One reading: a device timestamp (ISO-8601 or epoch milliseconds) and named numeric metrics. */
export interface TelemetryReading {
  ts: string | number;
  metrics: Record<string, number>;
}

/** A telemetry message is one reading, or a batch of them. */
export type TelemetryMessage = TelemetryReading | { readings: TelemetryReading[] };

/** What the machine itself reports about its condition: up, degraded (running, impaired) or down (failed). */
export type MachineCondition = 'up' | 'degraded' | 'down';
export const MACHINE_CONDITIONS: readonly MachineCondition[] = ['up', 'degraded', 'down'];

/**
 * Birth (online, retained) and last will (offline, retained) on the status topic. `state` is the device's
 * connection only; `condition` is the machine's own state, the one that counts as downtime (ADR 28).
 */
export interface StatusMessage {
  state: 'online' | 'offline';
  condition?: MachineCondition;
  ts: string | number;
}

export type EventSeverity = 'info' | 'warning' | 'error' | 'critical';
export const EVENT_SEVERITIES: readonly EventSeverity[] = ['info', 'warning', 'error', 'critical'];

/** One equipment error or alarm code: as the equipment names it, its severity (default warning) and when. */
export interface EquipmentEvent {
  code: string;
  severity?: EventSeverity;
  ts: string | number;
}

/** An events message is one event, or a batch of them. */
export type EventsMessage = EquipmentEvent | { events: EquipmentEvent[] };

const readingSchema = {
  type: 'object',
  required: ['ts', 'metrics'],
  additionalProperties: false,
  properties: {
    ts: {
      anyOf: [
        { type: 'string', format: 'date-time' },
        { type: 'integer', minimum: 0 },
      ],
    },
    metrics: {
      type: 'object',
      minProperties: 1,
      maxProperties: LIMITS.maxMetricsPerReading,
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' },
      additionalProperties: { type: 'number' },
    },
  },
} as const;

export const telemetrySchema = {
  $id: 'preempt/telemetry',
  anyOf: [
    readingSchema,
    {
      type: 'object',
      required: ['readings'],
      additionalProperties: false,
      properties: {
        readings: {
          type: 'array',
          minItems: 1,
          maxItems: LIMITS.maxReadingsPerMessage,
          items: readingSchema,
        },
      },
    },
  ],
} as const;

const eventSchema = {
  type: 'object',
  required: ['code', 'ts'],
  additionalProperties: false,
  properties: {
    code: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$' },
    severity: { enum: EVENT_SEVERITIES },
    ts: {
      anyOf: [
        { type: 'string', format: 'date-time' },
        { type: 'integer', minimum: 0 },
      ],
    },
  },
} as const;

export const eventsSchema = {
  $id: 'preempt/events',
  anyOf: [
    eventSchema,
    {
      type: 'object',
      required: ['events'],
      additionalProperties: false,
      properties: {
        events: { type: 'array', minItems: 1, maxItems: LIMITS.maxEventsPerMessage, items: eventSchema },
      },
    },
  ],
} as const;

export const statusSchema = {
  $id: 'preempt/status',
  type: 'object',
  required: ['state', 'ts'],
  additionalProperties: false,
  properties: {
    state: { enum: ['online', 'offline'] },
    condition: { enum: ['up', 'degraded', 'down'] },
    ts: {
      anyOf: [
        { type: 'string', format: 'date-time' },
        { type: 'integer', minimum: 0 },
      ],
    },
  },
} as const;

/** Why a message was refused: counted per reason and stored with the dead letter. */
export type RejectReason =
  | 'topic'
  | 'too_large'
  | 'not_json'
  | 'schema'
  | 'not_finite'
  | 'unknown_asset'
  | 'unknown_metric'
  | 'out_of_range'
  | 'too_old'
  | 'in_future'
  | 'too_many_metrics'
  /** Not a message: the count of one device's refused messages beyond DEAD_LETTERS_PER_DEVICE_PER_MINUTE in a minute. */
  | 'not_stored';

/**
 * Platform-internal topic: ingest workers running apart (`npm run ingest`) announce what they stored, so predict
 * and the live dashboard in the platform process see it. Devices may not publish here (their ACL is their own prefix).
 */
export const INGESTED_TOPIC = 'preempt/internal/ingested';

/**
 * Platform-internal topic: every ingest worker says every few seconds that it is alive, with its state and journal
 * backlog (QoS 0); its last will says it is gone. The platform lists the workers in its health.
 */
export const WORKER_HEARTBEAT_TOPIC = 'preempt/internal/ingest-workers';

export interface WorkerHeartbeat {
  worker: string;
  /** When it was sent (ms since the epoch). */
  at: number;
  /** The sender's heartbeat interval: the platform counts a worker gone after three of them without one. */
  everyMs: number;
  /** The worker's ingest health; `gone` in its last will. */
  status: 'up' | 'degraded' | 'down' | 'gone';
  backlog?: { records: number; bytes: number };
  accepted?: number;
  stored?: number;
}

export interface IngestedAnnouncement {
  readings: { assetId: string; tenantId: string; ts: number; metrics: Record<string, number> }[];
  statuses: { assetId: string; tenantId: string; online: boolean; at: number }[];
  /** Equipment error codes stored (absent from workers of before they were announced). */
  events?: { assetId: string; tenantId: string; ts: number; code: string; severity: string }[];
}
