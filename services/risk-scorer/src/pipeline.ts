import type { ContextFeatureAssembler, WeatherTable } from '@saferoads/context';
import type { FeatureSpec } from '@saferoads/model-spec';
import type { TrafficStats } from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';
import { AlertMachine } from './alerts/alert-machine.js';
import type { AlertConfig } from './alerts/config.js';
import type { AlertEvent } from './alerts/types.js';
import { FeatureBatchBuilder } from './features/batch.js';
import type { JoinConfig } from './join/config.js';
import { StatsJoin, type JoinStep, type StatsJoinState } from './join/stats-join.js';
import type { JoinedMinute } from './join/types.js';
import type { ModelSlot } from './model/model-slot.js';
import type { ScoresConfig } from './scores/config.js';
import { RiskScoring, type SegmentScore } from './scores/score-minute.js';
import type { AlertMachineState } from './alerts/alert-machine.js';
import type { ThresholdsSource } from './thresholds/schedule.js';

export interface RiskPipelineOptions {
  readonly network: Network;
  readonly spec: FeatureSpec;
  /** Built from the same network. */
  readonly assembler: ContextFeatureAssembler;
  readonly weather: WeatherTable;
  readonly model: ModelSlot;
  /**
   * A shadow model: scores the same feature batch after the live model, for comparison only. Its
   * scores never reach the alerts, and its failure never fails the minute.
   */
  readonly shadow?: ModelSlot;
  /** The segments scored here (all by default). */
  readonly scored?: (segmentId: string) => boolean;
  readonly join?: Partial<JoinConfig>;
  readonly scores?: Partial<ScoresConfig>;
  readonly alerts?: Partial<AlertConfig>;
  /**
   * The level cut points and alert hysteresis in force for each minute, by its window end (the
   * thresholds table); `scores` and `alerts` alone when absent.
   */
  readonly thresholds?: ThresholdsSource;
}

/** A minute scored: every segment's score and the alert events they caused, in segment order. */
export interface ScoredMinute {
  readonly minute: JoinedMinute;
  readonly scores: readonly SegmentScore[];
  readonly alerts: readonly AlertEvent[];
  /** The shadow model's scores of the same batch (with a shadow model, unless it failed). */
  readonly shadow?: readonly SegmentScore[];
  /** Why the shadow model could not score this minute (the live scores stand). */
  readonly shadowError?: Error;
  /** The thresholds version the minute was scored and alerted with; 0: the configured defaults. */
  readonly thresholdsVersion: number;
}

/** What a snapshot of the pipeline keeps: the join's open minutes and the alert states. */
export interface RiskPipelineState {
  readonly join: StatsJoinState;
  readonly alerts: AlertMachineState;
}

/**
 * The risk-scorer's core without I/O: stats records in (add, tick, flush give the minutes ready),
 * each minute scored in one inference with the running model (score), then through the alert
 * state machine. The caller owns the clock, the order of calls and where outputs go.
 */
export class RiskPipeline {
  readonly join: StatsJoin;
  readonly features: FeatureBatchBuilder;
  readonly scoring: RiskScoring;
  readonly alerts: AlertMachine;

  constructor(private readonly opts: RiskPipelineOptions) {
    this.join = new StatsJoin({ network: opts.network, scored: opts.scored, config: opts.join });
    this.features = new FeatureBatchBuilder({ spec: opts.spec, network: opts.network, assembler: opts.assembler });
    this.scoring = new RiskScoring({ spec: opts.spec, config: opts.scores });
    this.alerts = new AlertMachine(opts.alerts);
  }

  add(record: TrafficStats, nowMs: number): JoinStep {
    return this.join.add(record, nowMs);
  }

  tick(nowMs: number): JoinedMinute[] {
    return this.join.tick(nowMs);
  }

  flush(): JoinedMinute[] {
    return this.join.flush();
  }

  /**
   * Scores a minute with the weather table as it is now, the model running now (one model for
   * the whole minute) and the thresholds in force for its window end, then applies the scores to
   * the alerts. Minutes must be scored in the order
   * the join emits them, one at a time. A shadow model then scores the same batch.
   */
  async score(minute: JoinedMinute): Promise<ScoredMinute> {
    const t = this.opts.thresholds?.at(minute.windowEndMs);
    const cut = t ?? this.scoring.config;
    const alertConfig = t?.alerts ?? this.alerts.config;
    const thresholdsVersion = t?.version ?? 0;
    const batch = this.features.build(minute, this.opts.weather);
    const scores = await this.opts.model.use((model) => this.scoring.score(batch, model, cut));
    const alerts: AlertEvent[] = [];
    for (const s of scores) {
      const { event } = this.alerts.process(s, alertConfig);
      if (event) alerts.push(event);
    }
    if (!this.opts.shadow) return { minute, scores, alerts, thresholdsVersion };
    try {
      const shadow = await this.opts.shadow.use((model) => this.scoring.score(batch, model, cut));
      return { minute, scores, alerts, shadow, thresholdsVersion };
    } catch (err) {
      return { minute, scores, alerts, shadowError: err instanceof Error ? err : new Error(String(err)), thresholdsVersion };
    }
  }

  save(): RiskPipelineState {
    return { join: this.join.save(), alerts: this.alerts.save() };
  }

  restore(state: RiskPipelineState): void {
    this.join.restore(state.join);
    this.alerts.restore(state.alerts);
  }
}
