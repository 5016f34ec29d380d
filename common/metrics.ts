// Prometheus metrics (docs/operations.md lists each one). One registry per process: the platform and each
// `npm run ingest` worker serve it at /metrics (common/http/metrics-route.ts). Modules feed it from small
// hooks (a counter where the thing happens) and from scrape hooks that read what they already keep (journal
// backlog, broker connection, socket.io clients, orders by status) when Prometheus asks, so nothing is threaded
// through the modules. Labels are bounded sets (reason, kind, status, route pattern): never an asset id.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';

export const registry = new Registry();
// process and Node.js metrics, unprefixed as every Node.js dashboard expects: CPU, memory, heap, GC, handles,
// and the event-loop lag (nodejs_eventloop_lag_seconds, nodejs_eventloop_lag_p99_seconds…)
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

// ── ingest ──────────────────────────────────────────────────────────────────────────────────────────────────────
export const ingestMetrics = {
  accepted: new Counter({
    name: 'preempt_ingest_readings_accepted_total',
    help: 'Readings that passed validation and went into the journal.',
    registers: [],
  }),
  stored: new Counter({
    name: 'preempt_ingest_readings_stored_total',
    help: 'Readings written to the telemetry store (drained from the journal).',
    registers: [],
  }),
  rejected: new Counter({
    name: 'preempt_ingest_messages_rejected_total',
    help: 'Messages refused by validation (dead letters), by reason.',
    labelNames: ['reason'] as const,
    registers: [],
  }),
  notStored: new Counter({
    name: 'preempt_ingest_dead_letters_not_stored_total',
    help: 'Refused messages counted but not stored in full: beyond DEAD_LETTERS_PER_DEVICE_PER_MINUTE of their device, by reason.',
    labelNames: ['reason'] as const,
    registers: [],
  }),
  deadLettersDeleted: new Counter({
    name: 'preempt_ingest_dead_letters_deleted_total',
    help: 'Dead letters deleted by the retention sweep (older than DEAD_LETTER_RETENTION_DAYS).',
    registers: [],
  }),
  backlogRecords: new Gauge({
    name: 'preempt_ingest_journal_backlog_records',
    help: 'Journal records not yet stored (readings, dead letters, status changes).',
    registers: [],
  }),
  backlogBytes: new Gauge({
    name: 'preempt_ingest_journal_backlog_bytes',
    help: 'Bytes of the journal not yet stored.',
    registers: [],
  }),
  journalMaxBytes: new Gauge({
    name: 'preempt_ingest_journal_max_bytes',
    help: 'Backlog at which ingest holds acknowledgements to the broker (INGEST_JOURNAL_MAX_MB).',
    registers: [],
  }),
  backPressure: new Gauge({
    name: 'preempt_ingest_back_pressure',
    help: '1 while the journal is full and acknowledgements to the broker are held back.',
    registers: [],
  }),
  lastStored: new Gauge({
    name: 'preempt_ingest_last_progress_timestamp_seconds',
    help: 'When the drainer last stored a batch or found the journal empty (Unix time).',
    registers: [],
  }),
  writeSeconds: new Histogram({
    name: 'preempt_ingest_store_write_duration_seconds',
    help: 'Duration of each drained batch written to its store, by target (points: the telemetry store).',
    labelNames: ['target', 'outcome'] as const,
    buckets: seconds,
    registers: [],
  }),
  batchPoints: new Histogram({
    name: 'preempt_ingest_store_batch_points',
    help: 'Points per telemetry-store write.',
    buckets: [1, 10, 50, 100, 500, 1_000, 5_000, 10_000, 25_000, 50_000],
    registers: [],
  }),
  writeFailures: new Counter({
    name: 'preempt_ingest_store_write_failures_total',
    help: 'Failed store writes (each is retried), by target and kind (timeout or error).',
    labelNames: ['target', 'kind'] as const,
    registers: [],
  }),
};

export const workerMetrics = {
  alive: new Gauge({
    name: 'preempt_ingest_workers_alive',
    help: 'Ingest workers whose heartbeat the platform heard recently (with INGEST_IN_PROCESS=false).',
    registers: [],
  }),
};

export const mqttMetrics = {
  connected: new Gauge({
    name: 'preempt_mqtt_connected',
    help: '1 while the client is connected to the broker, by client (ingest, relay, heartbeat).',
    labelNames: ['client'] as const,
    registers: [registry],
  }),
};

// ── predict ─────────────────────────────────────────────────────────────────────────────────────────────────────
export const predictMetrics = {
  evaluations: new Counter({
    name: 'preempt_predict_evaluations_total',
    help: 'Assessments of a model version on a reading, by model kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
  }),
  predictions: new Counter({
    name: 'preempt_predict_predictions_total',
    help: 'Predictions raised, by model kind and mode (active: may open an order; shadow: recorded only).',
    labelNames: ['kind', 'mode'] as const,
    registers: [registry],
  }),
};

