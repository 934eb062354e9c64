import type { PRECIPITATION_TYPES, ROAD_SURFACE_STATES } from '@saferoads/shared/contracts';

/**
 * The crash hazard of one segment for one minute: exposure (vehicle-km driven) times a base crash
 * rate times relative risks (RR) from the literature. docs/model.md gives every effect with its
 * source, and says where a value is our assumption rather than a published figure.
 *
 *   hazard = rateScale · baseRate · vehicle-km · RR_traffic · RR_weather · RR_light · RR_glare · RR_curve · RR_holiday
 *
 * Effects multiply (the usual independence assumption of crash modification factors); the
 * traffic and weather groups are capped, because the studies behind them measure each effect
 * alone and a product of five large factors would claim far more than any study observed.
 */

export type PrecipitationType = (typeof PRECIPITATION_TYPES)[number];
export type RoadSurfaceState = (typeof ROAD_SURFACE_STATES)[number];

/** What the hazard of one segment-minute depends on: the true state, not what sensors report. */
export interface HazardInputs {
  readonly lengthM: number;
  readonly lanes: number;
  /** Vehicles per hour over all lanes in the minute. */
  readonly flowVehH: number;
  /** Space-mean speed of the minute; null with no vehicle. */
  readonly speedKmh: number | null;
  /** Space-mean speed of the 10 minutes ending with it; null with no vehicle. */
  readonly speed10Kmh: number | null;
  /** Standard deviation of the speeds of those 10 minutes; null with no vehicle. */
  readonly speedStd10Kmh: number | null;
  /** Vehicles per km over all lanes in the minute. */
  readonly densityVehKm: number;
  /** Space-mean speed of the minute on the upstream / downstream neighbours; null when unknown or empty. */
  readonly upstreamSpeedKmh: number | null;
  readonly downstreamSpeedKmh: number | null;
  /** Weather at the segment (water equivalent for snow). */
  readonly precipitationMmH: number;
  readonly precipitationType: PrecipitationType;
  readonly visibilityM: number;
  readonly roadSurface: RoadSurfaceState;
  readonly dark: boolean;
  readonly twilight: boolean;
  /** Share of the segment driven towards a low sun, 0..1. */
  readonly sunGlare: number;
  /** Smallest radius of curvature, m (the cap on a straight). */
  readonly minRadiusM: number;
  readonly holiday: boolean;
  /** Tunnels keep out precipitation, fog and the sun, and are lit. */
  readonly tunnel: boolean;
}

export interface HazardParameters {
  /** Crashes per million vehicle-km at reference conditions (all police-recorded crashes on a motorway). */
  readonly baseRatePerMVkm: number;
  /** Multiplies the base rate: a training dataset needs far more crashes than a real road has. */
  readonly rateScale: number;
  /** Low flow (Martin 2002): RR = 1 + lowFlowExcess · max(0, 1 − flow per lane / lowFlowRefVehHLane). */
  readonly lowFlowExcess: number;
  readonly lowFlowRefVehHLane: number;
  /** Density above critical (Golob et al. 2004, Yeo et al. 2013): RR = 1 + densitySlope · (k/lane − kc) / kc, at most densityMaxRr. */
  readonly criticalDensityVehKmLane: number;
  readonly densitySlope: number;
  readonly densityMaxRr: number;
  /** Speed variation (Zheng et al. 2010): RR = exp(speedStdBeta · (sd10 − speedStdRefKmh)), sd10 capped, RR at least speedStdMinRr. */
  readonly speedStdBetaPerKmh: number;
  readonly speedStdRefKmh: number;
  readonly speedStdCapKmh: number;
  readonly speedStdMinRr: number;
  /** Speed drop along the road (a shockwave): RR = 1 + shockExcess · (1 − exp(−Δ / shockScaleKmh)). */
  readonly shockExcess: number;
  readonly shockScaleKmh: number;
  /** Speed drop in time (a queue's tail arriving): RR = 1 + tailExcess · (1 − exp(−(v10 − v1) / tailScaleKmh)). */
  readonly tailExcess: number;
  readonly tailScaleKmh: number;
  /** The traffic group's product is capped here (Yeo et al. 2013: about 5× free flow in queues). */
  readonly trafficMaxRr: number;
  /** Rain (and hail) by intensity: RR = 1 + rainExcess · (1 − exp(−I / rainScaleMmH)). */
  readonly rainExcess: number;
  readonly rainScaleMmH: number;
  /** Snow and sleet by intensity (water equivalent): RR = 1 + snowExcess · (1 − exp(−I / snowScaleMmH)). */
  readonly snowExcess: number;
  readonly snowScaleMmH: number;
  /** Road surface, whatever falls: moist, wet, snow-covered, icy. */
  readonly surfaceRr: Readonly<Record<RoadSurfaceState, number>>;
  /** Visibility below visibilityRefM: RR = min(visibilityMaxRr, (visibilityRefM / v)^visibilityExponent). */
  readonly visibilityRefM: number;
  readonly visibilityExponent: number;
  readonly visibilityMaxRr: number;
  /** The weather group's product is capped here. */
  readonly weatherMaxRr: number;
  /** Light (Wanvik 2009): darkness on an unlit road, twilight 2/3 of that effect. */
  readonly darkRr: number;
  readonly twilightRr: number;
  /** Low sun ahead (Mitra 2014): RR = 1 + glareExcess · sunGlare. */
  readonly glareExcess: number;
  /** Curvature (Elvik 2013): RR = 1 + curveCoefficientM / minRadiusM. */
  readonly curveCoefficientM: number;
  /** Public holiday (Anowar et al. 2013). */
  readonly holidayRr: number;
}

