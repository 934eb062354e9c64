import type { Bus, BusConsumer, ConsumedBatch } from '@saferoads/shared/bus';
import { riskAlertValidator, riskScoreValidator, trafficStatsValidator, weatherObservationValidator, formatFieldErrors, type RiskAlert, type RiskScore, type TrafficStats, type WeatherObservation, type Validator } from '@saferoads/shared/contracts';
import type { Logger } from '@saferoads/shared/logger';
import { retry } from '@saferoads/shared/retry';
import type { TSchema } from '@sinclair/typebox';
import type { AlertApiMetrics } from '../metrics.js';
import type { AlertStore, SegmentGeo } from '../store/store.js';
import type { StreamHub } from '../stream/hub.js';

export interface ConsumerTopics {
  readonly scores: string;
  readonly alerts: string;
  readonly stats: string;
  readonly weather: string;
}

export interface AlertConsumerOptions {
  readonly bus: Bus;
  readonly store: AlertStore;
  readonly hub: StreamHub;
  readonly geo: (segmentId: string) => SegmentGeo | undefined;
  readonly topics: ConsumerTopics;
  readonly groupId: string;
  readonly log: Logger;
  readonly metrics: AlertApiMetrics;
  /** Where a group with no committed offset starts: the beginning (default), so a new store fills up. */
  readonly fromBeginning?: boolean;
  /** Attempts to store one batch before the consumer gives up (and stops with the error). */
  readonly storeAttempts?: number;
  /**
   * Every valid risk.alerts event of a batch once it is stored, replays included (the webhook
   * notifier's own log decides what was sent already, so an event stored just before a crash is
   * still notified after it).
   */
  readonly onAlertEvents?: (events: readonly RiskAlert[]) => void;
  /** Called after each batch is stored and streamed, e.g. to tell cached answers they are stale. */
  readonly onApplied?: (topic: string, changed: number) => void;
}

export interface AlertConsumer {
  /** Settles when the consumer stops: rejects with the error that stopped it. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads risk.scores, risk.alerts, traffic.stats and weather.observations into the store, and puts
 * what is new on the live stream. Offsets are committed after a batch is stored, so a crash
 * replays at most the batches in hand; every store write is idempotent, so a replay duplicates
 * nothing and streams nothing twice. A record its schema refuses is counted and logged with the
 * reason, and the valid records beside it go on.
 */
export function startAlertConsumer(o: AlertConsumerOptions): AlertConsumer {
  const log = o.log.child({ stage: 'consumer' });
  const consumer: BusConsumer = o.bus.consumer({ groupId: o.groupId, topics: [o.topics.scores, o.topics.alerts, o.topics.stats, o.topics.weather], fromBeginning: o.fromBeginning ?? true });

  function parse<S extends TSchema, T>(batch: ConsumedBatch, validator: Validator<S>): T[] {
    const out: T[] = [];
    for (const r of batch.records) {
      let value: unknown;
      try {
        value = JSON.parse(r.value);
      } catch (err) {
        o.metrics.records.inc({ topic: batch.topic, outcome: 'invalid' });
        log.warn({ topic: batch.topic, partition: batch.partition, offset: r.offset, reason: (err as Error).message }, 'record is not JSON: skipped');
        continue;
      }
      const v = validator.check(value);
      if (v.ok) out.push(v.value as T);
      else {
        o.metrics.records.inc({ topic: batch.topic, outcome: 'invalid' });
        log.warn({ topic: batch.topic, partition: batch.partition, offset: r.offset, reason: formatFieldErrors(v.errors) }, 'record refused by its schema: skipped');
      }
    }
    return out;
  }

  const stored = <T>(topic: string, fn: () => Promise<T>): Promise<T> => {
    const end = o.metrics.applySeconds.startTimer({ topic });
    // Every write is idempotent, so trying a failed one again is safe.
    return retry(fn, {
      attempts: o.storeAttempts ?? 6,
      initialDelayMs: 200,
      maxDelayMs: 5_000,
      retryOn: () => true,
      onRetry: (err, attempt, delayMs) => {
        o.metrics.storeRetries.inc();
        log.warn({ err, topic, attempt, delayMs }, 'storing a batch failed: trying again');
      },
    }).finally(end);
  };

  const count = (topic: string, total: number, applied: number, ignored = 0) => {
    o.metrics.records.inc({ topic, outcome: 'applied' }, applied);
    o.metrics.records.inc({ topic, outcome: 'ignored' }, ignored);
    o.metrics.records.inc({ topic, outcome: 'duplicate' }, total - applied - ignored);
    o.onApplied?.(topic, applied);
  };

  async function handle(batch: ConsumedBatch): Promise<void> {
    const { topic } = batch;
    if (topic === o.topics.scores) {
      const scores = parse<typeof riskScoreValidator.schema, RiskScore>(batch, riskScoreValidator);
      const fresh = await stored(topic, () => o.store.applyScores(scores));
      for (const s of fresh) o.hub.publish('score', s);
      o.metrics.streamEvents.inc({ type: 'score' }, fresh.length);
      count(topic, scores.length, fresh.length);
    } else if (topic === o.topics.alerts) {
      const events = parse<typeof riskAlertValidator.schema, RiskAlert>(batch, riskAlertValidator);
      const { applied, alerts } = await stored(topic, () => o.store.applyAlertEvents(events, o.geo));
      // Several events of one alert in a batch: the alert is streamed once, as it is after them.
      for (const a of alerts) o.hub.publish('alert', a);
      o.metrics.streamEvents.inc({ type: 'alert' }, alerts.length);
      count(topic, events.length, applied);
      if (events.length > 0) o.onAlertEvents?.(events);
    } else if (topic === o.topics.stats) {
      const stats = parse<typeof trafficStatsValidator.schema, TrafficStats>(batch, trafficStatsValidator);
      const ignored = stats.filter((s) => s.window !== '1m').length;
      count(topic, stats.length, await stored(topic, () => o.store.applyStats(stats)), ignored);
    } else if (topic === o.topics.weather) {
      const obs = parse<typeof weatherObservationValidator.schema, WeatherObservation>(batch, weatherObservationValidator);
      count(topic, obs.length, await stored(topic, () => o.store.applyWeather(obs)));
    }
  }

  const done = consumer.run(handle);
  done.catch((err: unknown) => log.error({ err }, 'the consumer stopped'));
  log.info({ groupId: o.groupId, topics: o.topics }, 'consuming');
  return { done, stop: () => consumer.stop() };
}
