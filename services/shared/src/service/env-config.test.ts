import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { defaultEnvName, envConfig, envVariables, readConfigs } from './env-config.js';

const Schema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65_535, default: 8081 }),
  host: Type.String({ minLength: 1, default: '0.0.0.0' }),
  bodyLimitBytes: Type.Integer({ minimum: 1, env: 'INGEST_BODY_LIMIT_BYTES', default: 5_242_880 }),
  ratio: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.5 }),
  verbose: Type.Boolean({ default: false }),
  mode: Type.Unsafe<'fast' | 'safe'>({ type: 'string', enum: ['fast', 'safe'], default: 'safe' }),
  level: Type.Union([Type.Literal('low'), Type.Literal('high')], { default: 'low' }),
  brokers: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, default: ['localhost:9092'] }),
  partitions: Type.Array(Type.Integer({ minimum: 1 }), { default: [] }),
  networkFile: Type.Optional(Type.String({ minLength: 1 })),
  apiToken: Type.String({ minLength: 8 }),
});

/** The ConfigError envConfig throws for `env`; fails the test when it does not throw. */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    envConfig(Schema, { API_TOKEN: 'secret-token', ...env }, 'test-service');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected envConfig to throw');
}

describe('envConfig', () => {
  it('applies every default when only the required variable is set', () => {
    expect(envConfig(Schema, { API_TOKEN: 'secret-token' }, 'test-service')).toEqual({
      port: 8081,
      host: '0.0.0.0',
      bodyLimitBytes: 5_242_880,
      ratio: 0.5,
      verbose: false,
      mode: 'safe',
      level: 'low',
      brokers: ['localhost:9092'],
      partitions: [],
      apiToken: 'secret-token',
    });
  });

  it('reads numbers, booleans, enumerations, comma lists and optional strings', () => {
    const config = envConfig(
      Schema,
      {
        PORT: ' 9000 ',
        HOST: '127.0.0.1',
        INGEST_BODY_LIMIT_BYTES: '1024',
        RATIO: '.25',
        VERBOSE: 'YES',
        MODE: 'fast',
        LEVEL: 'high',
        BROKERS: 'k1:9092, k2:9092,',
        PARTITIONS: '1,2, 3',
        NETWORK_FILE: '/etc/saferoads/net.geojson',
        API_TOKEN: 'secret-token',
      },
      'test-service',
    );
    expect(config).toEqual({
      port: 9000,
      host: '127.0.0.1',
      bodyLimitBytes: 1024,
      ratio: 0.25,
      verbose: true,
      mode: 'fast',
      level: 'high',
      brokers: ['k1:9092', 'k2:9092'],
      partitions: [1, 2, 3],
      networkFile: '/etc/saferoads/net.geojson',
      apiToken: 'secret-token',
    });
  });

  it('treats a blank variable as unset', () => {
    expect(envConfig(Schema, { PORT: '  ', API_TOKEN: 'secret-token' }, 'test-service').port).toBe(8081);
  });

  it('does not share a default array between two reads', () => {
    const a = envConfig(Schema, { API_TOKEN: 'secret-token' }, 'test-service');
    a.brokers.push('mutated:1');
    expect(envConfig(Schema, { API_TOKEN: 'secret-token' }, 'test-service').brokers).toEqual(['localhost:9092']);
  });

  it('lists every bad variable by its name, with the reason, in the order of the schema', () => {
    expect(
      problemsOf({
        PORT: '70000',
        INGEST_BODY_LIMIT_BYTES: '5MB',
        RATIO: '0',
        VERBOSE: 'maybe',
        MODE: 'turbo',
        LEVEL: 'medium',
        PARTITIONS: '1,x',
      }),
    ).toEqual([
      'PORT: must be <= 65535, got 70000',
      'INGEST_BODY_LIMIT_BYTES: must be a number, got "5MB"',
      'RATIO: must be > 0, got 0',
      'VERBOSE: must be true or false (also 1/0, yes/no, on/off), got "maybe"',
      'MODE: must be one of "fast", "safe", got "turbo"',
      'LEVEL: must be one of "low", "high", got "medium"',
      'PARTITIONS[1]: must be a number, got "x"',
    ]);
  });

  it('names a required variable that is missing, and validates list items and list length', () => {
    const env = { PARTITIONS: '2,0', BROKERS: ' , ' };
    let error: unknown;
    try {
      envConfig(Schema, env, 'test-service');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      'invalid test-service configuration: BROKERS: must NOT have fewer than 1 items; PARTITIONS[1]: must be >= 1, got 0; API_TOKEN: is required',
    );
  });

  it('never echoes the value of a free-text variable, which may be a secret', () => {
    expect(problemsOf({ API_TOKEN: 'short' })).toEqual(['API_TOKEN: must NOT have fewer than 8 characters']);
  });

  it('rejects numbers written in other notations instead of guessing', () => {
    expect(problemsOf({ PORT: '0x1F90', RATIO: '' })).toEqual(['PORT: must be a number, got "0x1F90"']);
    expect(problemsOf({ PORT: '80.5' })).toEqual(['PORT: must be integer, got 80.5']);
  });

  it('refuses, at once, a schema property it cannot read from the environment', () => {
    const Bad = Type.Object({ nested: Type.Object({ a: Type.String() }) });
    expect(() => envConfig(Bad, {}, 'bad')).toThrow('envConfig: property nested (NESTED) has type "object"');
  });
});

describe('environment variable names', () => {
  it('derives UPPER_SNAKE names from property names unless the property names its variable', () => {
    expect(defaultEnvName('bodyLimitBytes')).toBe('BODY_LIMIT_BYTES');
    expect(defaultEnvName('port')).toBe('PORT');
    expect(defaultEnvName('http2Enabled')).toBe('HTTP2_ENABLED');
    expect(envVariables(Schema).slice(0, 3)).toEqual([
      { key: 'port', name: 'PORT' },
      { key: 'host', name: 'HOST' },
      { key: 'bodyLimitBytes', name: 'INGEST_BODY_LIMIT_BYTES' },
    ]);
  });
});

describe('readConfigs', () => {
  it('names every bad variable of every configuration in one error', () => {
    const a = () => envConfig(Type.Object({ port: Type.Integer({ maximum: 10, default: 1 }) }), { PORT: '70' }, 'a');
    const b = () => envConfig(Type.Object({ brokers: Type.String({ minLength: 3 }) }), {}, 'b');
    expect(() => readConfigs('svc', { a, b })).toThrow('invalid svc configuration: PORT: must be <= 10, got 70; BROKERS: is required');
  });
  it('returns each configuration when all are valid', () => {
    const a = () => envConfig(Type.Object({ port: Type.Integer({ default: 1 }) }), {}, 'a');
    expect(readConfigs('svc', { a })).toEqual({ a: { port: 1 } });
  });
});
