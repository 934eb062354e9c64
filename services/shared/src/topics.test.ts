import { describe, expect, it } from 'vitest';
import { TOPIC_CONFIG, TOPICS, topicEnvName, topicNamesFromEnv } from './topics.js';

describe('topic names', () => {
  it.each([
    ['detections', 'SAFEROADS_TOPIC_DETECTIONS'],
    ['detectionsDlq', 'SAFEROADS_TOPIC_DETECTIONS_DLQ'],
    ['statsCheckpoints', 'SAFEROADS_TOPIC_STATS_CHECKPOINTS'],
    ['scoresShadow', 'SAFEROADS_TOPIC_SCORES_SHADOW'],
    ['riskRelay', 'SAFEROADS_TOPIC_RISK_RELAY'],
    ['riskCheckpoints', 'SAFEROADS_TOPIC_RISK_CHECKPOINTS'],
    ['thresholds', 'SAFEROADS_TOPIC_THRESHOLDS'],
    ['thresholdsDlq', 'SAFEROADS_TOPIC_THRESHOLDS_DLQ'],
  ] as const)('%s is renamed by %s', (key, env) => {
    expect(topicEnvName(key)).toBe(env);
    expect(topicNamesFromEnv({ [env]: 'site-a.renamed_1' })[key]).toBe('site-a.renamed_1');
  });

  it('keeps the DESIGN.md names when nothing is renamed (an empty variable counts as unset)', () => {
    expect(topicNamesFromEnv({ SAFEROADS_TOPIC_STATS: '' })).toEqual(TOPICS);
  });

  it('refuses illegal names, naming each variable and the rule', () => {
    expect(() => topicNamesFromEnv({ SAFEROADS_TOPIC_STATS: 'traffic stats', SAFEROADS_TOPIC_SCORES: '..', SAFEROADS_TOPIC_ALERTS: 'x'.repeat(250) })).toThrow(
      'invalid topics configuration: SAFEROADS_TOPIC_STATS: "traffic stats" is not a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -); ' +
        'SAFEROADS_TOPIC_SCORES: ".." is not a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -); ' +
        `SAFEROADS_TOPIC_ALERTS: "${'x'.repeat(250)}" is not a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)`,
    );
  });

  it('keeps the thresholds and their dead letters compacted: a table of one key, one dead letter per refused record', () => {
    expect([TOPICS.thresholds, TOPIC_CONFIG.thresholds, TOPICS.thresholdsDlq, TOPIC_CONFIG.thresholdsDlq]).toEqual(['risk.thresholds', { 'cleanup.policy': 'compact' }, 'risk.thresholds.dlq', { 'cleanup.policy': 'compact' }]);
  });
});
