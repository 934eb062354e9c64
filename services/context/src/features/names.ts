/** One context feature: the model's feature specification (models/) refers to it by name. */
export interface ContextFeatureSpec {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  /** Where the value comes from. */
  readonly source: string;
}

const NETWORK = 'network file';
const TURF = 'network geometry, @turf/turf';
const TOPOLOGY = 'network topology';
const LOCAL = 'local time, date-fns-tz';
const HOLIDAYS = 'date-holidays, local date';
const SUN = 'suncalc, segment midpoint';
const WEATHER = 'weather table, inverse-distance weighting';

/** Every context feature, in the order `writeContextFeatures` writes them. Booleans are 0/1. */
export const CONTEXT_FEATURES = [
  // Road shape: fixed per segment
  { name: 'lengthM', unit: 'm', description: 'geodesic length of the segment', source: TURF },
  { name: 'headingSin', unit: '1', description: 'sin of the compass bearing from entry to exit (east 1, west -1)', source: TURF },
  { name: 'headingCos', unit: '1', description: 'cos of the compass bearing from entry to exit (north 1, south -1)', source: TURF },
  { name: 'curvatureDegPerKm', unit: 'deg/km', description: 'sum of absolute turning angles per km of the segment (0 on a straight)', source: TURF },
  { name: 'minRadiusM', unit: 'm', description: 'smallest radius of curvature (circumradius of vertex triples), capped at maxRadiusM; the cap on a straight', source: TURF },
  { name: 'gradePct', unit: '%', description: 'net grade entry to exit, uphill positive; 0 without elevations', source: TURF },
  { name: 'gradeKnown', unit: '0/1', description: 'the network gives elevations for this segment', source: NETWORK },
  { name: 'lanes', unit: 'lanes', description: 'through lanes', source: NETWORK },
  { name: 'lanesChangeDownstream', unit: 'lanes', description: 'fewest lanes downstream minus lanes here (negative: lane drop ahead); 0 without downstream', source: TOPOLOGY },
  { name: 'speedLimitKmh', unit: 'km/h', description: 'posted speed limit', source: NETWORK },
  { name: 'surfaceQuality', unit: '0..1', description: 'pavement condition, 1 new; defaultSurfaceQuality when the file gives none', source: NETWORK },
  { name: 'urban', unit: '0/1', description: 'area is urban (rural when the file gives none)', source: NETWORK },
  { name: 'tunnel', unit: '0/1', description: 'structure is tunnel', source: NETWORK },
  { name: 'bridge', unit: '0/1', description: 'structure is bridge', source: NETWORK },
  { name: 'distOnRampM', unit: 'm', description: 'distance along the carriageway to the nearest on-ramp, up- or downstream; 0 on this segment; capped at rampSearchM', source: TOPOLOGY },
  { name: 'distOffRampM', unit: 'm', description: 'the same for the nearest off-ramp', source: TOPOLOGY },
  { name: 'upstreamCount', unit: 'segments', description: 'number of upstream neighbours (0 at the start of a carriageway, 2+ at a merge)', source: TOPOLOGY },
  { name: 'downstreamCount', unit: 'segments', description: 'number of downstream neighbours (2+ at a diverge)', source: TOPOLOGY },
  // Calendar, in the segment's time zone
  { name: 'hourSin', unit: '1', description: 'sin(2 pi h / 24), h the local hour of day with minutes as a fraction', source: LOCAL },
  { name: 'hourCos', unit: '1', description: 'cos(2 pi h / 24)', source: LOCAL },
  { name: 'dowSin', unit: '1', description: 'sin(2 pi (d - 1) / 7), d the local ISO day of the week (1 Monday .. 7 Sunday)', source: LOCAL },
  { name: 'dowCos', unit: '1', description: 'cos(2 pi (d - 1) / 7)', source: LOCAL },
  { name: 'weekend', unit: '0/1', description: 'local day is one of weekendDays (Saturday, Sunday)', source: LOCAL },
  { name: 'holiday', unit: '0/1', description: 'local day is a public holiday of the segment\'s country and region', source: HOLIDAYS },
  { name: 'dayBeforeHoliday', unit: '0/1', description: 'the next local day is a public holiday', source: HOLIDAYS },
  // Sun
  { name: 'sunAltitudeDeg', unit: 'deg', description: 'sun altitude above the horizon at the segment midpoint', source: SUN },
  { name: 'twilight', unit: '0/1', description: 'darkAltitudeDeg <= altitude < daylightAltitudeDeg (-6 to -0.833: civil twilight)', source: SUN },
  { name: 'dark', unit: '0/1', description: 'altitude < darkAltitudeDeg (-6)', source: SUN },
  { name: 'sunGlare', unit: '0..1', description: 'share of the segment length driven towards a low sun: 0 < altitude <= glareMaxAltitudeDeg and azimuth within glareMaxAngleDeg of the direction of travel; 0 in tunnels', source: SUN },
  // Weather at the segment midpoint
  { name: 'weatherMissing', unit: '0/1', description: 'no fresh station within radiusM: every weather value below is its default', source: WEATHER },
  { name: 'weatherStations', unit: 'stations', description: 'fresh stations used (at most maxStations)', source: WEATHER },
  { name: 'weatherStaleStations', unit: 'stations', description: 'stations within radiusM whose latest reading is older than maxAgeMs (not used)', source: WEATHER },
  { name: 'weatherNearestM', unit: 'm', description: 'distance to the nearest station used; radiusM when missing', source: WEATHER },
  { name: 'weatherAgeMin', unit: 'min', description: 'weighted mean age of the readings used; maxAgeMs in minutes when missing', source: WEATHER },
  { name: 'precipitationMmH', unit: 'mm/h', description: 'precipitation intensity; 0 when missing', source: WEATHER },
  { name: 'precipRain', unit: '0/1', description: 'weighted-majority precipitation type is rain', source: WEATHER },
  { name: 'precipSnow', unit: '0/1', description: 'weighted-majority precipitation type is snow', source: WEATHER },
  { name: 'precipSleet', unit: '0/1', description: 'weighted-majority precipitation type is sleet', source: WEATHER },
  { name: 'precipHail', unit: '0/1', description: 'weighted-majority precipitation type is hail', source: WEATHER },
  { name: 'visibilityM', unit: 'm', description: 'visibility; missingVisibilityM when missing', source: WEATHER },
  { name: 'windSpeedMs', unit: 'm/s', description: 'mean wind speed; 0 when missing', source: WEATHER },
  { name: 'windGustMs', unit: 'm/s', description: 'gust speed over the stations reporting gusts; the wind speed when none does', source: WEATHER },
  { name: 'airTemperatureC', unit: 'degC', description: 'air temperature, lapse-rate adjusted to the segment elevation; missingAirTemperatureC when missing', source: WEATHER },
  { name: 'roadSurfaceTemperatureC', unit: 'degC', description: 'road surface temperature over the stations reporting it; the air temperature when none does', source: WEATHER },
  { name: 'roadSurfaceTemperatureKnown', unit: '0/1', description: 'a station used reports road surface temperature', source: WEATHER },
  { name: 'roadSurfaceStateKnown', unit: '0/1', description: 'a station used reports the road surface state', source: WEATHER },
  { name: 'roadMoist', unit: '0/1', description: 'weighted-majority surface state is moist', source: WEATHER },
  { name: 'roadWet', unit: '0/1', description: 'weighted-majority surface state is wet', source: WEATHER },
  { name: 'roadIce', unit: '0/1', description: 'weighted-majority surface state is ice', source: WEATHER },
  { name: 'roadSnow', unit: '0/1', description: 'weighted-majority surface state is snow', source: WEATHER },
  { name: 'freezingRisk', unit: '0/1', description: 'ice or snow on the road, or moisture with the road (else air) at or below freezingThresholdC (+ bridgeFreezingMarginC on bridges); 0 in tunnels and when missing', source: WEATHER },
] as const satisfies readonly ContextFeatureSpec[];

export type ContextFeatureName = (typeof CONTEXT_FEATURES)[number]['name'];

/** The feature names in order: column i of a context feature row. */
export const CONTEXT_FEATURE_NAMES: readonly ContextFeatureName[] = CONTEXT_FEATURES.map((f) => f.name);

export const CONTEXT_FEATURE_COUNT = CONTEXT_FEATURES.length;

/** A context feature row as a record, name to value. */
export type ContextFeatureRecord = Record<ContextFeatureName, number>;

/** Column of each feature in a row. */
export const FEATURE_INDEX: Readonly<Record<ContextFeatureName, number>> = Object.freeze(
  Object.fromEntries(CONTEXT_FEATURE_NAMES.map((n, i) => [n, i])) as Record<ContextFeatureName, number>,
);
