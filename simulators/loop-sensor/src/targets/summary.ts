import type { FeedResult } from './feed.js';

/**
 * The closing line on stderr: what reached the target, how fast, and what the gateway said.
 * Plain numbers, no locale, so scripts can read it.
 */
export function summaryLine(target: string, r: FeedResult, command = 'simulate'): string {
  const { stats: s } = r;
  const seconds = r.elapsedMs / 1000;
  const rate = Math.round(s.sent / Math.max(seconds, 0.001));
  const state = r.error ? ' (failed)' : r.interrupted ? ' (interrupted)' : '';
  let line = `${command}${state}: ${s.sent} records sent to ${target} in ${seconds.toFixed(2)} s (${rate} records/s, ${s.requests} requests, ${s.retries} retries)`;
  if (s.accepted !== undefined && s.rejected !== undefined) {
    line += `: ${s.accepted} accepted, ${s.rejected} rejected`;
    if (s.firstRejection !== undefined) line += ` (first: ${s.firstRejection})`;
  }
  return line;
}
