import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { batchText } from '../ndjson.js';
import type { DetectionBatch } from '../types.js';

/** Big writes are cheap, many small ones are not: flush at about 1 MB. */
const FLUSH_CHARS = 1 << 20;

/**
 * Writes batches as NDJSON, honouring the destination's backpressure. With `flushEachBatch`
 * (paced output) every batch is written when released, so a reader sees it in time.
 */
export async function writeBatches(
  batches: AsyncIterable<DetectionBatch>,
  out: Writable,
  opts: { flushEachBatch: boolean; onBatch?: (b: DetectionBatch) => void },
): Promise<number> {
  let pending = '';
  let lines = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const text = pending;
    pending = '';
    if (!out.write(text)) await once(out, 'drain');
  };
  for await (const b of batches) {
    pending += batchText(b.detections);
    lines += b.detections.length;
    if (opts.flushEachBatch || pending.length >= FLUSH_CHARS) await flush();
    opts.onBatch?.(b);
  }
  await flush();
  return lines;
}
