import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { loadFeatureSpec, type FeatureSpec } from '@saferoads/model-spec';
import type { Bus } from '@saferoads/shared/bus';
import { SaferoadsError } from '@saferoads/shared/errors';
import type { Logger } from '@saferoads/shared/logger';
import type { Network } from '@saferoads/shared/network';
import { httpErrors, opsRoutes, Readiness, ServiceMetrics } from '@saferoads/shared/service';
import { startRiskRunner, type RiskRunner } from '../bus-runner.js';
import type { RiskTopics } from '../bus/topics.js';
import { loadOnnxModel, type OnnxModelFiles } from '../model/onnx-scorer.js';
import { coreConfig, type RiskScorerServiceConfig } from './config.js';
import { instrumented } from './instrumented-model.js';
import { modelFiles } from './model-files.js';
import { ModelReloader, type ReloadOutcome, type SlotName } from './model-reloader.js';
import { riskScorerMetrics, type RiskScorerMetrics } from './metrics.js';

/** Offsets for consumer lag (KafkaBus has them; without, no lag is reported). */
export interface OffsetReader {
  endOffsets(topic: string): Promise<number[]>;
  committedOffsets(groupId: string, topic: string): Promise<(number | null)[]>;
}

export interface RiskScorerServiceOptions {
  readonly bus: Bus;
  readonly network: Network;
  readonly config: RiskScorerServiceConfig;
  readonly topics: Required<RiskTopics>;
  /** The service's one logger. */
  readonly log: Logger;
  readonly offsets?: OffsetReader;
  readonly metrics?: ServiceMetrics;
  /** The join's clock (tests); Date.now by default. */
  readonly wallClock?: () => number;
}

/**
 * The risk scorer as a service: the ops endpoints (/healthz, /readyz, /metrics) first, so probes
 * get an answer while it starts; then start() loads the feature spec and the models (a refused
 * model fails the start), runs the relay and scorer (startRiskRunner) with the weather and
 * thresholds feeds, and
 * keeps the models in step with their files (ModelReloader). stop() is the graceful shutdown:
 * the batch in hand is finished, published and committed, then everything disconnects.
 */
