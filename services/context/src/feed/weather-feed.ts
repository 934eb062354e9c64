import type { Bus, ConsumedBatch } from '@saferoads/shared/bus';
import { startTopicFeed } from '@saferoads/shared/bus';
import { decodeJson, weatherObservationValidator, type WeatherObservation } from '@saferoads/shared/contracts';
import type { Logger } from '@saferoads/shared/logger';
import type { Counter, Gauge, ServiceMetrics } from '@saferoads/shared/service';
import { TOPICS } from '@saferoads/shared/topics';

/** What became of one record of the topic. */
export const FEED_OUTCOMES = ['applied', 'malformed', 'schema', 'handler_error'] as const;
export type FeedOutcome = (typeof FEED_OUTCOMES)[number];

export interface WeatherFeedOptions {
  readonly bus: Bus;
  /** weather.observations unless given. */
  readonly topic?: string;
  /** The service's logger; the feed logs through its `stage: weather-feed` child. */
  readonly log: Logger;
  /**
   * Every valid observation of the topic, each partition in offset order (so each station's
   * readings in the order they were written). After a consumer restart, readings already seen
   * come again: the receiver keeps the newest per station (WeatherTable.upsert does).
   */
  readonly onObservation: (obs: WeatherObservation) => void;
  /** The feed's consumer groups are `<prefix>.<host>.<pid>.<uuid>`: one per instance and start. */
  readonly groupPrefix?: string;
  /** Registers `saferoads_weather_feed_*` when given. */
  readonly metrics?: ServiceMetrics;
  /** Pauses before a failed consumer is replaced (full jitter, doubling). */
  readonly restartBackoff?: { readonly initialDelayMs: number; readonly maxDelayMs: number };
}

export interface WeatherFeedStats {
  readonly applied: number;
  /** Records that are not weather observations (not JSON, or not the contract), by reason. */
  readonly malformed: number;
  readonly schema: number;
  /** Observations onObservation threw on. */
  readonly handlerErrors: number;
  /** Consumers replaced after a failure. */
  readonly restarts: number;
}

export interface WeatherFeed {
  /**
   * Resolves once every record that was in the topic when the feed started has been handed to
   * onObservation (or counted invalid): from then on the table is as complete as the topic. Rejects
   * only if the feed is stopped first.
   */
  readonly caughtUp: Promise<void>;
  stats(): WeatherFeedStats;
  /** Stops reading; what was delivered stays delivered. */
  stop(): Promise<void>;
}

interface FeedMetrics {
  readonly records: Counter<'outcome'>;
  readonly restarts: Counter;
  readonly caughtUp: Gauge;
}

function feedMetrics(m: ServiceMetrics): FeedMetrics {
  const records = m.counter({ name: 'weather_feed_records_total', help: `Records of weather.observations read by this instance, by outcome (${FEED_OUTCOMES.join(', ')})`, labelNames: ['outcome'] });
  for (const outcome of FEED_OUTCOMES) records.inc({ outcome }, 0);
  return {
    records,
    restarts: m.counter({ name: 'weather_feed_restarts_total', help: 'Weather feed consumers replaced after a failure (each re-reads the topic from the beginning)' }),
    caughtUp: m.gauge({ name: 'weather_feed_caught_up', help: '1 once the weather table holds everything that was in the topic when this instance started' }),
  };
}

/**
 * The feed behind the global weather table: every scorer instance reads every partition of
 * weather.observations from the beginning, in a consumer group of its own (startTopicFeed), and
 * hands each valid observation to onObservation. It is rebuilt on every start, so the table needs
 * no state of its own. Invalid records are counted and logged, never thrown.
 */
export function startWeatherFeed(opts: WeatherFeedOptions): WeatherFeed {
  const topic = opts.topic ?? TOPICS.weather;
  const log = opts.log.child({ stage: 'weather-feed', topic });
  const metrics = opts.metrics ? feedMetrics(opts.metrics) : undefined;
  const counts = { applied: 0, malformed: 0, schema: 0, handlerErrors: 0 };
  const count = (outcome: FeedOutcome) => metrics?.records.inc({ outcome });

  const onBatch = (batch: ConsumedBatch) => {
    let invalid = 0;
    for (const r of batch.records) {
      const v = decodeJson(r.value, weatherObservationValidator);
      if (!v.ok) {
        const outcome = v.errors[0]?.field === '(record)' && v.errors[0].reason.startsWith('not valid JSON') ? 'malformed' : 'schema';
        counts[outcome]++;
        count(outcome);
        invalid++;
        log.debug({ partition: batch.partition, offset: r.offset, errors: v.errors }, 'not a weather observation: skipped');
        continue;
      }
      try {
        opts.onObservation(v.value);
        counts.applied++;
        count('applied');
      } catch (err) {
        counts.handlerErrors++;
        count('handler_error');
        log.error({ err, partition: batch.partition, offset: r.offset, stationId: v.value.stationId }, 'onObservation failed: observation skipped');
      }
    }
    if (invalid > 0) log.warn({ partition: batch.partition, invalid, records: batch.records.length }, 'records that are not weather observations skipped');
  };

  metrics?.caughtUp.set(0);
  const feed = startTopicFeed({
    bus: opts.bus,
    topic,
    name: 'weather feed',
    log,
    onBatch,
    groupPrefix: opts.groupPrefix ?? 'saferoads-weather-feed',
    ...(opts.restartBackoff && { restartBackoff: opts.restartBackoff }),
    onRestart: () => metrics?.restarts.inc(),
    onCaughtUp: () => {
      metrics?.caughtUp.set(1);
      log.info({ ...counts, restarts: feed.restarts() }, 'weather table caught up with the topic');
    },
  });

  return {
    caughtUp: feed.caughtUp,
    stats: () => ({ ...counts, restarts: feed.restarts() }),
    stop: () => feed.stop(),
  };
}