/**
 * The values docs/model.md derives. `rateScale` is 1 here (a realistic rate); the dataset
 * generator raises it (DATASET_RATE_SCALE) so a few simulated weeks hold thousands of crashes.
 */
export const DEFAULT_HAZARD_PARAMETERS: Readonly<HazardParameters> = Object.freeze({
  baseRatePerMVkm: 0.5,
  rateScale: 1,
  lowFlowExcess: 1,
  lowFlowRefVehHLane: 500,
  criticalDensityVehKmLane: 25,
  densitySlope: 0.6,
  densityMaxRr: 2.5,
  speedStdBetaPerKmh: Math.log(1.08) / 1.609344,
  speedStdRefKmh: 12,
  speedStdCapKmh: 40,
  speedStdMinRr: 0.85,
  shockExcess: 2,
  shockScaleKmh: 25,
  tailExcess: 1.5,
  tailScaleKmh: 15,
  trafficMaxRr: 6,
  rainExcess: 1.3,
  rainScaleMmH: 3,
  snowExcess: 1.2,
  snowScaleMmH: 1,
  surfaceRr: Object.freeze({ dry: 1, moist: 1.1, wet: 1.3, snow: 2.5, ice: 3 }),
  visibilityRefM: 1000,
  visibilityExponent: 0.5,
  visibilityMaxRr: 3,
  weatherMaxRr: 5,
  darkRr: 1.6,
  twilightRr: 1.4,
  glareExcess: 0.5,
  curveCoefficientM: 120,
  holidayRr: 1.1,
});

/**
 * The dataset generator's rateScale: at real rates the simulated A13 sees about half a crash a
 * day, far too few to train or evaluate a model on; 200 times that keeps every relative risk.
 */
export const DATASET_RATE_SCALE = 200;

/** Each factor of one segment-minute's hazard, for tests, explanations and the dataset's true-hazard columns. */
export interface HazardBreakdown {
  /** Vehicle-km driven on the segment in the minute. */
  readonly vehicleKm: number;
  readonly lowFlow: number;
  readonly density: number;
  readonly speedVariation: number;
  readonly shockwave: number;
  readonly queueTail: number;
  /** lowFlow · density · speedVariation · shockwave · queueTail, capped at trafficMaxRr. */
  readonly traffic: number;
  readonly precipitation: number;
  readonly surface: number;
  readonly visibility: number;
  /** max(precipitation, surface) · visibility, capped at weatherMaxRr: a wet road from rain is one effect, not two. */
  readonly weather: number;
  readonly light: number;
  readonly glare: number;
  readonly curve: number;
  readonly holiday: number;
  /** Expected crashes in the minute: the Poisson rate. */
  readonly hazard: number;
}

const saturating = (excess: number, x: number, scale: number): number => 1 + excess * (1 - Math.exp(-Math.max(0, x) / scale));