export class RiskScorerService {
  readonly app: FastifyInstance;
  readonly readiness = new Readiness();
  readonly metrics: ServiceMetrics;
  private readonly m: RiskScorerMetrics;
  private readonly reloaders = new Map<SlotName, ModelReloader>();
  private runner: RiskRunner | undefined;
  private phase: 'models' | 'weather' | 'running' | 'stopped' = 'models';
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly opts: RiskScorerServiceOptions) {
    this.metrics = opts.metrics ?? new ServiceMetrics('risk-scorer');
    this.m = riskScorerMetrics(this.metrics);
    this.app = Fastify({ loggerInstance: opts.log.child({ stage: 'http' }) as FastifyBaseLogger });
    const { topics } = opts;
    this.readiness
      .add('bus', async () => {
        await opts.bus.partitionsOf(topics.stats);
      })
      .add('model', () => {
        if (!this.reloaders.has('live')) throw new Error('no model loaded yet');
        if (opts.config.shadowModelPath !== undefined && !this.reloaders.has('shadow')) throw new Error('the shadow model is not loaded yet');
      })
      .add('weather', () => {
        if (this.phase === 'models' || this.phase === 'weather') throw new Error(`the weather table is catching up with ${topics.weather}`);
      })
      .add('thresholds', () => {
        if (this.phase === 'models' || this.phase === 'weather') throw new Error(`the thresholds table is catching up with ${topics.thresholds}`);
      })
      .add('consumer', () => {
        if (!this.runner) throw new Error('the scorer has not joined its consumer group yet');
        if (this.runner.assigned().length === 0) throw new Error(`no partition of ${topics.relay} assigned yet (or more instances than partitions)`);
      });
  }

  /** Registers the ops routes; call before listen(). */
  async ready(): Promise<FastifyInstance> {
    await this.app.register(opsRoutes, { metrics: this.metrics, readiness: this.readiness, log: this.opts.log });
    await this.app.register(httpErrors);
    await this.app.ready();
    return this.app;
  }

  async start(): Promise<void> {
    const { config: cfg, log, topics, bus } = this.opts;
    const spec = loadFeatureSpec(cfg.specPath);
    log.info({ specPath: cfg.specPath, specVersion: spec.specVersion, features: spec.features.length }, 'feature spec loaded');
    await this.checkPartitions();
    const live = await this.open('live', spec, modelFiles(cfg.modelPath, cfg.modelMetadataPath));
    const shadow = cfg.shadowModelPath === undefined ? undefined : await this.open('shadow', spec, modelFiles(cfg.shadowModelPath, cfg.shadowModelMetadataPath));

    this.phase = 'weather';
    const core = coreConfig(cfg);
    this.runner = await startRiskRunner({
      bus,
      network: this.opts.network,
      spec,
      model: live.model,
      shadow: shadow?.model,
      log,
      topics,
      groupId: cfg.groupId,
      wallClock: this.opts.wallClock,
      tickMs: cfg.tickMs,
      join: core.join,
      scores: core.scores,
      alerts: core.alerts,
      includeFeatures: cfg.includeFeatures,
      onScored: (s) => this.m.published(s),
    });
    this.phase = 'running';
    log.info({ group: cfg.groupId, live: live.model.current.version, shadow: shadow?.model.current.version ?? null }, 'scoring');
    for (const r of this.reloaders.values()) r.watch(cfg.modelWatchIntervalMs);
    const runner = this.runner;
    const sync = setInterval(() => this.m.sync(runner.relay.counters, runner.counters, { feed: runner.thresholdsFeed?.counters() ?? null, latestVersion: runner.thresholds.latestVersion }), 1_000);
    this.timers.push(sync);
    if (this.opts.offsets) this.timers.push(setInterval(() => void this.measureLag(), cfg.lagIntervalMs));
    for (const t of this.timers) t.unref();
  }

  /** Ends when the scorer's or the relay's consumer stops by itself (a failed commit): the process must exit. */
  get done(): Promise<void> {
    if (!this.runner) return new Promise(() => undefined);
    return Promise.race([this.runner.done, this.runner.relay.done]);
  }

  /** Checks every model's files now and reloads what changed (SIGHUP). */
  async reload(): Promise<(ReloadOutcome | null)[]> {
    return Promise.all([...this.reloaders.values()].map((r) => r.check({ force: true })));
  }

  /** The running version per slot. */
  versions(): Partial<Record<SlotName, string>> {
    return Object.fromEntries([...this.reloaders].map(([slot, r]) => [slot, r.model.current.version]));
  }

  async stop(): Promise<void> {
    this.readiness.markStopping();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    // Not flushed: open minutes stay in the committed snapshot for whoever takes the partitions.
    await this.runner?.stop();
    if (this.runner) this.m.sync(this.runner.relay.counters, this.runner.counters, { feed: this.runner.thresholdsFeed?.counters() ?? null, latestVersion: this.runner.thresholds.latestVersion });
    await Promise.all([...this.reloaders.values()].map((r) => r.close()));
    await this.app.close();
    this.phase = 'stopped';
  }

  private async open(slot: SlotName, spec: FeatureSpec, files: Required<OnnxModelFiles>): Promise<ModelReloader> {
    const { config: cfg, log } = this.opts;
    const reloader = await ModelReloader.open({
      slot,
      files,
      log: log.child({ stage: 'model' }),
      load: async (f) => instrumented(await loadOnnxModel(f, spec, { intraOpNumThreads: cfg.onnxThreads }), (rows, s) => this.m.inference(slot, rows, s)),
      onReload: (r) => this.m.reload(r),
    });
    this.reloaders.set(slot, reloader);
    this.m.model(slot, reloader.model.current.version);
    return reloader;
  }

  /** Checkpoints live on the partition of the relay partition's number: the topic needs as many. */
  private async checkPartitions(): Promise<void> {
    const { bus, topics } = this.opts;
    const [relay, checkpoints] = await Promise.all([bus.partitionsOf(topics.relay), bus.partitionsOf(topics.checkpoints)]);
    if (checkpoints < relay) {
      throw new SaferoadsError('CONFIG_INVALID', `topic ${topics.checkpoints} has ${checkpoints} partitions, fewer than ${topics.relay} (${relay}): each relay partition keeps its snapshot on the partition of its number`);
    }
  }

  private async measureLag(): Promise<void> {
    const { offsets, topics, config } = this.opts;
    if (!offsets) return;
    try {
      for (const [topic, group] of [
        [topics.stats, `${config.groupId}-relay`],
        [topics.relay, config.groupId],
      ] as const) {
        const [end, committed] = await Promise.all([offsets.endOffsets(topic), offsets.committedOffsets(group, topic)]);
        end.forEach((e, p) => this.m.lag.set({ topic, partition: String(p) }, Math.max(0, e - (committed[p] ?? 0))));
      }
    } catch (err) {
      this.opts.log.warn({ err }, 'measuring consumer lag failed');
    }
  }
}
