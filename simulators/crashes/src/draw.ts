import { probabilityOfCrash } from './hazard.js';

/** FNV-1a over a string: a stable key for a segment id. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32's finaliser: nearby inputs land far apart. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const MINUTE_MS = 60_000;

/**
 * A uniform number in [0, 1) that is a pure function of (seed, segment, minute): whether a crash
 * happens on a segment in a minute never depends on what else was simulated, or in which order.
 * 53 bits from two independent 32-bit hashes.
 */
export function crashUniform(seed: number, segmentId: string, minuteMs: number): number {
  const minute = Math.floor(minuteMs / MINUTE_MS);
  const s = mix32(mix32(seed >>> 0) ^ mix32(Math.floor(seed / 0x1_0000_0000)) ^ hashString(segmentId));
  const lo = mix32(s ^ mix32(minute >>> 0) ^ mix32(Math.floor(minute / 0x1_0000_0000) + 0x632be5ab));
  const hi = mix32(lo ^ 0x5bd1e995 ^ s);
  return ((hi >>> 11) * 0x1_0000_0000 + lo) / 2 ** 53;
}

/** Whether the segment has a crash in the minute: a Bernoulli draw with probability 1 − e^(−hazard). */
export function crashOccurs(seed: number, segmentId: string, minuteMs: number, hazard: number): boolean {
  return hazard > 0 && crashUniform(seed, segmentId, minuteMs) < probabilityOfCrash(hazard);
}
