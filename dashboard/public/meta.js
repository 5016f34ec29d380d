// The platform's shared constants (order statuses, model kinds and their starting parameters, roles, SLA tiers)
// from GET /api/meta, their one definition on the server: fetched once per page session and shared by the views
// (a reload revalidates it by its ETag).
/* global structuredClone */
import { api } from './api.js';

let pending;

/** The constants; one request per page session (a failed request is retried on the next call). */
export function meta() {
  pending ??= api('/api/meta').catch((err) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

/** A model kind's starting parameters for one metric (edit before saving). */
export function paramTemplate(m, kind, metric) {
  const t = m.modelKinds.find((k) => k.kind === kind) ?? m.modelKinds[0];
  return { [t.metricField]: t.metricList ? [metric] : metric, ...structuredClone(t.defaults) };
}
