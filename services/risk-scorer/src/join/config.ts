import { Type, type Static } from '@sinclair/typebox';
import { configBuilder } from '../config-check.js';

export const JoinConfigSchema = Type.Object(
  {
    /**
     * Wall-clock time a minute waits, from its first record, for the rest of its records (the
     * segments' own and their neighbours', both windows); then it is emitted with what it has.
     */
    maxWaitMs: Type.Integer({ minimum: 0, maximum: 600_000 }),
    /**
     * Event-time bound: a minute is emitted at the latest when a record of a minute this many
     * minutes newer arrives (the stats stream has moved on). Also bounds the open minutes, hence
     * the state, to this many.
     */
    horizonMinutes: Type.Integer({ minimum: 1, maximum: 60 }),
  },
  { additionalProperties: false },
);
export type JoinConfig = Static<typeof JoinConfigSchema>;

export const DEFAULT_JOIN_CONFIG: JoinConfig = { maxWaitMs: 10_000, horizonMinutes: 2 };

/** Defaults filled in and validated; throws ConfigError naming every bad field. */
export const joinConfig = configBuilder('risk-scorer join', JoinConfigSchema, DEFAULT_JOIN_CONFIG);
