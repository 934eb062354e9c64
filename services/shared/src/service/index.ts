export { defaultEnvName, envConfig, envVariables, readConfigs, type Env } from './env-config.js';
export { errorBody, HttpError, type ErrorBody, type ErrorDetail } from './http-errors.js';
export { httpErrors, sendError, toHttpError } from './error-handler.js';
export { METRIC_PREFIX, ServiceMetrics, type Counter, type Gauge, type Histogram, type HistogramOptions, type MetricOptions, type ServiceMetricsOptions } from './metrics.js';
export { opsRoutes, type OpsOptions } from './ops-plugin.js';
export { DEFAULT_CHECK_TIMEOUT_MS, Readiness, type CheckResult, type ReadinessCheck } from './readiness.js';
export { DEFAULT_STOP_TIMEOUT_MS, runService, type RunServiceOptions, type ServiceProcess } from './run-service.js';
