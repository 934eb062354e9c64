/**
 * The whole pipeline in this process for the browser tests, composed as `npm start` composes it:
 * startEmbeddedPipeline (cli/embedded-pipeline.ts: the loop-sensor and weather simulators, paced,
 * on an in-process bus through traffic-stats and the risk scorer with the committed model) and
 * startEmbeddedApi (cli/embedded-api.ts: the alert API on an in-memory PGlite consuming that bus,
 * serving dashboards/dist), here on a free loopback port. Nothing is faked.
 */
import type { AttachedAlertApi } from '@saferoads/alert-api';
import type { Incident } from '@saferoads/loop-sensor';
import { DEFAULT_FEATURE_SPEC_PATH, DEFAULT_MODEL_METADATA_PATH, loadFeatureSpec } from '@saferoads/model-spec';
import { type AlertConfig, ModelSlot, loadOnnxModel } from '@saferoads/risk-scorer';
import { createLogger } from '@saferoads/shared/logger';
import { loadNetwork, type Network } from '@saferoads/shared/network';
import { startEmbeddedApi } from '../../cli/embedded-api.js';
import { startEmbeddedPipeline } from '../../cli/embedded-pipeline.js';

export const KEYS = {
  operator: `srk_dashoperat01_${'o'.repeat(43)}`,
  viewer: `srk_dashviewer01_${'v'.repeat(43)}`,
} as const;

export interface EmbeddedOptions {
  readonly startMs: number;
  readonly minutes: number;
  /** Simulated seconds per wall-clock second. */
  readonly speed: number;
  readonly incidents?: readonly Incident[];
  /** Added to every simulated temperature (the weather simulator's option). */
  readonly temperatureOffsetC?: number;
  /** The scorer's alert rules (its defaults otherwise), as a deployment configures them. */
  readonly alerts?: Partial<AlertConfig>;
}

export interface EmbeddedSystem {
  readonly url: string;
  readonly network: Network;
  readonly api: AttachedAlertApi;
  stop(): Promise<void>;
}

export async function startEmbeddedSystem(o: EmbeddedOptions): Promise<EmbeddedSystem> {
  const log = createLogger('dashboard-e2e', { level: process.env.E2E_LOG_LEVEL ?? 'warn' });
  const network = loadNetwork();
  // The committed model, accepted as the scorer service accepts it (metadata, checksum, test vectors).
  const spec = loadFeatureSpec(DEFAULT_FEATURE_SPEC_PATH);
  const model = await loadOnnxModel({ modelPath: DEFAULT_MODEL_METADATA_PATH.replace(/\.json$/, '.onnx') }, spec);
  const pipeline = await startEmbeddedPipeline({
    network,
    spec,
    model: new ModelSlot(model),
    log,
    seed: 1,
    speed: o.speed,
    startMs: o.startMs,
    minutes: o.minutes,
    ...(o.incidents && { incidents: o.incidents }),
    ...(o.alerts && { alerts: o.alerts }),
    ...(o.temperatureOffsetC !== undefined && { temperatureOffsetC: o.temperatureOffsetC }),
  });
  // The tests' own keys; the browser tests make more requests than the default rate limit allows one address.
  const env = { SAFEROADS_API_BOOTSTRAP_OPERATOR_KEY: KEYS.operator, SAFEROADS_API_BOOTSTRAP_VIEWER_KEY: KEYS.viewer, ALERT_API_RATE_LIMIT_MAX: '100000' };
  const api = await startEmbeddedApi({ bus: pipeline.bus, network, log, port: 0, host: '127.0.0.1', env });
  const running = pipeline.run();
  return {
    url: api.url,
    network,
    api: api.api,
    stop: async () => {
      await api.close();
      await pipeline.stop();
      await running.catch(() => undefined);
      await model.release();
    },
  };
}
