import type { Network } from '@saferoads/shared/network';
import { Rng } from '@saferoads/loop-sensor/random';
import { Projection, segmentSite, type Km } from './geo.js';
import { streamOf } from './noise.js';

/**
 * A precipitation band (a cold front) crossing the region in a straight line. `s`, the distance
 * ahead of its axis along its motion, is what everything else depends on.
 */
export interface Front {
  /** When its axis crosses the network's centre, epoch ms. */
  readonly passMs: number;
  /** Direction it moves towards, radians clockwise from north. */
  readonly headingRad: number;
  readonly speedKmh: number;
  /** e-folding half-width of the band, km. */
  readonly halfWidthKm: number;
  /** Precipitation on its axis, mm/h (water equivalent), before the cells' variation. */
  readonly peakMmH: number;
  /** How much colder it is behind it, °C. */
  readonly coolingC: number;
  /** Extra mean wind at its leading edge, m/s. */
  readonly windMs: number;
  /** The noise stream of its rain cells. */
  readonly cellStream: number;
}

/** A patch of radiation fog over low ground, formed in the small hours and burnt off after sunrise. */
export interface FogPatch {
  readonly at: Km;
  readonly radiusKm: number;
  /** Visibility at its centre when fully formed, m. */
  readonly minVisibilityM: number;
  /** Solar hours at which it forms and clears (with 45-minute ramps). */
  readonly formsH: number;
  readonly clearsH: number;
  /** Share of days it forms on. */
  readonly likelihood: number;
}

/** A spell of strong, gusty wind over the whole region (a föhn break-through, a squall). */
export interface GustSpell {
  readonly fromMs: number;
  readonly toMs: number;
  readonly extraWindMs: number;
}

export interface Scenario {
  readonly seed: number;
  readonly startMs: number;
  readonly projection: Projection;
  readonly fronts: readonly Front[];
  readonly fog: readonly FogPatch[];
  readonly gusts: readonly GustSpell[];
  /** Calm-weather mean wind, m/s. */
  readonly baseWindMs: number;
  /** Added to every temperature (a cold spell: --temperature-offset). */
  readonly temperatureOffsetC: number;
}

export interface ScenarioOptions {
  readonly seed: number;
  readonly startMs: number;
  /** The span the scenario must cover: fronts are laid out over it. */
  readonly fromMs: number;
  readonly untilMs: number;
  readonly temperatureOffsetC?: number;
}

const MINUTE = 60_000;
/** Typical time between fronts over the Alps: a few hours to a day; kept short so runs of hours see several. */
const FRONT_GAP_MIN: readonly [number, number] = [200, 420];

/**
 * The weather of a run, anchored at its start so a demo sees weather happen: the first front's
 * axis crosses the network's centre 20-50 minutes after the start, the next ones every 3-7 hours,
 * earlier ones before it (the spin-up of the road surfaces sees them). Fronts come from the
 * western half (moving east-north-east to east-south-east), at 25-55 km/h. Everything is drawn
 * from the seed's own streams: the same seed and start give the same weather.
 */
export function buildScenario(network: Network, o: ScenarioOptions): Scenario {
  const projection = new Projection(network);
  const fronts: Front[] = [];
  const first = o.startMs + new Rng(o.seed, 'weather', 'front-time').between(20, 50) * MINUTE;
  // Forwards from the first, then backwards, each front with its own stream.
  for (let k = 0, t = first; t < o.untilMs + 6 * 60 * MINUTE; k++) {
    fronts.push(front(o.seed, k, t));
    t += new Rng(o.seed, 'weather', 'front-gap', k).between(...FRONT_GAP_MIN) * MINUTE;
  }
  for (let k = -1, t = first; ; k--) {
    t -= new Rng(o.seed, 'weather', 'front-gap', k).between(...FRONT_GAP_MIN) * MINUTE;
    if (t < o.fromMs - 6 * 60 * MINUTE) break;
    fronts.unshift(front(o.seed, k, t));
  }

  // Fog forms over low ground: patches at the lowest third of the segments.
  const sites = network.segments.map((s) => ({ km: projection.toKm(segmentSite(s)), elevation: segmentSite(s).elevationM ?? 0 })).sort((a, b) => a.elevation - b.elevation);
  const low = sites.slice(0, Math.max(1, Math.ceil(sites.length / 3)));
  const fogRng = new Rng(o.seed, 'weather', 'fog');
  const fog: FogPatch[] = Array.from({ length: 2 + fogRng.int(3) }, () => ({
    at: low[fogRng.int(low.length)].km,
    radiusKm: fogRng.between(1.5, 4),
    minVisibilityM: fogRng.between(60, 250),
    formsH: fogRng.between(1.5, 5),
    clearsH: fogRng.between(8.5, 10.5),
    likelihood: fogRng.between(0.4, 0.8),
  }));

  const gustRng = new Rng(o.seed, 'weather', 'gust-spell');
  const gusts: GustSpell[] = [];
  if (gustRng.uniform() < 0.7) {
    const from = o.startMs + gustRng.between(5, 150) * MINUTE;
    gusts.push({ fromMs: from, toMs: from + gustRng.between(20, 60) * MINUTE, extraWindMs: gustRng.between(5, 9) });
  }

  return {
    seed: o.seed,
    startMs: o.startMs,
    projection,
    fronts,
    fog,
    gusts,
    baseWindMs: new Rng(o.seed, 'weather', 'wind').between(1.5, 4),
    temperatureOffsetC: o.temperatureOffsetC ?? 0,
  };
}

function front(seed: number, k: number, passMs: number): Front {
  const r = new Rng(seed, 'weather', 'front', k);
  return {
    passMs,
    headingRad: (r.between(60, 120) * Math.PI) / 180,
    speedKmh: r.between(25, 55),
    halfWidthKm: r.between(8, 20),
    // Log-uniform: light fronts are common, heavy ones are not; the first one is at least moderate.
    peakMmH: k === 0 ? Math.exp(r.between(Math.log(3), Math.log(8))) : Math.exp(r.between(Math.log(0.5), Math.log(10))),
    coolingC: r.between(1.5, 4),
    windMs: r.between(2, 6),
    cellStream: streamOf(seed, `front-cells-${k}`),
  };
}
