export { readTopic, type ReadRecord } from './read-topic.js';
export { metricValue, type Injectable } from './metric-value.js';
export { jsonSyntaxError } from './json.js';
export { perTest } from './per-test.js';
