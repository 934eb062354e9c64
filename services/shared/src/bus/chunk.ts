import type { BusRecord } from './port.js';

/**
 * Most key and value bytes in one send. Kafka refuses a record batch over the broker's
 * message.max.bytes (1 MB by default) and kafkajs does not split a send, so a 5 MB body is
 * written in several sends, one after another (which keeps each key's records in order).
 */
export const MAX_SEND_BYTES = 512 * 1024;

/** Splits records, in order, into runs of at most maxBytes of keys and values (a larger record alone). */
export function chunkBySize(records: readonly BusRecord[], maxBytes: number): BusRecord[][] {
  const chunks: BusRecord[][] = [];
  let chunk: BusRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = Buffer.byteLength(r.value) + (r.key === null ? 0 : Buffer.byteLength(r.key));
    if (chunk.length > 0 && bytes + size > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(r);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
