import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { SaferoadsError } from '../errors.js';
import { busError, isBrokerOutage, isKafkaRetriable, isRebalanceError, isUnknownTopic } from './kafka-errors.js';

// kafkajs' own error classes (CommonJS: only its default export carries them under ESM).
const { KafkaJSConnectionError, KafkaJSGroupCoordinatorNotFound, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;

const protocolError = (type: string, retriable: boolean) => new KafkaJSProtocolError({ message: `broker said ${type}`, type, code: 1, retriable } as unknown as Error);

describe('Kafka errors', () => {
  it('wraps a kafkajs error as BUS_UNAVAILABLE with its retriable flag and the error as cause', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    const e = busError('connecting the Kafka producer', refused);
    expect(e).toBeInstanceOf(SaferoadsError);
    expect([e.code, e.retriable, e.message, e.cause]).toEqual(['BUS_UNAVAILABLE', true, 'connecting the Kafka producer: Connection error: connect ECONNREFUSED 127.0.0.1:9092', refused]);
    const fenced = busError('committing', protocolError('PRODUCER_FENCED', false));
    expect([fenced.code, fenced.retriable]).toEqual(['BUS_UNAVAILABLE', false]);
  });

  it('judges "retries exceeded" by the error kafkajs gave up on', () => {
    const gaveUpOnRetriable = new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('down'), { retryCount: 5, retryTime: 8_000 });
    const gaveUpOnFatal = new KafkaJSNumberOfRetriesExceeded(new KafkaJSNonRetriableError('bad request'), { retryCount: 0, retryTime: 0 });
    expect([gaveUpOnRetriable.retriable, isKafkaRetriable(gaveUpOnRetriable), isKafkaRetriable(gaveUpOnFatal)]).toEqual([false, true, false]);
  });

  it('counts an unreachable broker or a missing group coordinator as an outage, a refused request not', () => {
    const coordinatorGone = new (KafkaJSGroupCoordinatorNotFound as unknown as new (message: string) => Error)('Failed to find group coordinator');
    const gaveUpOnDown = new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('down'), { retryCount: 5, retryTime: 8_000 });
    const errors = [coordinatorGone, gaveUpOnDown, protocolError('LEADER_NOT_AVAILABLE', true), protocolError('PRODUCER_FENCED', false), new KafkaJSNonRetriableError('bad request'), new TypeError('x')];
    expect(errors.map(isBrokerOutage)).toEqual([true, true, true, false, false, false]);
  });

  it('keeps a SaferoadsError as it is and marks foreign errors not retriable', () => {
    const own = new SaferoadsError('BUS_CLOSED', 'closed');
    expect(busError('sending', own)).toBe(own);
    const foreign = busError('sending', new TypeError('x is undefined'));
    expect([foreign.retriable, foreign.message]).toEqual([false, 'sending: x is undefined']);
    expect(busError('sending', 'a string').message).toBe('sending: a string');
  });

  it('tells rebalance and unknown-topic errors apart', () => {
    expect(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'NOT_COORDINATOR_FOR_GROUP', 'LEADER_NOT_AVAILABLE'].map((t) => isRebalanceError(protocolError(t, true)))).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
    expect([isUnknownTopic(protocolError('UNKNOWN_TOPIC_OR_PARTITION', true)), isUnknownTopic(new Error('UNKNOWN_TOPIC_OR_PARTITION'))]).toEqual([true, false]);
  });
});