/** Rain, hail, snow or sleet falling now, by intensity; 1 when dry or in a tunnel. */
export function precipitationRr(type: PrecipitationType, mmH: number, p: HazardParameters = DEFAULT_HAZARD_PARAMETERS): number {
  if (type === 'none' || !(mmH > 0)) return 1;
  return type === 'snow' || type === 'sleet' ? saturating(p.snowExcess, mmH, p.snowScaleMmH) : saturating(p.rainExcess, mmH, p.rainScaleMmH);
}

export function visibilityRr(visibilityM: number, p: HazardParameters = DEFAULT_HAZARD_PARAMETERS): number {
  if (!(visibilityM < p.visibilityRefM)) return 1;
  return Math.min(p.visibilityMaxRr, Math.pow(p.visibilityRefM / Math.max(visibilityM, 1), p.visibilityExponent));
}

/** The largest speed drop along the road at the segment: from upstream into it, or from it to downstream. */
export function speedDropAlongRoad(x: Pick<HazardInputs, 'speedKmh' | 'upstreamSpeedKmh' | 'downstreamSpeedKmh'>): number {
  if (x.speedKmh === null) return 0;
  const fromUpstream = x.upstreamSpeedKmh === null ? 0 : x.upstreamSpeedKmh - x.speedKmh;
  const toDownstream = x.downstreamSpeedKmh === null ? 0 : x.speedKmh - x.downstreamSpeedKmh;
  return Math.max(0, fromUpstream, toDownstream);
}

/** Every factor of the hazard, and the hazard (expected crashes in the minute). */
export function hazardBreakdown(x: HazardInputs, p: HazardParameters = DEFAULT_HAZARD_PARAMETERS): HazardBreakdown {
  const lanes = Math.max(1, x.lanes);
  const vehicleKm = (Math.max(0, x.flowVehH) / 60) * (Math.max(0, x.lengthM) / 1000);

  const lowFlow = 1 + p.lowFlowExcess * Math.max(0, 1 - x.flowVehH / lanes / p.lowFlowRefVehHLane);
  const kc = p.criticalDensityVehKmLane;
  const density = Math.min(p.densityMaxRr, 1 + (p.densitySlope * Math.max(0, x.densityVehKm / lanes - kc)) / kc);
  const sd = x.speedStd10Kmh === null ? p.speedStdRefKmh : Math.min(p.speedStdCapKmh, x.speedStd10Kmh);
  const speedVariation = Math.max(p.speedStdMinRr, Math.exp(p.speedStdBetaPerKmh * (sd - p.speedStdRefKmh)));
  const shockwave = saturating(p.shockExcess, speedDropAlongRoad(x), p.shockScaleKmh);
  const drop = x.speedKmh === null || x.speed10Kmh === null ? 0 : x.speed10Kmh - x.speedKmh;
  const queueTail = saturating(p.tailExcess, drop, p.tailScaleKmh);
  const traffic = Math.min(p.trafficMaxRr, lowFlow * density * speedVariation * shockwave * queueTail);

  const open = !x.tunnel;
  const precipitation = open ? precipitationRr(x.precipitationType, x.precipitationMmH, p) : 1;
  const surface = open ? p.surfaceRr[x.roadSurface] : 1;
  const visibility = open ? visibilityRr(x.visibilityM, p) : 1;
  const weather = Math.min(p.weatherMaxRr, Math.max(precipitation, surface) * visibility);

  const light = !open ? 1 : x.dark ? p.darkRr : x.twilight ? p.twilightRr : 1;
  const glare = open ? 1 + p.glareExcess * Math.min(1, Math.max(0, x.sunGlare)) : 1;
  const curve = 1 + p.curveCoefficientM / Math.max(1, x.minRadiusM);
  const holiday = x.holiday ? p.holidayRr : 1;

  const hazard = p.rateScale * p.baseRatePerMVkm * 1e-6 * vehicleKm * traffic * weather * light * glare * curve * holiday;
  return { vehicleKm, lowFlow, density, speedVariation, shockwave, queueTail, traffic, precipitation, surface, visibility, weather, light, glare, curve, holiday, hazard };
}

/** Expected crashes on the segment in the minute (the Poisson rate of the crash process). */
export function hazardPerMinute(x: HazardInputs, p: HazardParameters = DEFAULT_HAZARD_PARAMETERS): number {
  return hazardBreakdown(x, p).hazard;
}

/** Probability of at least one crash when `hazardSum` crashes are expected: 1 − e^(−Λ). */
export function probabilityOfCrash(hazardSum: number): number {
  return -Math.expm1(-hazardSum);
}