// ── dispatch ────────────────────────────────────────────────────────────────────────────────────────────────────
export const dispatchMetrics = {
  orders: new Gauge({
    name: 'preempt_orders',
    help: 'Service orders by status (read from the database when scraped).',
    labelNames: ['status'] as const,
    registers: [],
  }),
  plannerRuns: new Counter({
    name: 'preempt_dispatch_planner_runs_total',
    help: 'Planning rounds that planned at least one order.',
    registers: [],
  }),
  plannerSeconds: new Histogram({
    name: 'preempt_dispatch_planner_duration_seconds',
    help: 'Solver time of each planning round.',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [],
  }),
  plannerGap: new Gauge({
    name: 'preempt_dispatch_planner_gap_ratio',
    help: 'Optimality gap of the last planning round (0: proven optimal).',
    registers: [],
  }),
  plannerOrders: new Gauge({
    name: 'preempt_dispatch_planner_orders',
    help: 'Orders in the last planning round, by outcome (considered, planned).',
    labelNames: ['outcome'] as const,
    registers: [],
  }),
  plannerLast: new Gauge({
    name: 'preempt_dispatch_planner_last_run_timestamp_seconds',
    help: 'When the last planning round ended (Unix time).',
    registers: [],
  }),
};

/** A planning round is done (dispatch/dispatch-service.ts). */
export function observePlannerRound(r: {
  at: Date;
  orders: number;
  planned: number;
  gap: number;
  ms: number;
}) {
  dispatchMetrics.plannerRuns.inc();
  dispatchMetrics.plannerSeconds.observe(r.ms / 1000);
  dispatchMetrics.plannerGap.set(Number.isFinite(r.gap) ? r.gap : 1);
  dispatchMetrics.plannerOrders.set({ outcome: 'considered' }, r.orders);
  dispatchMetrics.plannerOrders.set({ outcome: 'planned' }, r.planned);
  dispatchMetrics.plannerLast.set(Date.now() / 1000);
}

// ── HTTP and live ───────────────────────────────────────────────────────────────────────────────────────────────
export const httpMetrics = {
  requests: new Counter({
    name: 'preempt_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  }),
  seconds: new Histogram({
    name: 'preempt_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  }),
};

export const liveMetrics = {
  clients: new Gauge({
    name: 'preempt_live_clients',
    help: 'Connected socket.io clients of the live channel.',
    registers: [],
  }),
};

export const healthMetrics = {
  component: new Gauge({
    name: 'preempt_health_component_status',
    help: 'Health of each component as /api/health reports it: 1 for its current status, 0 for the others.',
    labelNames: ['component', 'status'] as const,
    registers: [registry],
  }),
};

// ── which metrics a process exports ──
// Metrics of one role (ingest, the platform's dispatch and live channel, the workers' roster) are exported only by
// a process that has that role, so a worker shows no planner gap of 0 and the platform no journal of 0 when its
// ingest runs in workers. Labelled metrics appear with their first sample anyway and are always registered.
const groups = {
  ingest: ingestMetrics,
  dispatch: dispatchMetrics,
  live: liveMetrics,
  workers: workerMetrics,
};

/** Exports the metrics of these roles from now on (idempotent). */
export function useMetrics(...names: (keyof typeof groups)[]): void {
  for (const name of names)
    for (const metric of Object.values(groups[name]) as (Metric & { name: string })[])
      if (!registry.getSingleMetric(metric.name)) registry.registerMetric(metric);
}

// ── scrape hooks ────────────────────────────────────────────────────────────────────────────────────────────────
type ScrapeHook = () => void | Promise<void>;
const hooks = new Set<ScrapeHook>();
const HOOK_TIMEOUT_MS = 2_000;

/** Runs `fn` before each scrape (to set gauges from what a module keeps); returns the function that removes it. */
export function onScrape(fn: ScrapeHook): () => void {
  hooks.add(fn);
  return () => hooks.delete(fn);
}

/**
 * The exposition text. Scrape hooks run first, each bounded to 2 s: a hook that fails or hangs (the database
 * away) leaves its gauges as they were, so the rest of the scrape still answers.
 */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  await Promise.all(
    [...hooks].map(async (fn) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(fn),
          new Promise<void>((r) => (timer = setTimeout(r, HOOK_TIMEOUT_MS))),
        ]);
      } catch {
        // the gauge keeps its last value; health says what is wrong
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { contentType: registry.contentType, body: await registry.metrics() };
}
