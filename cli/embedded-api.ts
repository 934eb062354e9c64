import { attachAlertApi, alertApiConfig, generateApiKey, openStore, type AttachedAlertApi } from '@saferoads/alert-api';
import { SqlNotificationLog } from '@saferoads/alert-exchange';
import type { Bus } from '@saferoads/shared/bus';
import type { Logger } from '@saferoads/shared/logger';
import type { Network } from '@saferoads/shared/network';
import { ServiceMetrics } from '@saferoads/shared/service';

export interface EmbeddedApi {
  readonly url: string;
  /** A ready API key per role (from SAFEROADS_API_BOOTSTRAP_*_KEY, or new ones for this run). */
  readonly keys: { readonly admin: string; readonly operator: string; readonly viewer: string };
  readonly api: AttachedAlertApi;
  close(): Promise<void>;
}

/**
 * The alert API (docs/alert-api.md) beside the embedded pipeline: PGlite in this process (in
 * memory, or ALERT_API_PGLITE_DIR), consuming the pipeline's in-process bus and publishing the
 * thresholds admins set on its risk.thresholds (the pipeline's scorer reads them), on `port`.
 * Every other ALERT_API_* variable applies as for the service.
 */
export async function startEmbeddedApi(o: {
  bus: Bus;
  network: Network;
  log: Logger;
  port: number;
  host: string;
  env?: NodeJS.ProcessEnv;
  /** The pipeline's event time: thresholds set through the API apply from its minutes (EmbeddedPipeline.clock). */
  eventNow?: () => number;
}): Promise<EmbeddedApi> {
  const env = o.env ?? process.env;
  const keys = {
    admin: env.SAFEROADS_API_BOOTSTRAP_ADMIN_KEY || generateApiKey().key,
    operator: env.SAFEROADS_API_BOOTSTRAP_OPERATOR_KEY || generateApiKey().key,
    viewer: env.SAFEROADS_API_BOOTSTRAP_VIEWER_KEY || generateApiKey().key,
  };
  const config = alertApiConfig({
    ...env,
    DATABASE_URL: '',
    SAFEROADS_API_BOOTSTRAP_ADMIN_KEY: keys.admin,
    SAFEROADS_API_BOOTSTRAP_OPERATOR_KEY: keys.operator,
    SAFEROADS_API_BOOTSTRAP_VIEWER_KEY: keys.viewer,
  });
  const store = await openStore({ pgliteDir: config.pgliteDir });
  const log = o.log.child({ service: 'alert-api' });
  const api = await attachAlertApi({
    bus: o.bus,
    store,
    network: o.network,
    log,
    metrics: new ServiceMetrics('alert-api'),
    config,
    notificationLog: new SqlNotificationLog((t, p) => store.query(t, p)),
    ...(o.eventNow && { eventNow: o.eventNow }),
  });
  let url: string;
  try {
    url = await api.app.listen({ port: o.port, host: o.host });
  } catch (err) {
    await api.close();
    await store.close();
    throw err;
  }
  return {
    url: url.replace('127.0.0.1', 'localhost'),
    keys,
    api,
    close: async () => {
      await api.close();
      await store.close();
    },
  };
}
