import { FEATURE_INDEX as C, CONTEXT_FEATURE_COUNT, InMemoryWeatherTable, type ContextFeatureAssembler } from '@saferoads/context';
import { LoopSimulator } from '@saferoads/loop-sensor';
import type { FeatureRowBuilder, WindowRecords } from '@saferoads/model-spec';
import type { TrafficStats, WeatherObservation } from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';
import { TrafficStatsStage } from '@saferoads/traffic-stats/stage';
import { SurfaceModel, WeatherSimulator, conditionsAt, segmentSite, type WeatherBatch } from '@saferoads/weather-sim';
import { crashOccurs, hashString, mix32 } from '../draw.js';
import { hazardPerMinute, type HazardInputs, type HazardParameters } from '../hazard.js';
import { HorizonLabeller } from '../labels.js';
import type { RunPlan } from './plan.js';

const MINUTE_MS = 60_000;

/** One labelled segment-minute: the model's inputs, the true hazard and what happened next. */
export interface DatasetRow {
  readonly run: string;
  readonly segmentId: string;
  /** End of the scored 1-minute window (epoch ms): the label covers the `horizon` minutes from here. */
  readonly windowEndMs: number;
  /** The features in the spec's order. */
  readonly features: Float32Array;
  /** The true hazard (expected crashes) of the window's own minute. */
  readonly hazardNow: number;
  /** Expected crashes in the horizon: the oracle's 1 − e^(−Λ) is the best any model can predict. */
  readonly hazardAhead: number;
  /** Crashes in the horizon; the label is crashesAhead > 0. */
  readonly crashesAhead: number;
}

export interface RunCounters {
  minutes: number;
  rows: number;
  crashes: number;
  positives: number;
  detections: number;
}

/** What every run of a dataset shares: the network and the pieces built from it once. */
export interface DatasetContext {
  readonly network: Network;
  readonly rows: FeatureRowBuilder;
  readonly context: ContextFeatureAssembler;
  readonly hazard: HazardParameters;
  readonly horizonMinutes: number;
  /** Told of every crash the process draws (a crash list in the form a road authority keeps one). */
  readonly onCrash?: (crash: { readonly run: string; readonly segmentId: string; readonly minuteMs: number; readonly hazard: number }) => void;
}

/** Count-weighted mean space-mean speed of the neighbours' records that have one. */
function neighbourSpeed(list: readonly (TrafficStats | undefined)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const r of list) {
    if (r === undefined || r.harmonicMeanSpeedKmh === null || r.count === 0) continue;
    sum += r.harmonicMeanSpeedKmh * r.count;
    n += r.count;
  }
  return n > 0 ? sum / n : null;
}

/**
 * Simulates one run (traffic with the weather's effects, weather stations, the traffic-stats
 * stage, the context features and the crash process) and hands every labelled segment-minute to
 * `onMinute`, one minute's rows at a time, in time order. Rows start once the first 10-minute
 * window has closed and stop `horizon` minutes before the end (their future must be known).
 *
 * Three weather simulators with the same options give the same weather: one drives the traffic,
 * one reports the stations' readings, one gives the truth at each segment for the hazard. Each
 * keeps road-surface state that only steps forward, and the three are read at different moments.
 */
