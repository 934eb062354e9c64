import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { BusRecord, ConsumedRecord } from '@saferoads/shared/bus';
import { SaferoadsError } from '@saferoads/shared/errors';
import type { RiskPipelineState } from '../pipeline.js';

/** Names the layout of a checkpoint, so a reader of another layout refuses it rather than misreads it. */
export const RISK_CHECKPOINT_FORMAT = 'saferoads.risk-scorer.checkpoint/1';

/** A partition's pipeline state (JSON, deflated, base64) keyed by partition, with the input offset it stands at. */
export function riskCheckpointRecord(partition: number, state: RiskPipelineState, nextOffset: number): BusRecord {
  return {
    key: `partition-${partition}`,
    partition,
    value: deflateRawSync(Buffer.from(JSON.stringify(state)), { level: 1 }).toString('base64'),
    headers: { format: RISK_CHECKPOINT_FORMAT, offset: String(nextOffset) },
  };
}

export function readRiskCheckpoint(record: ConsumedRecord, partition: number): { offset: number; state: RiskPipelineState } {
  const where = `risk-scorer checkpoint at offset ${record.offset} of partition ${partition}`;
  if (record.headers?.format !== RISK_CHECKPOINT_FORMAT) {
    throw new SaferoadsError('STATE_CORRUPT', `${where}: format ${JSON.stringify(record.headers?.format ?? null)}, expected ${RISK_CHECKPOINT_FORMAT}`);
  }
  if (record.key !== `partition-${partition}`) throw new SaferoadsError('STATE_CORRUPT', `${where}: key ${JSON.stringify(record.key)}, expected "partition-${partition}"`);
  const offset = Number(record.headers.offset);
  if (!(Number.isSafeInteger(offset) && offset >= 0)) throw new SaferoadsError('STATE_CORRUPT', `${where}: offset header ${JSON.stringify(record.headers.offset ?? null)} is not an offset`);
  try {
    return { offset, state: JSON.parse(inflateRawSync(Buffer.from(record.value, 'base64')).toString('utf8')) as RiskPipelineState };
  } catch (err) {
    throw new SaferoadsError('STATE_CORRUPT', `${where}: the state does not inflate to JSON`, { cause: err });
  }
}
