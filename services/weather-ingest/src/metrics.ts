import { ingestMetrics, type IngestMetrics } from '@saferoads/shared/ingest';
import type { ServiceMetrics } from '@saferoads/shared/service';
import { REJECT_REASONS } from './check.js';

/** The gateway's metrics, `saferoads_weather_ingest_*` (docs/weather.md). */
export function weatherIngestMetrics(m: ServiceMetrics): IngestMetrics {
  return ingestMetrics(m, { prefix: 'weather_ingest', route: 'POST /v1/weather/observations', records: 'Weather observations', reasons: REJECT_REASONS });
}
