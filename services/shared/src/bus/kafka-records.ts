import type { IHeaders, KafkaMessage, Message, TopicOffsets } from 'kafkajs';
import type { BusRecord, ConsumedRecord } from './port.js';

/** A bus record as kafkajs sends it: the key picks the partition (murmur2, like partitionFor). */
export function toKafkaMessage(r: BusRecord): Message {
  return {
    key: r.key,
    value: r.value,
    ...(r.partition !== undefined && { partition: r.partition }),
    ...(r.timestamp !== undefined && { timestamp: String(r.timestamp) }),
    ...(r.headers && { headers: { ...r.headers } }),
  };
}

/**
 * A consumed Kafka record on the bus. Every Kafka record has a timestamp (the producer's, or
 * the send time). A header repeated under one name keeps its last value, the one a Java
 * consumer's `lastHeader` reads. A null value (a tombstone) reads as the empty string.
 */
export function fromKafkaMessage(m: KafkaMessage): ConsumedRecord {
  const headers = decodeHeaders(m.headers);
  return {
    key: m.key === null ? null : m.key.toString('utf8'),
    value: m.value === null ? '' : m.value.toString('utf8'),
    timestamp: Number(m.timestamp),
    offset: Number(m.offset),
    ...(headers && { headers }),
  };
}

function decodeHeaders(h: IHeaders | undefined): Record<string, string> | undefined {
  if (!h) return undefined;
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(h)) {
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    if (last !== undefined) out[name] = last.toString();
  }
  return Object.keys(out).length ? out : undefined;
}

/** Offsets to commit, each the next offset to read, grouped by topic as kafkajs wants them. */
export interface NextOffset {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read: the last processed offset + 1. */
  readonly offset: number;
}

export function toTopicOffsets(offsets: readonly NextOffset[]): TopicOffsets[] {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const o of offsets) {
    const list = byTopic.get(o.topic) ?? [];
    list.push({ partition: o.partition, offset: String(o.offset) });
    byTopic.set(o.topic, list);
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}
