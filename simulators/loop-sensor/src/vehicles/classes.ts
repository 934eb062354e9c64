import type { Rng } from '../random/rng.js';

/**
 * Vehicle classes as a loop sees them (after TLS 8+1 in Germany/Austria). Lengths are bumper
 * to bumper; the limits are the EU maxima of Directive 96/53/EC (rigid 12 m, articulated
 * 16.5 m, road train 18.75 m, coach up to 15 m).
 */
export const VehicleClass = {
  Car: 0,
  Van: 1,
  Motorbike: 2,
  CarTrailer: 3,
  Rigid: 4,
  Articulated: 5,
  RoadTrain: 6,
  Bus: 7,
} as const;
export type VehicleClass = (typeof VehicleClass)[keyof typeof VehicleClass];

/** Light-vehicle mix: cars, vans, motorbikes, cars towing a trailer or caravan. */
const LIGHT_WEIGHTS = [0.855, 0.105, 0.015, 0.025];
const LIGHT_CLASSES: readonly VehicleClass[] = [
  VehicleClass.Car,
  VehicleClass.Van,
  VehicleClass.Motorbike,
  VehicleClass.CarTrailer,
];

/** Heavy mix on an Alpine transit corridor: articulated lorries dominate. */
const HEAVY_WEIGHTS = [0.2, 0.6, 0.14, 0.06];
const HEAVY_CLASSES: readonly VehicleClass[] = [
  VehicleClass.Rigid,
  VehicleClass.Articulated,
  VehicleClass.RoadTrain,
  VehicleClass.Bus,
];

export function drawClass(rng: Rng, heavy: boolean): VehicleClass {
  return heavy ? HEAVY_CLASSES[rng.pick(HEAVY_WEIGHTS)] : LIGHT_CLASSES[rng.pick(LIGHT_WEIGHTS)];
}

export function isHeavy(c: VehicleClass): boolean {
  return c >= VehicleClass.Rigid;
}

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

/** Length in metres as the loop measures it (the class spread plus about 2 % loop error for cars). */
export function drawLength(rng: Rng, c: VehicleClass): number {
  switch (c) {
    case VehicleClass.Car:
      // Lognormal: median 4.5 m, 95 % between 3.8 and 5.3 m.
      return clamp(4.5 * Math.exp(0.085 * rng.normal()), 3.2, 5.6);
    case VehicleClass.Van:
      return clamp(6.0 + 0.35 * rng.normal(), 5.3, 7.0);
    case VehicleClass.Motorbike:
      return clamp(2.2 + 0.15 * rng.normal(), 1.8, 2.6);
    case VehicleClass.CarTrailer:
      return clamp(9.5 + 1.2 * rng.normal(), 7.0, 12.5);
    case VehicleClass.Rigid:
      return clamp(10.0 + 1.1 * rng.normal(), 8.0, 12.0);
    case VehicleClass.Articulated:
      return clamp(16.2 + 0.3 * rng.normal(), 15.5, 16.5);
    case VehicleClass.RoadTrain:
      return clamp(18.4 + 0.25 * rng.normal(), 17.8, 18.75);
    case VehicleClass.Bus:
      return clamp(12.8 + 0.7 * rng.normal(), 11.5, 15.0);
  }
}
