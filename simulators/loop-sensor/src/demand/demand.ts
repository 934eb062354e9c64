import type { LocalTime } from '../time/local-time.js';
import {
  BASE_RAMP_SHARE,
  CAR_MONTH_FACTOR,
  CAR_PROFILES,
  CARS_PER_DAY,
  COMMUTER_RAMP_BOOST,
  SUMMER_WEEKEND_FACTOR,
  TRUCK_PROFILE,
  TRUCKS_PER_WORKDAY,
  dayType,
  truckFactor,
  type DayType,
  type Heading,
} from './profiles.js';

export interface Demand {
  readonly carsPerHour: number;
  readonly trucksPerHour: number;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const CAR_SUMS: Record<Heading, number[]> = {
  inbound: CAR_PROFILES.inbound.map(sum),
  outbound: CAR_PROFILES.outbound.map(sum),
};
const TRUCK_SUM = sum(TRUCK_PROFILE);

function carsInHour(heading: Heading, isoDow: number, month: number, hourSlot: number): number {
  const dt = dayType(isoDow);
  const summer = month === 7 || month === 8;
  const holidayWeekend = summer && ((heading === 'outbound' && dt === 2) || (heading === 'inbound' && dt === 3));
  const perDay = CARS_PER_DAY[heading][dt] * CAR_MONTH_FACTOR[month - 1] * (holidayWeekend ? SUMMER_WEEKEND_FACTOR : 1);
  return (perDay * CAR_PROFILES[heading][dt][hourSlot]) / CAR_SUMS[heading][dt];
}

function trucksInHour(isoDow: number, hourSlot: number): number {
  const dt: DayType = dayType(isoDow);
  return ((TRUCKS_PER_WORKDAY * TRUCK_PROFILE[hourSlot]) / TRUCK_SUM) * truckFactor(dt, isoDow, hourSlot + 0.5);
}

/** Tables hold hour averages: reading them at hour centres and interpolating keeps demand smooth over hours and midnight. */
function interpolate(t: LocalTime, valueAt: (isoDow: number, slot: number) => number): number {
  const s = t.hour - 0.5;
  const j0 = Math.floor(s);
  const frac = s - j0;
  const at = (j: number) => {
    if (j < 0) return valueAt(t.isoDow === 1 ? 7 : t.isoDow - 1, j + 24);
    if (j > 23) return valueAt(t.isoDow === 7 ? 1 : t.isoDow + 1, j - 24);
    return valueAt(t.isoDow, j);
  };
  return at(j0) * (1 - frac) + at(j0 + 1) * frac;
}

/** Demand entering a carriageway at its upstream end, vehicles per hour. */
export function mainlineDemand(t: LocalTime, heading: Heading): Demand {
  return {
    carsPerHour: interpolate(t, (dow, slot) => carsInHour(heading, dow, t.month, slot)),
    trucksPerHour: interpolate(t, (dow, slot) => trucksInHour(dow, slot)),
  };
}

/** 0..1 bell around a commuter peak on working days. */
function commuterPeak(t: LocalTime, centreHour: number, sigmaH: number): number {
  if (t.isoDow > 5) return 0;
  const z = (t.hour - centreHour) / sigmaH;
  return Math.exp(-0.5 * z * z);
}

/** Morning commuters join the inbound carriageway at every junction on the way into town. */
export function onRampShare(t: LocalTime, heading: Heading): number {
  const peak = heading === 'inbound' ? commuterPeak(t, 7.4, 0.9) : 0;
  return BASE_RAMP_SHARE * (1 + COMMUTER_RAMP_BOOST * peak);
}

/** Evening commuters leave the outbound carriageway at the junctions of their home towns. */
export function offRampShare(t: LocalTime, heading: Heading): number {
  const peak = heading === 'outbound' ? commuterPeak(t, 17.0, 1.2) : 0;
  return BASE_RAMP_SHARE * (1 + COMMUTER_RAMP_BOOST * peak);
}
