/**
 * Demand tables for an Alpine transit motorway with a commuter city at one end, calibrated on
 * the A13 Brenner motorway (ASFINAG permanent counts: ~16-17k vehicles/day per direction on
 * weekdays, ~4k heavy vehicles/day per direction). Values are hourly shares in percent of the
 * day's volume; they are normalised when used, so only their shape matters.
 */

/** 'inbound' carries the morning commuter peak toward the city (northbound on the A13). */
export type Heading = 'inbound' | 'outbound';

/** 0 = Monday-Thursday, 1 = Friday, 2 = Saturday, 3 = Sunday. */
export type DayType = 0 | 1 | 2 | 3;

export function dayType(isoDow: number): DayType {
  if (isoDow <= 4) return 0;
  return (isoDow - 4) as DayType;
}

type Hours = readonly number[];

/** Car hourly profiles [dayType] per heading. */
export const CAR_PROFILES: Readonly<Record<Heading, readonly Hours[]>> = {
  inbound: [
    // Mon-Thu: sharp 07-08 commuter peak into the city, broad afternoon.
    [0.7, 0.4, 0.3, 0.3, 0.6, 1.8, 4.9, 8.4, 7.3, 5.4, 4.8, 4.9, 5.1, 5.2, 5.4, 5.8, 6.2, 6.3, 5.5, 4.3, 3.3, 2.6, 1.9, 1.3],
    // Friday: weaker commute, busier early afternoon.
    [0.7, 0.4, 0.3, 0.3, 0.6, 1.7, 4.5, 7.6, 6.8, 5.3, 5.0, 5.2, 5.5, 5.7, 6.0, 6.3, 6.4, 6.2, 5.4, 4.3, 3.4, 2.7, 2.0, 1.4],
    // Saturday: late-morning shopping and leisure plateau.
    [1.0, 0.6, 0.4, 0.4, 0.6, 1.2, 2.4, 4.0, 5.6, 6.6, 7.1, 7.2, 7.0, 6.8, 6.6, 6.5, 6.4, 6.2, 5.5, 4.6, 3.7, 2.9, 2.2, 1.5],
    // Sunday: return traffic from the south in the afternoon and evening.
    [1.2, 0.7, 0.5, 0.4, 0.4, 0.7, 1.3, 2.2, 3.4, 4.6, 5.5, 6.0, 6.1, 6.3, 6.9, 7.6, 8.2, 8.3, 7.6, 6.2, 4.6, 3.4, 2.3, 1.6],
  ],
  outbound: [
    // Mon-Thu: evening commuter peak out of the city.
    [0.7, 0.4, 0.3, 0.3, 0.5, 1.3, 3.1, 4.9, 5.0, 4.9, 4.9, 5.1, 5.4, 5.6, 6.1, 7.1, 8.4, 8.5, 6.6, 4.8, 3.6, 2.8, 2.0, 1.3],
    // Friday: commuters plus the weekend and holiday exodus toward Italy from early afternoon.
    [0.7, 0.4, 0.3, 0.3, 0.5, 1.2, 2.8, 4.3, 4.5, 4.6, 4.8, 5.1, 5.6, 6.3, 7.4, 8.4, 8.9, 8.4, 6.6, 4.9, 3.7, 2.9, 2.2, 1.5],
    // Saturday: holiday and transit morning peak southbound.
    [1.0, 0.7, 0.6, 0.7, 1.2, 2.6, 4.8, 7.0, 8.2, 8.6, 8.3, 7.5, 6.5, 5.8, 5.3, 4.9, 4.6, 4.2, 3.5, 2.8, 2.2, 1.8, 1.3, 1.0],
    // Sunday: excursion traffic, midday plateau.
    [1.2, 0.7, 0.5, 0.4, 0.4, 0.8, 1.6, 2.8, 4.2, 5.6, 6.6, 7.0, 6.8, 6.6, 6.7, 6.9, 6.9, 6.6, 5.8, 4.6, 3.6, 2.7, 1.9, 1.3],
  ],
};

/** Cars per day at the carriageway's entry [dayType] per heading. */
export const CARS_PER_DAY: Readonly<Record<Heading, readonly number[]>> = {
  inbound: [12_000, 13_000, 10_500, 12_500],
  outbound: [12_000, 14_500, 13_500, 9_500],
};

/** Seasonal factor on car volumes by month: the Brenner is a summer holiday route. */
export const CAR_MONTH_FACTOR: readonly number[] = [0.86, 0.9, 0.93, 0.97, 1.0, 1.06, 1.18, 1.24, 1.04, 0.98, 0.9, 0.94];

/** Extra factor on July/August holiday-changeover weekends (outbound Saturday, inbound Sunday). */
export const SUMMER_WEEKEND_FACTOR = 1.3;

/** Heavy vehicles (> 3.5 t) hourly profile on working days: flat by day, never zero at night. */
export const TRUCK_PROFILE: Hours = [
  2.6, 2.3, 2.2, 2.3, 2.8, 3.6, 4.4, 4.9, 5.2, 5.4, 5.5, 5.4, 5.2, 5.2, 5.3, 5.3, 5.1, 4.8, 4.4, 4.0, 3.6, 3.3, 3.0, 2.8,
];

/** Heavy vehicles per working day and direction. */
export const TRUCKS_PER_WORKDAY = 4_200;

/**
 * Austrian weekend driving ban for lorries > 7.5 t (StVO §42): Saturday 15:00 to Sunday 22:00.
 * What remains is exempt traffic (3.5-7.5 t, perishables, coaches); at 22:00 on Sunday the
 * waiting lorries leave, and Monday's small hours stay above normal.
 */
export function truckFactor(dt: DayType, isoDow: number, hour: number): number {
  if (dt === 2) return hour < 15 ? 0.75 : 0.06;
  if (dt === 3) return hour < 22 ? 0.05 : 1.8;
  if (isoDow === 1 && hour < 5) return 1.3;
  return 1;
}

/** Share of the mainline demand that joins at each on-ramp / leaves at each off-ramp, off-peak. */
export const BASE_RAMP_SHARE = 0.05;

/** On-ramp traffic is mostly local: its truck share relative to the mainline's. */
export const RAMP_TRUCK_FACTOR = 0.35;

/** How much the commuter peak multiplies ramp shares at its height. */
export const COMMUTER_RAMP_BOOST = 1.5;
