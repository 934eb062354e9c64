import type { Counter, Gauge, ServiceMetrics } from '@saferoads/shared/service';

/** What one request to Open-Meteo came to: `ok`, or why it failed. */
export const POLL_OUTCOMES = ['ok', 'http_4xx', 'http_429', 'http_5xx', 'timeout', 'network', 'malformed', 'unexpected'] as const;
export type PollOutcome = (typeof POLL_OUTCOMES)[number];

/** What became of a polled location's reading. */
export const OBSERVATION_OUTCOMES = ['published', 'unchanged', 'rejected'] as const;

export interface PollerMetrics {
  readonly requests: Counter<'outcome'>;
  readonly observations: Counter<'outcome'>;
  readonly publishFailures: Counter;
  readonly lastSuccess: Gauge;
}

export function pollerMetrics(m: ServiceMetrics): PollerMetrics {
  const requests = m.counter({ name: 'weather_poll_requests_total', help: `Requests to Open-Meteo, each attempt, by outcome (${POLL_OUTCOMES.join(', ')})`, labelNames: ['outcome'] });
  const observations = m.counter({
    name: 'weather_poll_observations_total',
    help: 'Polled locations, by outcome: published, unchanged (no newer reading than the last published), rejected (to the dead-letter topic)',
    labelNames: ['outcome'],
  });
  // Every label from zero, so rate() and alerts see a series before its first event.
  for (const outcome of POLL_OUTCOMES) requests.inc({ outcome }, 0);
  for (const outcome of OBSERVATION_OUTCOMES) observations.inc({ outcome }, 0);
  return {
    requests,
    observations,
    publishFailures: m.counter({ name: 'weather_poll_publish_failures_total', help: 'Polls whose readings the bus did not take (published again by the next poll)' }),
    lastSuccess: m.gauge({ name: 'weather_poll_last_success_timestamp_seconds', help: 'When a poll last published (or found unchanged) every location, unix seconds' }),
  };
}
