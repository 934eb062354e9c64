import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { SaferoadsError } from '../errors.js';
import type { Logger } from '../logger.js';
import { backoffDelay, retry } from '../retry.js';
import type { Bus, BusConsumer, ConsumedBatch } from './port.js';

export interface TopicFeedOptions {
  readonly bus: Bus;
  readonly topic: string;
  /** What the feed is, in messages: "the weather feed". */
  readonly name: string;
  /** Logs through the caller's logger (the caller gives it its stage). */
  readonly log: Logger;
  /** Each batch of the topic, each partition in offset order; after a restart, batches already seen come again. */
  readonly onBatch: (batch: ConsumedBatch) => void | Promise<void>;
  /** The feed's consumer groups are `<groupPrefix>.<host>.<pid>.<uuid>`: one per instance and start. */
  readonly groupPrefix: string;
  /** Pauses before a failed consumer is replaced (full jitter, doubling). */
  readonly restartBackoff?: { readonly initialDelayMs: number; readonly maxDelayMs: number };
  /** A consumer failed and is being replaced (after its pause). */
  readonly onRestart?: () => void;
  /** Called once, just before caughtUp resolves. */
  readonly onCaughtUp?: () => void;
}

export interface TopicFeed {
  /**
   * Resolves once every record that was in the topic when the feed started has been handed to
   * onBatch: from then on the caller's table is as complete as the topic. Rejects only if the feed
   * is stopped first.
   */
  readonly caughtUp: Promise<void>;
  /** Consumers replaced after a failure. */
  restarts(): number;
  /** Stops reading; what was delivered stays delivered. */
  stop(): Promise<void>;
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
 * A topic read whole by every instance, as a table: every partition from the beginning, in a
 * consumer group of its own (a shared group would split the partitions between instances), on
 * every start, so the table needs no state of its own. A consumer that fails is replaced with a
 * fresh one, after a pause, which reads from the beginning again. The global weather table and
 * the thresholds table are fed this way.
 */
export function startTopicFeed(opts: TopicFeedOptions): TopicFeed {
  const { topic, log } = opts;
  const backoff = opts.restartBackoff ?? { initialDelayMs: 500, maxDelayMs: 30_000 };
  const stopping = new AbortController();
  /** Highest offset handed over, per partition. */
  const seen = new Map<number, number>();
  let targets: (number | null)[] | null = null;
  let consumer: BusConsumer | null = null;
  let restarts = 0;

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
    opts.onCaughtUp?.();
    markCaughtUp();
  };

  const handle = async (batch: ConsumedBatch) => {
    await opts.onBatch(batch);
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
      const groupId = `${opts.groupPrefix}.${hostname()}.${process.pid}.${randomUUID()}`;
      try {
        consumer = opts.bus.consumer({ groupId, topics: [topic], fromBeginning: true });
        await consumer.run(handle);
        if (stopping.signal.aborted) return;
        throw new SaferoadsError('STATE_INVARIANT', `the ${opts.name} consumer ended by itself`);
      } catch (err) {
        if (stopping.signal.aborted) return;
        restarts++;
        opts.onRestart?.();
        const delayMs = backoffDelay(attempt, backoff, Math.random);
        log.error({ err, groupId, delayMs }, `the ${opts.name} consumer failed: replacing it, reading from the beginning again`);
        await pause(delayMs);
      }
    }
  };

  const running = Promise.all([findTargets(), consume()]);

  return {
    caughtUp,
    restarts: () => restarts,
    stop: async () => {
      stopping.abort();
      // A consumer whose run() failed may say so again here: that failure is already logged.
      await consumer?.stop().catch(() => undefined);
      await running;
      if (!isCaughtUp) failCaughtUp(new SaferoadsError('BUS_CLOSED', `the ${opts.name} of ${topic} stopped before it caught up`));
    },
  };
}
