import type { TrafficStats } from './stats.js';

/**
 * Writes a TrafficStats record as JSON, byte for byte what JSON.stringify writes for it, about
 * three times faster: a busy stats topic is mostly these records, and JSON.stringify's general
 * double-to-text conversion was the largest cost of writing them. Every fraction in a record is
 * rounded to a known number of decimals (see the traffic aggregator), so it is written from an
 * integer count of 10^-decimals.
 */
const POW10 = [1, 10, 100, 1_000, 10_000, 100_000];

/** x, already rounded to `decimals` places, as JSON.stringify would write it (no exponent form below 1e21). */
export function decimalJson(x: number, decimals: number): string {
  const scale = POW10[decimals];
  let n = Math.round(x * scale);
  if (n === 0) return '0';
  let sign = '';
  if (n < 0) {
    sign = '-';
    n = -n;
  }
  const whole = Math.floor(n / scale);
  let frac = n - whole * scale;
  if (frac === 0) return sign + whole;
  let digits = decimals;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  return `${sign}${whole}.${String(frac).padStart(digits, '0')}`;
}

const num = (x: number | null, decimals: number): string => (x === null ? 'null' : decimalJson(x, decimals));

/** The decimals each field is rounded to by the traffic aggregator (docs/traffic-stats.md). */
export function encodeTrafficStats(r: TrafficStats): string {
  return (
    `{"segmentId":${JSON.stringify(r.segmentId)},"window":"${r.window}","windowStartMs":${r.windowStartMs},"windowEndMs":${r.windowEndMs}` +
    `,"count":${r.count},"flowVehH":${num(r.flowVehH, 1)},"meanSpeedKmh":${num(r.meanSpeedKmh, 3)}` +
    `,"harmonicMeanSpeedKmh":${num(r.harmonicMeanSpeedKmh, 3)},"speedStdKmh":${num(r.speedStdKmh, 3)},"speedCv":${num(r.speedCv, 5)}` +
    `,"p85SpeedKmh":${num(r.p85SpeedKmh, 3)},"shareOverLimit":${num(r.shareOverLimit, 5)},"meanGapS":${num(r.meanGapS, 4)}` +
    `,"minGapS":${num(r.minGapS, 4)},"shareGapUnder1s":${num(r.shareGapUnder1s, 5)},"shareGapUnder2s":${num(r.shareGapUnder2s, 5)}` +
    `,"occupancy":${num(r.occupancy, 5)},"truckShare":${num(r.truckShare, 5)},"laneSpeedSpreadKmh":${num(r.laneSpeedSpreadKmh, 3)}` +
    `,"densityVehKm":${num(r.densityVehKm, 3)},"lateCount":${r.lateCount}}`
  );
}

// Writing a record straight into bytes: the same text as encodeTrafficStats, without building a
// string per field and per record (and joining and transcoding them later), which cost more
// than the numbers themselves. Every number takes an integer path when it is plain (what real
// records hold) and otherwise writes the string encodeTrafficStats would, so the bytes are
// always the same.

/** Bytes of `"segmentId":<json string>` per segment id, built once (ids come from the network). */
const segmentHeads = new Map<string, Uint8Array>();
const ASCII = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'utf8'));
const K_WINDOW_1M = ASCII(',"window":"1m","windowStartMs":');
const K_WINDOW_10M = ASCII(',"window":"10m","windowStartMs":');
const K_WINDOW_END = ASCII(',"windowEndMs":');
const K_COUNT = ASCII(',"count":');
const K_FLOW = ASCII(',"flowVehH":');
const K_MEAN = ASCII(',"meanSpeedKmh":');
const K_HARMONIC = ASCII(',"harmonicMeanSpeedKmh":');
const K_STD = ASCII(',"speedStdKmh":');
const K_CV = ASCII(',"speedCv":');
const K_P85 = ASCII(',"p85SpeedKmh":');
const K_OVER = ASCII(',"shareOverLimit":');
const K_MEAN_GAP = ASCII(',"meanGapS":');
const K_MIN_GAP = ASCII(',"minGapS":');
const K_GAP1 = ASCII(',"shareGapUnder1s":');
const K_GAP2 = ASCII(',"shareGapUnder2s":');
const K_OCCUPANCY = ASCII(',"occupancy":');
const K_TRUCKS = ASCII(',"truckShare":');
const K_SPREAD = ASCII(',"laneSpeedSpreadKmh":');
const K_DENSITY = ASCII(',"densityVehKm":');
const K_LATE = ASCII(',"lateCount":');
const NULL = ASCII('null');
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Bytes a record takes at most, for a buffer to hold before encodeTrafficStatsInto. */
export function maxTrafficStatsBytes(r: TrafficStats): number {
  // 21 keys and punctuation (~420 bytes) and 19 numbers of at most 24 characters each; an id
  // escapes to at most 6 bytes per UTF-16 unit.
  return 1024 + 6 * r.segmentId.length;
}

/**
 * Writes encodeTrafficStats(r) as UTF-8 into out at pos (which must have maxTrafficStatsBytes(r)
 * bytes of room) and returns the position after it.
 */
