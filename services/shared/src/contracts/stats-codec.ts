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
