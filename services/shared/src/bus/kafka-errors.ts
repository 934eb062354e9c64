import { SaferoadsError } from '../errors.js';

interface KafkaJsErrorLike {
  readonly name: string;
  readonly message: string;
  readonly retriable?: boolean;
  readonly type?: string;
  readonly cause?: unknown;
}

function asKafkaJsError(err: unknown): KafkaJsErrorLike | null {
  // Duck-typed: kafkajs is CommonJS and only some of its error classes are importable from ESM.
  return err instanceof Error && err.name.startsWith('KafkaJS') ? (err as KafkaJsErrorLike) : null;
}

/**
 * Whether another attempt can help, as kafkajs says (error.retriable). KafkaJSNumberOfRetriesExceeded
 * is itself marked non-retriable because kafkajs gave up, but what decides is the error it gave up
 * on: a broker that was unreachable may be back later.
 */
export function isKafkaRetriable(err: unknown): boolean {
  const k = asKafkaJsError(err);
  if (!k) return false;
  if (k.name === 'KafkaJSNumberOfRetriesExceeded' && k.cause !== undefined) return isKafkaRetriable(k.cause);
  return k.retriable === true;
}

/** kafkajs errors that only say no broker (or no group coordinator) answered in time. */
const OUTAGE_ERRORS = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSBrokerNotFound', 'KafkaJSRequestTimeoutError', 'KafkaJSGroupCoordinatorNotFound']);

/**
 * The brokers were unreachable or not ready (a restart, a coordinator still loading its offsets):
 * the same call later can succeed. kafkajs marks KafkaJSGroupCoordinatorNotFound non-retriable
 * and then lets a consumer die for good, although the coordinator usually returns seconds later.
 */
export function isBrokerOutage(err: unknown): boolean {
  const k = asKafkaJsError(err);
  if (!k) return false;
  if (OUTAGE_ERRORS.has(k.name) || isKafkaRetriable(k)) return true;
  return k.cause !== undefined && isBrokerOutage(k.cause);
}

/** The group is rebalancing or this member's generation is over: only a rejoin helps, not a retry. */
export function isRebalanceError(err: unknown): boolean {
  const type = asKafkaJsError(err)?.type;
  return type === 'REBALANCE_IN_PROGRESS' || type === 'ILLEGAL_GENERATION' || type === 'UNKNOWN_MEMBER_ID' || type === 'NOT_COORDINATOR_FOR_GROUP';
}

/** Wraps what kafkajs threw into the project's error (BUS_UNAVAILABLE), keeping it as the cause. */
export function busError(what: string, err: unknown): SaferoadsError {
  if (err instanceof SaferoadsError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SaferoadsError('BUS_UNAVAILABLE', `${what}: ${message}`, { cause: err, retriable: isKafkaRetriable(err) });
}

export function isUnknownTopic(err: unknown): boolean {
  return asKafkaJsError(err)?.type === 'UNKNOWN_TOPIC_OR_PARTITION';
}
