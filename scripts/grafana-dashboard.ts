// Writes the Grafana dashboard of docker-compose.yml's Grafana (docker/grafana/dashboards/preempt.json) from the
// panels below: `npx tsx scripts/grafana-dashboard.ts > docker/grafana/dashboards/preempt.json`, then
// `npx prettier --write docker/grafana/dashboards/preempt.json`.
// Every query uses metrics documented in docs/operations.md.

interface Panel {
  title: string;
  unit?: string;
  targets: [expr: string, legend: string][];
  /** stat: the latest value; timeseries otherwise. */
  type?: 'timeseries' | 'stat';
  description?: string;
}

const ds = { type: 'prometheus', uid: 'prometheus' };

const rows: [string, Panel[]][] = [
  [
    'Health',
    [
      {
        title: 'Components up',
        type: 'stat',
        description:
          'preempt_health_component_status: 1 up, 0 degraded or down (details: GET /api/health as staff)',
        targets: [['max by (component) (preempt_health_component_status{status="up"})', '{{component}}']],
      },
      {
        title: 'Ingest workers alive',
        type: 'stat',
        description: 'Heartbeats the platform heard recently (INGEST_IN_PROCESS=false only)',
        targets: [['max(preempt_ingest_workers_alive)', 'alive']],
      },
      {
        title: 'Broker connections',
        type: 'stat',
        targets: [['preempt_mqtt_connected', '{{instance}} {{client}}']],
      },
      {
        title: 'Event-loop lag p99',
        unit: 's',
        targets: [['nodejs_eventloop_lag_p99_seconds', '{{instance}}']],
      },
    ],
  ],
  [
    'Ingest',
    [
      {
        title: 'Readings per second',
        unit: 'ops',
        targets: [
          ['sum(rate(preempt_ingest_readings_accepted_total[1m]))', 'accepted'],
          ['sum(rate(preempt_ingest_readings_stored_total[1m]))', 'stored'],
        ],
      },
      {
        title: 'Rejected messages per second, by reason',
        unit: 'ops',
        targets: [['sum by (reason) (rate(preempt_ingest_messages_rejected_total[5m]))', '{{reason}}']],
      },
      {
        title: 'Journal backlog (records)',
        targets: [['preempt_ingest_journal_backlog_records', '{{instance}}']],
      },
      {
        title: 'Journal backlog (bytes) and limit',
        unit: 'bytes',
        targets: [
          ['preempt_ingest_journal_backlog_bytes', '{{instance}}'],
          ['preempt_ingest_journal_max_bytes', 'limit {{instance}}'],
        ],
      },
      {
        title: 'Store write latency',
        unit: 's',
        targets: [
          [
            'histogram_quantile(0.5, sum by (le) (rate(preempt_ingest_store_write_duration_seconds_bucket{target="points"}[5m])))',
            'p50',
          ],
          [
            'histogram_quantile(0.99, sum by (le) (rate(preempt_ingest_store_write_duration_seconds_bucket{target="points"}[5m])))',
            'p99',
          ],
        ],
      },
      {
        title: 'Points per store write (median) and write failures',
        targets: [
          [
            'histogram_quantile(0.5, sum by (le) (rate(preempt_ingest_store_batch_points_bucket[5m])))',
            'points p50',
          ],
          [
            'sum by (target, kind) (rate(preempt_ingest_store_write_failures_total[5m]))',
            'failures {{target}} {{kind}}/s',
          ],
        ],
      },
      {
        title: 'Seconds since the drainer last made progress',
        unit: 's',
        description: 'Grows while writes hang; ingest health turns degraded past INGEST_STALL_SECONDS',
        targets: [['time() - preempt_ingest_last_progress_timestamp_seconds', '{{instance}}']],
      },
    ],
  ],
  [
    'Predict and dispatch',
    [
      {
        title: 'Model evaluations per second, by kind',
        unit: 'ops',
        targets: [['sum by (kind) (rate(preempt_predict_evaluations_total[5m]))', '{{kind}}']],
      },
      {
        title: 'Predictions per hour, by kind and mode',
        targets: [
          ['sum by (kind, mode) (increase(preempt_predict_predictions_total[1h]))', '{{kind}} {{mode}}'],
        ],
      },
      { title: 'Orders by status', targets: [['preempt_orders', '{{status}}']] },
      {
        title: 'Planner: runs per minute and solve time',
        targets: [
          ['sum(rate(preempt_dispatch_planner_runs_total[5m])) * 60', 'runs/min'],
          [
            'histogram_quantile(0.95, sum by (le) (rate(preempt_dispatch_planner_duration_seconds_bucket[15m])))',
            'solve p95 (s)',
          ],
        ],
      },
      {
        title: 'Planner: gap and orders of the last round',
        targets: [
          ['preempt_dispatch_planner_gap_ratio', 'gap'],
          ['preempt_dispatch_planner_orders', '{{outcome}}'],
        ],
      },
    ],
  ],
  [
    'API and live channel',
    [
      {
        title: 'HTTP requests per second, by route and status',
        unit: 'reqps',
        targets: [
          [
            'sum by (route, status_code) (rate(preempt_http_requests_total[5m]))',
            '{{route}} {{status_code}}',
          ],
        ],
      },
      {
        title: 'HTTP latency p99, by route',
        unit: 's',
        targets: [
          [
            'histogram_quantile(0.99, sum by (le, route) (rate(preempt_http_request_duration_seconds_bucket[5m])))',
            '{{route}}',
          ],
        ],
      },
      { title: 'Live (socket.io) clients', targets: [['preempt_live_clients', 'clients']] },
      {
        title: 'Memory (RSS, heap used)',
        unit: 'bytes',
        targets: [
          ['process_resident_memory_bytes', 'rss {{instance}}'],
          ['nodejs_heap_size_used_bytes', 'heap {{instance}}'],
        ],
      },
    ],
  ],
];

