import { ContextFeatureAssembler, InMemoryWeatherTable } from '@saferoads/context';
import { loadFeatureSpec } from '@saferoads/model-spec';
import type { RiskAlert, RiskScore, RiskThresholdsRecord, TrafficStats, WeatherObservation } from '@saferoads/shared/contracts';
import { toRiskAlert, toRiskScore } from '../bus/encode.js';
import { linearScorer } from '../model/function-scorer.js';
import { ModelSlot } from '../model/model-slot.js';
import { RiskPipeline } from '../pipeline.js';
import type { ThresholdsSource } from '../thresholds/schedule.js';
import { chainNetwork } from './network.js';
import { MINUTE_MS, stats, T0 } from './stats.js';

/**
 * The bus runner's test scenario, shared by the in-process and the Kafka tests: eight segments in
 * a row, a rain reading, a model whose answers are known, and the pure pipeline's answer.
 */
export const scenarioSpec = loadFeatureSpec();
export const scenarioIds = ['S0', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7'];
export const scenarioNetwork = chainNetwork(scenarioIds);
export const scenarioAssembler = new ContextFeatureAssembler(scenarioNetwork);
export const scenarioScores = { levels: { elevated: 1.25, high: 1.5, severe: 3 } };
export const scenarioAlerts = { raiseAfterMinutes: 2, resolveAfterMinutes: 2 };
export const scenarioRain: WeatherObservation = { stationId: 'W1', lat: 47.28, lon: 11.4, ts: T0, precipitationMmH: 2, precipitationType: 'rain', visibilityM: 5_000, windSpeedMs: 3, airTemperatureC: 8 };
export const SCENARIO_MODEL_VERSION = 'speed-rain-1';

/**
 * A thresholds change from minute 6: high from 1.9 (the slow segments' 1.875 becomes elevated)
 * and alerts resolved after one clear minute instead of two.
 */
export const scenarioThresholdsRecord: RiskThresholdsRecord = {
  version: 1,
  effectiveFromMs: T0 + 6 * MINUTE_MS,
  thresholds: {
    levelBasis: 'relativeRisk',
    levels: { elevated: 1.25, high: 1.9, severe: 3 },
    alerts: { raiseLevel: 'high', raiseAfterMinutes: 2, escalateAfterMinutes: 1, deescalateAfterMinutes: 3, clearBelow: 'elevated', resolveAfterMinutes: 1 },
  },
  setBy: 'ada',
  setAtMs: T0 + 5 * MINUTE_MS + 7_000,
  note: 'fewer high minutes',
  earlier: [],
};

export const SCENARIO_SHADOW_VERSION = 'speed-rain-shadow-1';

/** bias - speed/speedDivisor + rain/rainDivisor; reference speed 128 km/h, dry. */
function speedRainModel(version: string, speedDivisor: number, rainDivisor: number): ModelSlot {
  const spec = scenarioSpec;
  const w = new Array<number>(spec.features.length).fill(0);
  w[spec.features.findIndex((f) => f.name === 'harmonicMeanSpeedKmh_1m')] = -1 / speedDivisor;
  w[spec.features.findIndex((f) => f.name === 'precipitationMmH')] = 1 / rainDivisor;
  const reference = Float32Array.from(spec.features, (f) => f.default);
  reference[spec.features.findIndex((f) => f.name === 'harmonicMeanSpeedKmh_1m')] = 128;
  return new ModelSlot(linearScorer(version, w, 0.5, reference));
}

/** risk = 1/2 - speed/512 + rain/64 (dyadic: exact in float32); reference speed 128 km/h, dry. */
export function scenarioModel(): ModelSlot {
  return speedRainModel(SCENARIO_MODEL_VERSION, 512, 64);
}

/** Another model for the shadow slot: risk = 1/2 - speed/1024 + rain/32 (S3 slow in the rain: 0.53125). */
export function scenarioShadowModel(): ModelSlot {
  return speedRainModel(SCENARIO_SHADOW_VERSION, 1024, 32);
}

/**
 * Minutes 1..n, every segment, both windows; S3 slows from 120 to 32 km/h in minutes 2-4, S6 in
 * 3-7 (relative risk 1.875, high; at 120 km/h in the rain 1.1875, low).
 */
export function scenarioInput(minutes: number): TrafficStats[] {
  const out: TrafficStats[] = [];
  for (let m = 1; m <= minutes; m++) {
    for (const id of scenarioIds) {
      const slow = (id === 'S3' && m >= 2 && m <= 4) || (id === 'S6' && m >= 3 && m <= 7);
      for (const w of ['1m', '10m'] as const) out.push(stats(id, w, T0 + m * MINUTE_MS, { harmonicMeanSpeedKmh: slow ? 32 : 120 }));
    }
  }
  return out;
}

/**
 * The same records through one RiskPipeline, in order, as published (through JSON): what a runner
 * must publish. `model` is the scenario's model unless given (a shadow model's answer alone);
 * `thresholds` the thresholds table, when the runner has one.
 */
export async function scenarioOffline(records: readonly TrafficStats[], model: ModelSlot = scenarioModel(), thresholds?: ThresholdsSource): Promise<{ scores: RiskScore[]; alerts: RiskAlert[] }> {
  const table = new InMemoryWeatherTable();
  table.upsert(scenarioRain);
  const p = new RiskPipeline({
    network: scenarioNetwork,
    spec: scenarioSpec,
    assembler: scenarioAssembler,
    weather: table,
    model,
    scores: scenarioScores,
    alerts: scenarioAlerts,
    thresholds,
  });
  const scores: RiskScore[] = [];
  const alerts: RiskAlert[] = [];
  const names = scenarioSpec.features.map((f) => f.name);
  for (const minute of [...records.flatMap((r) => p.add(r, 0).emitted), ...p.flush()]) {
    const s = await p.score(minute);
    // Through JSON, as published (a -0 difference becomes 0).
    scores.push(...s.scores.map((x) => JSON.parse(JSON.stringify(toRiskScore(x, names))) as RiskScore));
    alerts.push(...s.alerts.map((e) => JSON.parse(JSON.stringify(toRiskAlert(e, model.current.version))) as RiskAlert));
  }
  return { scores, alerts };
}

export const byScoreKey = (xs: readonly RiskScore[]) => new Map(xs.map((s) => [`${s.segmentId}@${s.windowEndMs}`, s]));
export const byEventId = (xs: readonly RiskAlert[]) => new Map(xs.map((a) => [a.eventId, a]));
