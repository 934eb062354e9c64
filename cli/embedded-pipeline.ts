import type { WeatherBatch } from '@saferoads/weather-sim';
import { WeatherSimulator } from '@saferoads/weather-sim';
import { LoopSimulator, pace, type Incident } from '@saferoads/loop-sensor';
import type { FeatureSpec } from '@saferoads/model-spec';
import type { AlertConfig, ModelSlot, ScoredMinute, ScoresConfig } from '@saferoads/risk-scorer';
import { DEFAULT_RISK_TOPICS, riskTopicSpecs, startRiskRunner, type RiskRunner } from '@saferoads/risk-scorer/bus';
import { InProcessBus } from '@saferoads/shared/bus';
import type { TrafficStats } from '@saferoads/shared/contracts';
import type { Logger } from '@saferoads/shared/logger';
import type { Network } from '@saferoads/shared/network';
import { TOPICS } from '@saferoads/shared/topics';
import { startStatsRunner, statsTopicSpecs, type StatsRunner } from '@saferoads/traffic-stats';

export interface EmbeddedPipelineOptions {
  readonly network: Network;
  readonly spec: FeatureSpec;
  /** The running model (the committed one, loaded by the caller). */
  readonly model: ModelSlot;
  readonly log: Logger;
  readonly seed: number;
  /** Simulated seconds per wall-clock second; 0 runs as fast as it can. */
  readonly speed: number;
  readonly startMs: number;
  readonly minutes: number;
  /** Partitions of every topic (default 1). */
  readonly partitions?: number;
  readonly incidents?: readonly Incident[];
  /** Added to every simulated temperature (a cold spell brings snow and ice). */
  readonly temperatureOffsetC?: number;
  readonly scores?: Partial<ScoresConfig>;
  readonly alerts?: Partial<AlertConfig>;
  /** Every committed stats record (the live view). */
  readonly onStats?: (record: TrafficStats) => void;
  /** Every committed scored minute of a partition, with its alert events (the live view). */
  readonly onScored?: (scored: ScoredMinute) => void;
}

export interface EmbeddedPipeline {
  /** The in-process bus every stage runs on: loop.detections, weather.observations, traffic.stats, risk.scores, risk.alerts, risk.thresholds. */
  readonly bus: InProcessBus;
  /** Event time as the simulator paces it (the alert API's clock for thresholds' effective times). */
  readonly clock: () => number;
  readonly stats: StatsRunner;
  readonly risk: RiskRunner;
  readonly weather: WeatherSimulator;
  readonly simulator: LoopSimulator;
  /**
   * Runs the simulation to its end (or until stop), then lets every stage take in what is queued
   * and scores the last minutes; resolves when done. Call once.
   */
  run(): Promise<void>;
  /** Stops everything; with `flush` (the end of a finite run) the open windows and minutes are closed first. */
  stop(opts?: { flush?: boolean }): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The embedded main job (docs/cli.md, `saferoads start`): the loop simulator with the weather
 * simulator's effects on traffic, the weather stations' readings on weather.observations, the
 * traffic-stats stage and the risk scorer (its relay, its global weather and thresholds tables and
 * its runner with the given model) over one in-process bus. Other stages (the alert API, the
 * dashboard) attach to `bus` as consumers of risk.scores and risk.alerts, and the alert API
 * publishes the thresholds admins set on risk.thresholds.
 */
export async function startEmbeddedPipeline(o: EmbeddedPipelineOptions): Promise<EmbeddedPipeline> {
  const partitions = o.partitions ?? 1;
  const bus = new InProcessBus();
  await bus.ensureTopics([
    ...statsTopicSpecs(partitions),
    // Compacted: a stage attached later still finds each station's newest reading.
    { name: TOPICS.weather, partitions, config: { 'cleanup.policy': 'compact' } },
    ...riskTopicSpecs(partitions),
  ]);
  // Event time as the simulator paces it: idle partitions' watermarks and the join's waits follow this clock.
  const t0 = Date.now();
  const wallClock = () => o.startMs + (Date.now() - t0) * o.speed;
  const stats = await startStatsRunner({ bus, network: o.network, log: o.log, wallClock, ...(o.onStats && { onStats: (r: TrafficStats) => o.onStats!(r) }) });
  const risk = await startRiskRunner({
    bus,
    network: o.network,
    spec: o.spec,
    model: o.model,
    log: o.log,
    wallClock,
    scores: o.scores,
    alerts: o.alerts,
    ...(o.onScored && { onScored: o.onScored }),
  });
  const weatherOpts = { network: o.network, seed: o.seed, startMs: o.startMs, minutes: o.minutes, temperatureOffsetC: o.temperatureOffsetC ?? 0 };
  // One weather simulator reports the stations' readings, one slows the traffic: the same weather (as `saferoads simulate --weather`).
  const weather = new WeatherSimulator(weatherOpts);
  const simulator = new LoopSimulator({
    network: o.network,
    seed: o.seed,
    startMs: o.startMs,
    minutes: o.minutes,
    incidents: [...(o.incidents ?? [])],
    weather: new WeatherSimulator(weatherOpts).effects(),
  });

  let stopping = false;
  let stopped: Promise<void> | null = null;
  const stop = ({ flush = false } = {}) =>
    (stopped ??= (async () => {
      stopping = true;
      await stats.stop({ flush });
      if (flush) await caughtUp(() => behind(TOPICS.stats, risk.relay.positions()) || behind(DEFAULT_RISK_TOPICS.relay, risk.positions()));
      await risk.stop({ flush });
      await bus.close();
    })());

  /** Whether a reader at `positions` is behind the topic's end. */
  let ends = new Map<string, number[]>();
  const behind = (topic: string, positions: ReadonlyMap<number, number>) => (ends.get(topic) ?? []).some((e, p) => e > 0 && (positions.get(p) ?? 0) < e);
  // Twice in a row with fresh end offsets: a stage may have written more between reading the
  // ends and the positions (the relay's copies), which a single check could miss.
  const caughtUp = async (isBehind: () => boolean) => {
    for (let clear = 0; clear < 2; ) {
      ends = new Map(await Promise.all([TOPICS.detections, TOPICS.stats, DEFAULT_RISK_TOPICS.relay].map(async (t) => [t, await bus.endOffsets(t)] as const)));
      clear = isBehind() ? 0 : clear + 1;
      await sleep(20);
    }
  };

  const run = async () => {
    const producer = bus.producer();
    const rounds: Iterator<WeatherBatch> = weather.batches();
    let round = rounds.next();
    for await (const batch of pace(simulator.batches(), o.speed)) {
      if (stopping) return;
      // The stations' readings up to this moment go first, so the scorer's table is as fresh as the traffic.
      while (!round.done && round.value.fromMs <= batch.fromMs) {
        const obs = round.value.observations;
        if (obs.length > 0) await producer.send(TOPICS.weather, obs.map((w) => ({ key: w.stationId, value: JSON.stringify(w), timestamp: w.ts })));
        round = rounds.next();
      }
      const records = batch.detections.map((d) => ({ key: o.network.detectors.get(d.detectorId)?.segmentId ?? null, value: JSON.stringify(d), timestamp: d.ts }));
      await producer.send(TOPICS.detections, records);
    }
    if (stopping) return;
    // The simulation ran to its end: let the stage take in what is queued, then close the last windows and minutes.
    await caughtUp(() => behind(TOPICS.detections, stats.positions()));
    await stop({ flush: true });
  };

  return { bus, clock: wallClock, stats, risk, weather, simulator, run, stop };
}