let id = 1;
let y = 0;
const panels: unknown[] = [];
for (const [row, items] of rows) {
  panels.push({
    type: 'row',
    title: row,
    id: id++,
    collapsed: false,
    gridPos: { h: 1, w: 24, x: 0, y },
    panels: [],
  });
  y += 1;
  // four panels to a row when a row has four, three otherwise
  const w = items.length === 4 ? 6 : 8;
  items.forEach((p, i) => {
    const stat = p.type === 'stat';
    panels.push({
      id: id++,
      type: p.type ?? 'timeseries',
      title: p.title,
      ...(p.description ? { description: p.description } : {}),
      datasource: ds,
      gridPos: { h: stat ? 5 : 8, w, x: (i * w) % 24, y: y + Math.floor((i * w) / 24) * 8 },
      fieldConfig: { defaults: { unit: p.unit ?? 'short' }, overrides: [] },
      options: stat
        ? {
            reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
            colorMode: 'value',
            graphMode: 'none',
          }
        : {
            legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
            tooltip: { mode: 'multi', sort: 'desc' },
          },
      targets: p.targets.map(([expr, legendFormat], k) => ({
        datasource: ds,
        expr,
        legendFormat,
        refId: String.fromCharCode(65 + k),
      })),
    });
  });
  y += Math.ceil((items.length * w) / 24) * 8;
}

const dashboard = {
  uid: 'preempt-operations',
  title: 'Preempt operations',
  description:
    'Ingest, predict, dispatch, API and process metrics of the platform and its ingest workers (docs/operations.md)',
  tags: ['preempt'],
  timezone: 'utc',
  schemaVersion: 39,
  version: 1,
  editable: false,
  refresh: '30s',
  time: { from: 'now-3h', to: 'now' },
  templating: { list: [] },
  annotations: { list: [] },
  panels,
};
console.log(JSON.stringify(dashboard, null, 2));
