import type { ServiceMetrics } from '@saferoads/shared/service';

/** The alert API's own metrics, `saferoads_alert_api_*` (docs/alert-api.md#metrics). */
export function alertApiMetrics(m: ServiceMetrics) {
  return {
    records: m.counter<'topic' | 'outcome'>({
      name: 'alert_api_records_total',
      help: 'Records read from the bus by topic and outcome: applied (new), duplicate (seen before: a replay), ignored (e.g. 10-minute stats), invalid (refused by its schema)',
      labelNames: ['topic', 'outcome'],
    }),
    applySeconds: m.histogram<'topic'>({
      name: 'alert_api_apply_duration_seconds',
      help: 'Time to store one batch of a topic in the database',
      labelNames: ['topic'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
    storeRetries: m.counter({ name: 'alert_api_store_retries_total', help: 'Batches whose store write failed and was tried again' }),
    streamClients: m.gauge({ name: 'alert_api_stream_clients', help: 'Clients connected to GET /v1/stream' }),
    streamEvents: m.counter<'type'>({ name: 'alert_api_stream_events_total', help: 'Events published on the live stream', labelNames: ['type'] }),
    streamDropped: m.counter<'reason'>({ name: 'alert_api_stream_disconnects_total', help: 'Stream clients the server disconnected', labelNames: ['reason'] }),
    authFailures: m.counter<'reason'>({ name: 'alert_api_auth_failures_total', help: 'Requests refused by authentication (401) or authorisation (403)', labelNames: ['reason'] }),
    actions: m.counter<'action' | 'outcome'>({ name: 'alert_api_actions_total', help: 'Operator and admin writes by action and outcome', labelNames: ['action', 'outcome'] }),
  };
}
export type AlertApiMetrics = ReturnType<typeof alertApiMetrics>;
