import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Bus, BusConsumer, ConsumedBatch } from '@saferoads/shared/bus';
import { decodeJson, weatherObservationValidator, type WeatherObservation } from '@saferoads/shared/contracts';
import { SaferoadsError } from '@saferoads/shared/errors';
import type { Logger } from '@saferoads/shared/logger';
import { backoffDelay, retry } from '@saferoads/shared/retry';
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
 * Per partition, the offset of its newest record when the feed started (null: nothing to read).
 * The bus's table reader reads every partition whatever the group, and counts compaction and
 * transaction markers right, which end offsets alone would not.
 */
async function startOffsets(bus: Bus, topic: string): Promise<(number | null)[]> {
  const partitions = await bus.partitionsOf(topic);
  const reader = bus.tableReader(topic);
  try {
    return await Promise.all(Array.from({ length: partitions }, async (_, p) => (await reader.latest(p))?.offset ?? null));
  } finally {
    await reader.close();
  }
}

/**
 * The feed behind the global weather table: every scorer instance reads every partition of
 * weather.observations from the beginning, in a consumer group of its own (a shared group would
 * split the partitions between instances), and hands each valid observation to onObservation. It
 * is rebuilt on every start, so the table needs no state of its own. Invalid records are counted
 * and logged, never thrown; a consumer that fails is replaced with a fresh one, after a pause.
 */
export function startWeatherFeed(opts: WeatherFeedOptions): WeatherFeed {
  const topic = opts.topic ?? TOPICS.weather;
  const log = opts.log.child({ stage: 'weather-feed', topic });
  const metrics = opts.metrics ? feedMetrics(opts.metrics) : undefined;
  const backoff = opts.restartBackoff ?? { initialDelayMs: 500, maxDelayMs: 30_000 };
  const counts = { applied: 0, malformed: 0, schema: 0, handlerErrors: 0, restarts: 0 };
  const stopping = new AbortController();
  /** Highest offset handed over, per partition. */
  const seen = new Map<number, number>();
  let targets: (number | null)[] | null = null;
  let consumer: BusConsumer | null = null;

  let markCaughtUp: () => void = () => undefined;
  let failCaughtUp: (err: unknown) => void = () => undefined;
  const caughtUp = new Promise<void>((resolve, reject) => {
    markCaughtUp = resolve;
    failCaughtUp = reject;
  });
  // A caller that never awaits caughtUp must not turn a stop into an unhandled rejection.
  caughtUp.catch(() => undefined);
  let isCaughtUp = false;

  const checkCaughtUp = () => {
    if (isCaughtUp || !targets) return;
    for (const [p, target] of targets.entries()) if (target !== null && (seen.get(p) ?? -1) < target) return;
    isCaughtUp = true;
    metrics?.caughtUp.set(1);
    log.info({ ...counts }, 'weather table caught up with the topic');
    markCaughtUp();
  };

  const count = (outcome: FeedOutcome) => metrics?.records.inc({ outcome });

  const handle = async (batch: ConsumedBatch) => {
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
    const last = batch.records[batch.records.length - 1];
    if (last && last.offset > (seen.get(batch.partition) ?? -1)) seen.set(batch.partition, last.offset);
    checkCaughtUp();
  };

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });

  const findTargets = async () => {
    try {
      targets = await retry(() => startOffsets(opts.bus, topic), {
        attempts: Number.MAX_SAFE_INTEGER,
        ...backoff,
        // A topic not created yet, a cluster not reachable yet: the feed keeps trying until stopped.
        retryOn: () => !stopping.signal.aborted,
        sleep: pause,
        onRetry: (err, attempt, delayMs) => log.warn({ err, attempt, delayMs }, 'cannot read where the topic ends yet: trying again'),
      });
      checkCaughtUp();
    } catch (err) {
      if (!stopping.signal.aborted) log.error({ err }, 'cannot read where the topic ends: the feed reads on, but does not report caught up');
    }
  };

  const consume = async () => {
    for (let attempt = 1; !stopping.signal.aborted; attempt++) {
      const groupId = `${opts.groupPrefix ?? 'saferoads-weather-feed'}.${hostname()}.${process.pid}.${randomUUID()}`;
      try {
        consumer = opts.bus.consumer({ groupId, topics: [topic], fromBeginning: true });
        await consumer.run(handle);
        if (stopping.signal.aborted) return;
        throw new SaferoadsError('STATE_INVARIANT', 'the weather feed consumer ended by itself');
      } catch (err) {
        if (stopping.signal.aborted) return;
        counts.restarts++;
        metrics?.restarts.inc();
        const delayMs = backoffDelay(attempt, backoff, Math.random);
        log.error({ err, groupId, delayMs }, 'the weather feed consumer failed: replacing it, reading from the beginning again');
        await pause(delayMs);
      }
    }
  };

  metrics?.caughtUp.set(0);
  const running = Promise.all([findTargets(), consume()]);

  return {
    caughtUp,
    stats: () => ({ ...counts }),
    stop: async () => {
      stopping.abort();
      // A consumer whose run() failed may say so again here: that failure is already logged.
      await consumer?.stop().catch(() => undefined);
      await running;
      if (!isCaughtUp) failCaughtUp(new SaferoadsError('BUS_CLOSED', `the weather feed of ${topic} stopped before it caught up`));
    },
  };
}