export function* simulateRun(ctx: DatasetContext, plan: RunPlan): Generator<DatasetRow[], RunCounters> {
  const { network, rows, context, hazard: params } = ctx;
  const segments = network.segments;
  const n = segments.length;
  const indexOf = new Map(segments.map((s, i) => [s.id, i]));
  const known = (ids: readonly string[]) => ids.map((id) => indexOf.get(id)).filter((i): i is number => i !== undefined);
  const up = segments.map((s) => known(s.upstream));
  const down = segments.map((s) => known(s.downstream));

  const weatherOpts = { network, seed: plan.seed, startMs: plan.startMs, minutes: plan.minutes, temperatureOffsetC: plan.temperatureOffsetC };
  // The truth at each segment's middle, as WeatherSimulator.conditionsOf gives it, with the sites computed once.
  const truth = new WeatherSimulator(weatherOpts);
  const sites = segments.map((s) => segmentSite(s));
  const surfaces = sites.map((site) => new SurfaceModel(truth.scenario, site));
  const stations = new WeatherSimulator(weatherOpts);
  const traffic = new LoopSimulator({
    network,
    seed: plan.seed,
    startMs: plan.startMs,
    minutes: plan.minutes,
    demandFactor: plan.demandFactor,
    incidents: plan.incidents,
    weather: new WeatherSimulator(weatherOpts).effects(),
  });

  const silent = new Set<string>();
  if (plan.stationOutage) {
    const salt = mix32(plan.seed ^ 0x51ed270b);
    for (const s of stations.stations) if (mix32(salt ^ hashString(s.stationId)) / 0x1_0000_0000 < plan.stationOutage.share) silent.add(s.stationId);
  }
  const outage = plan.stationOutage;
  const heard = (o: WeatherObservation) => !(outage && silent.has(o.stationId) && o.ts >= outage.fromMs && o.ts < outage.toMs);

  // Closed windows by their end: the stage closes both windows of a minute for every segment at once.
  const closed = new Map<number, { m1: (TrafficStats | undefined)[]; m10: (TrafficStats | undefined)[] }>();
  const stage = new TrafficStatsStage({
    network,
    sink: {
      stats: (r) => {
        let c = closed.get(r.windowEndMs);
        if (!c) closed.set(r.windowEndMs, (c = { m1: new Array(n), m10: new Array(n) }));
        (r.window === '1m' ? c.m1 : c.m10)[indexOf.get(r.segmentId)!] = r;
      },
      late: () => {},
      rejected: (_d, errors) => {
        throw new Error(`the simulator produced a detection the stage refused: ${errors.map((e) => `${e.field}: ${e.reason}`).join('; ')}`);
      },
    },
  });

  const table = new InMemoryWeatherTable();
  const rounds: Iterator<WeatherBatch> = stations.batches();
  let nextRound = rounds.next();
  const ctxRows = new Float64Array(n * CONTEXT_FEATURE_COUNT);
  const labeller = new HorizonLabeller<Float32Array>(n, ctx.horizonMinutes);
  const counters: RunCounters = { minutes: 0, rows: 0, crashes: 0, positives: 0, detections: 0 };

  const minuteRows = (endMs: number): DatasetRow[] => {
    const c = closed.get(endMs)!;
    closed.delete(endMs);
    const m = endMs - MINUTE_MS;
    // The scorer sees the readings taken before the window's end.
    while (!nextRound.done && nextRound.value.fromMs < endMs) {
      for (const o of nextRound.value.observations) if (heard(o)) table.upsert(o);
      nextRound = rounds.next();
    }
    context.writeAll(m, table, ctxRows);
    counters.minutes++;
    const out: DatasetRow[] = [];
    for (let i = 0; i < n; i++) {
      const seg = segments[i];
      const r1 = c.m1[i];
      const r10 = c.m10[i];
      const k = i * CONTEXT_FEATURE_COUNT;
      let payload: Float32Array | undefined;
      if (r1 !== undefined && r10 !== undefined) {
        payload = new Float32Array(rows.width);
        rows.write(
          {
            own: { '1m': r1, '10m': r10 },
            upstream: up[i].map((j) => ({ '1m': c.m1[j], '10m': c.m10[j] }) as WindowRecords),
            downstream: down[i].map((j) => ({ '1m': c.m1[j], '10m': c.m10[j] }) as WindowRecords),
            context: ctxRows,
            contextOffset: k,
          },
          payload,
        );
      }
      const weather = conditionsAt(truth.scenario, sites[i], m + MINUTE_MS / 2);
      const road = surfaces[i].at(m + MINUTE_MS / 2);
      const inputs: HazardInputs = {
        lengthM: ctxRows[k + C.lengthM],
        lanes: ctxRows[k + C.lanes],
        flowVehH: r1?.flowVehH ?? 0,
        speedKmh: r1?.harmonicMeanSpeedKmh ?? null,
        speed10Kmh: r10?.harmonicMeanSpeedKmh ?? null,
        speedStd10Kmh: r10?.speedStdKmh ?? null,
        densityVehKm: r1?.densityVehKm ?? 0,
        upstreamSpeedKmh: neighbourSpeed(up[i].map((j) => c.m1[j])),
        downstreamSpeedKmh: neighbourSpeed(down[i].map((j) => c.m1[j])),
        precipitationMmH: weather.precipitationMmH,
        // As the stations report it: below 0.05 mm/h nothing falls.
        precipitationType: weather.precipitationMmH >= 0.05 ? weather.precipitationType : 'none',
        visibilityM: weather.visibilityM,
        roadSurface: road.state,
        dark: ctxRows[k + C.dark] === 1,
        twilight: ctxRows[k + C.twilight] === 1,
        sunGlare: ctxRows[k + C.sunGlare],
        minRadiusM: ctxRows[k + C.minRadiusM],
        holiday: ctxRows[k + C.holiday] === 1,
        tunnel: ctxRows[k + C.tunnel] === 1,
      };
      const h = hazardPerMinute(inputs, params);
      const crash = crashOccurs(plan.seed, seg.id, m, h) ? 1 : 0;
      counters.crashes += crash;
      if (crash === 1) ctx.onCrash?.({ run: plan.id, segmentId: seg.id, minuteMs: m, hazard: h });
      const done = labeller.push(i, m / MINUTE_MS, h, crash, payload);
      if (done) {
        counters.rows++;
        if (done.crashesAhead > 0) counters.positives++;
        out.push({
          run: plan.id,
          segmentId: seg.id,
          windowEndMs: (done.minute + 1) * MINUTE_MS,
          features: done.payload,
          hazardNow: done.hazardNow,
          hazardAhead: done.hazardAhead,
          crashesAhead: done.crashesAhead,
        });
      }
    }
    return out;
  };

  const ready = function* (): Generator<DatasetRow[]> {
    if (closed.size === 0) return;
    for (const endMs of [...closed.keys()].sort((a, b) => a - b)) yield minuteRows(endMs);
  };

  for (const batch of traffic.batches()) {
    for (const d of batch.detections) stage.process(d, 0);
    counters.detections += batch.detections.length;
    yield* ready();
  }
  stage.flush();
  yield* ready();
  return counters;
}
