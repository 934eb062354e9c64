import type { Bus, BusRecord, ConsumedBatch } from '@saferoads/shared/bus';
import { startTopicFeed } from '@saferoads/shared/bus';
import { decodeJson, formatFieldErrors, riskThresholdsRecordValidator } from '@saferoads/shared/contracts';
import type { Logger } from '@saferoads/shared/logger';
import type { DeadLetter } from '@saferoads/shared/topics';
import type { ThresholdsSchedule } from './schedule.js';

/** Longest `raw` kept in a dead letter (as the gateways keep it: a refused record may be up to a message's size). */
const MAX_RAW_CHARS = 16_384;

export interface ThresholdsFeedOptions {
  readonly bus: Bus;
  /** risk.thresholds. */
  readonly topic: string;
  /** Where refused records go, with the reason. */
  readonly dlqTopic: string;
  /** The service's logger; the feed logs through its `stage: thresholds-feed` child. */
  readonly log: Logger;
  readonly schedule: ThresholdsSchedule;
  readonly groupPrefix?: string;
  readonly restartBackoff?: { readonly initialDelayMs: number; readonly maxDelayMs: number };
}

export interface ThresholdsFeedCounters {
  /** Records that brought a newer version. */
  readonly applied: number;
  /** Valid records not newer than a version already applied (a republished or late one): ignored. */
  readonly superseded: number;
  /** Records refused (not JSON, not the contract, or breaking a rule across fields): dead-lettered. */
  readonly invalid: number;
  readonly restarts: number;
}

export interface ThresholdsFeed {
  /** Resolves once every record that was in the topic at the start is applied or refused. */
  readonly caughtUp: Promise<void>;
  counters(): ThresholdsFeedCounters;
  stop(): Promise<void>;
}

/** A refused record as a dead letter, keyed by where it is: every instance refuses it on each start, and compaction keeps one. */
function deadLetter(batch: ConsumedBatch, offset: number, raw: string, errors: DeadLetter['errors']): BusRecord {
  const truncated = raw.length > MAX_RAW_CHARS;
  const letter: DeadLetter = {
    reason: formatFieldErrors(errors) + (truncated ? ` (raw truncated to ${MAX_RAW_CHARS} of ${raw.length} characters)` : ''),
    errors,
    source: { topic: batch.topic, partition: batch.partition, offset },
    raw: truncated ? raw.slice(0, MAX_RAW_CHARS) : raw,
  };
  return { key: `${batch.topic}/${batch.partition}/${offset}`, value: JSON.stringify(letter) };
}

/**
 * The feed behind the thresholds table: every scorer instance reads all of risk.thresholds on
 * every start (startTopicFeed) and applies each valid record to the schedule, in offset order.
 * A record that is not a valid thresholds record goes to the dead-letter topic with the reason,
 * and the versions known stay as they were. A dead letter that cannot be written fails the
 * batch: the consumer is replaced and reads the topic again.
 */
export function startThresholdsFeed(opts: ThresholdsFeedOptions): ThresholdsFeed {
  const log = opts.log.child({ stage: 'thresholds-feed', topic: opts.topic });
  const counts = { applied: 0, superseded: 0, invalid: 0 };
  const producer = opts.bus.producer();

  const onBatch = async (batch: ConsumedBatch) => {
    const refused: BusRecord[] = [];
    for (const r of batch.records) {
      const v = decodeJson(r.value, riskThresholdsRecordValidator);
      if (!v.ok) {
        counts.invalid++;
        refused.push(deadLetter(batch, r.offset, r.value, v.errors));
        log.warn({ partition: batch.partition, offset: r.offset, errors: v.errors }, 'not a valid thresholds record: dead-lettered, the thresholds stay as they were');
        continue;
      }
      const t = v.value;
      const { outcome, added } = opts.schedule.apply(t);
      if (outcome === 'superseded') {
        counts.superseded++;
        log.debug({ version: t.version, latest: opts.schedule.latestVersion, offset: r.offset }, 'thresholds record not newer than the latest version: ignored');
        continue;
      }
      counts.applied++;
      log.info(
        { version: t.version, effectiveFromMs: t.effectiveFromMs, effectiveFrom: new Date(t.effectiveFromMs).toISOString(), setBy: t.setBy, setAtMs: t.setAtMs, added },
        `thresholds version ${t.version} received: in force for minutes ending at or after ${new Date(t.effectiveFromMs).toISOString()}`,
      );
    }
    if (refused.length > 0) await producer.send(opts.dlqTopic, refused);
  };

  const feed = startTopicFeed({
    bus: opts.bus,
    topic: opts.topic,
    name: 'thresholds feed',
    log,
    onBatch,
    groupPrefix: opts.groupPrefix ?? 'saferoads-thresholds-feed',
    ...(opts.restartBackoff && { restartBackoff: opts.restartBackoff }),
    onCaughtUp: () => log.info({ ...counts, latestVersion: opts.schedule.latestVersion }, 'thresholds table caught up with the topic'),
  });

  return {
    caughtUp: feed.caughtUp,
    counters: () => ({ ...counts, restarts: feed.restarts() }),
    stop: async () => {
      await feed.stop();
      await producer.close();
    },
  };
}
