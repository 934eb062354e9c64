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
     * The state bound: when a record opens a minute beyond this many open ones, the oldest is
     * emitted with what it has. Only reached when one input lags far behind the others (a
     * backlog read at full speed) with no wall-clock time passing.
     */
    maxOpenMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
  },
  { additionalProperties: false },
);
export type JoinConfig = Static<typeof JoinConfigSchema>;

export const DEFAULT_JOIN_CONFIG: JoinConfig = { maxWaitMs: 10_000, maxOpenMinutes: 30 };

/** Defaults filled in and validated; throws ConfigError naming every bad field. */
export const joinConfig = configBuilder('risk-scorer join', JoinConfigSchema, DEFAULT_JOIN_CONFIG);
