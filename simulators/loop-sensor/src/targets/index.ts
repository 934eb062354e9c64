export { DETECTIONS_ROUTE, parseTarget, TargetUrlError, type GatewayRoute, type TargetSpec } from './url.js';
export { DeliveryError, TARGET_DEFAULTS, type DetectionSink, type RecordSink, type SinkStats } from './sink.js';
export { DETECTION_LINES, detectionFormat, type RecordFormat } from './format.js';
export { NdjsonSink, type LineFormat, type NdjsonSinkOptions } from './ndjson-sink.js';
export { HttpSink, MAX_BODY_BYTES, MAX_RETRY_AFTER_MS, REQUEST_TIMEOUT_MS, type HttpSinkOptions } from './http-sink.js';
export { BusSink, MAX_SEND_BYTES, type BusSinkOptions } from './bus-sink.js';
export { kafkaTargetConfig, openKafkaSink, type KafkaSinkOptions } from './kafka-sink.js';
export { feed, type FeedOptions, type FeedResult } from './feed.js';
export { summaryLine } from './summary.js';
