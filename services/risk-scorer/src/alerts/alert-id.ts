import { createHash } from 'node:crypto';

/**
 * The id of the alert raised on `segmentId` in the minute ending at `raisedAtMs`: a UUID (version
 * 8, RFC 9562's custom layout, built from SHA-256 of the two) so that a replay of the same input
 * names the same alert, and a store can keep it in a uuid column.
 */
export function alertId(segmentId: string, raisedAtMs: number): string {
  const h = createHash('sha256').update(`saferoads-alert\u0000${segmentId}\u0000${raisedAtMs}`).digest();
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
