import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { BusRecord, ConsumedRecord } from '@saferoads/shared/bus';
import { SaferoadsError } from '@saferoads/shared/errors';

/** Names the layout of a checkpoint record, so a reader of another layout refuses it rather than misreads it. */
export const CHECKPOINT_FORMAT = 'saferoads.traffic-stats.checkpoint/1';

/**
 * A partition's checkpoint as a record of the checkpoint topic: keyed by partition (compaction
 * keeps the newest), on the partition of the same number, the state deflated (empty panes and
 * histogram bins are most of it) and base64-encoded, the input offset it stands at in a header.
 */
export function checkpointRecord(partition: number, state: Uint8Array, nextOffset: number): BusRecord {
  return {
    key: `partition-${partition}`,
    partition,
    value: deflateRawSync(state, { level: 1 }).toString('base64'),
    headers: { format: CHECKPOINT_FORMAT, offset: String(nextOffset) },
  };
}

/** The state and input offset of a checkpoint record of `partition`. */
export function readCheckpoint(record: ConsumedRecord, partition: number): { offset: number; state: Uint8Array } {
  const where = `checkpoint at offset ${record.offset} of partition ${partition}`;
  const format = record.headers?.format;
  if (format !== CHECKPOINT_FORMAT) throw new SaferoadsError('STATE_CORRUPT', `${where}: format ${JSON.stringify(format ?? null)}, expected ${CHECKPOINT_FORMAT}`);
  if (record.key !== `partition-${partition}`) throw new SaferoadsError('STATE_CORRUPT', `${where}: key ${JSON.stringify(record.key)}, expected "partition-${partition}"`);
  const offset = Number(record.headers?.offset);
  if (!(Number.isSafeInteger(offset) && offset >= 0)) throw new SaferoadsError('STATE_CORRUPT', `${where}: offset header ${JSON.stringify(record.headers?.offset ?? null)} is not an offset`);
  try {
    return { offset, state: inflateRawSync(Buffer.from(record.value, 'base64')) };
  } catch (err) {
    throw new SaferoadsError('STATE_CORRUPT', `${where}: the state does not inflate`, { cause: err });
  }
}