export function encodeTrafficStatsInto(r: TrafficStats, out: Uint8Array, pos: number): number {
  let head = segmentHeads.get(r.segmentId);
  if (head === undefined) {
    head = ASCII(`{"segmentId":${JSON.stringify(r.segmentId)}`);
    // A bound for inputs with endless ids; a network has a few thousand segments at most.
    if (segmentHeads.size >= 100_000) segmentHeads.clear();
    segmentHeads.set(r.segmentId, head);
  }
  let p = copy(out, pos, head);
  if (r.window === '1m') p = copy(out, p, K_WINDOW_1M);
  else if (r.window === '10m') p = copy(out, p, K_WINDOW_10M);
  else p = text(out, p, `,"window":"${r.window}","windowStartMs":`);
  p = integer(out, p, r.windowStartMs);
  p = integer(out, copy(out, p, K_WINDOW_END), r.windowEndMs);
  p = integer(out, copy(out, p, K_COUNT), r.count);
  p = decimal(out, copy(out, p, K_FLOW), r.flowVehH, 1);
  p = decimal(out, copy(out, p, K_MEAN), r.meanSpeedKmh, 3);
  p = decimal(out, copy(out, p, K_HARMONIC), r.harmonicMeanSpeedKmh, 3);
  p = decimal(out, copy(out, p, K_STD), r.speedStdKmh, 3);
  p = decimal(out, copy(out, p, K_CV), r.speedCv, 5);
  p = decimal(out, copy(out, p, K_P85), r.p85SpeedKmh, 3);
  p = decimal(out, copy(out, p, K_OVER), r.shareOverLimit, 5);
  p = decimal(out, copy(out, p, K_MEAN_GAP), r.meanGapS, 4);
  p = decimal(out, copy(out, p, K_MIN_GAP), r.minGapS, 4);
  p = decimal(out, copy(out, p, K_GAP1), r.shareGapUnder1s, 5);
  p = decimal(out, copy(out, p, K_GAP2), r.shareGapUnder2s, 5);
  p = decimal(out, copy(out, p, K_OCCUPANCY), r.occupancy, 5);
  p = decimal(out, copy(out, p, K_TRUCKS), r.truckShare, 5);
  p = decimal(out, copy(out, p, K_SPREAD), r.laneSpeedSpreadKmh, 3);
  p = decimal(out, copy(out, p, K_DENSITY), r.densityVehKm, 3);
  p = integer(out, copy(out, p, K_LATE), r.lateCount);
  out[p] = 0x7d; // }
  return p + 1;
}

function copy(out: Uint8Array, pos: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) out[pos + i] = bytes[i];
  return pos + bytes.length;
}

/** Text already in JSON form (ASCII but for the id, whose head is cached): the rare path. */
function text(out: Uint8Array, pos: number, s: string): number {
  return copy(out, pos, ASCII(s));
}

/** An integer as `${x}` writes it: digits when 0 <= x <= 2^53 and whole, else the string. */
function integer(out: Uint8Array, pos: number, x: number): number {
  if (!(x >= 0 && x <= MAX_SAFE && Math.floor(x) === x)) return text(out, pos, `${x}`);
  if (x < 1e9) return digits(out, pos, x);
  // Two int32 halves: % and / on doubles beyond int32 are library calls in V8. The quotient's floor
  // is exact: below 2^53 it is under 2^24, where a double resolves well under the 1e-9 by which a
  // non-multiple of 1e9 falls short of the next integer.
  const hi = Math.floor(x / 1e9);
  return padded(out, digits(out, pos, hi), x - hi * 1e9, 9);
}

/** x, an integer in [0, 1e9), in decimal. */
function digits(out: Uint8Array, pos: number, x: number): number {
  let n = 1;
  for (let p = 10; p <= x; p *= 10) n++;
  return padded(out, pos, x, n);
}

/** x, an integer in [0, 10^width) below 2^31, in exactly `width` digits (leading zeros). */
function padded(out: Uint8Array, pos: number, x: number, width: number): number {
  let q = x | 0;
  for (let i = pos + width - 1; i >= pos; i--) {
    const d = q % 10;
    out[i] = 0x30 + d;
    q = (q - d) / 10;
  }
  return pos + width;
}

/** num(x, decimals) of encodeTrafficStats: decimalJson's arithmetic on integers, or its string. */
function decimal(out: Uint8Array, pos: number, x: number | null, decimals: number): number {
  if (x === null) return copy(out, pos, NULL);
  const scale = POW10[decimals];
  let n = Math.round(x * scale);
  if (!(n > -2_000_000_000 && n < 2_000_000_000)) return text(out, pos, decimalJson(x, decimals));
  if (n === 0) {
    out[pos] = 0x30;
    return pos + 1;
  }
  let p = pos;
  if (n < 0) {
    out[p++] = 0x2d; // -
    n = -n;
  }
  // Below 2^31 the quotient's floor is exact (a fraction of at least 1e-5 off an integer survives
  // the rounding of the division), so this is decimalJson's split.
  const whole = Math.floor(n / scale);
  let frac = n - whole * scale;
  p = digits(out, p, whole);
  if (frac === 0) return p;
  let width = decimals;
  while (frac % 10 === 0) {
    frac /= 10;
    width--;
  }
  out[p] = 0x2e; // .
  return padded(out, p + 1, frac, width);
}
