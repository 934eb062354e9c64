import type { ValidateFunction } from 'ajv';
import { createAjv } from '../contracts/ajv.js';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { toFieldErrors } from '../contracts/validate.js';
import { ConfigError } from '../errors.js';
import { envParser, isEchoable, type EnvParser } from './env-parse.js';

export type Env = Readonly<Record<string, string | undefined>>;

// Its own ajv: `env` is a keyword of configuration schemas only, and the contracts' ajv stays strict about it.
const ajv = createAjv({ allErrors: true, strict: true, coerceTypes: false, useDefaults: false });
ajv.addKeyword({ keyword: 'env', schemaType: 'string' });

interface Variable {
  readonly key: string;
  readonly name: string;
  readonly schema: TSchema;
  readonly parse: EnvParser;
}

interface Compiled {
  readonly variables: readonly Variable[];
  readonly validate: ValidateFunction;
}

const compiled = new WeakMap<TObject, Compiled>();

/** `bodyLimitBytes` → `BODY_LIMIT_BYTES`. */
export function defaultEnvName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The environment variable behind each property: its `env` option, else its name in UPPER_SNAKE case. */
export function envVariables(schema: TObject): { key: string; name: string }[] {
  return compile(schema).variables.map(({ key, name }) => ({ key, name }));
}

function compile(schema: TObject): Compiled {
  let c = compiled.get(schema);
  if (!c) {
    const variables = Object.entries(schema.properties).map(([key, prop]) => {
      const name = typeof prop.env === 'string' ? prop.env : defaultEnvName(key);
      return { key, name, schema: prop, parse: envParser(prop, `property ${key} (${name})`) };
    });
    c = { variables, validate: ajv.compile(schema) };
    compiled.set(schema, c);
  }
  return c;
}

/**
 * Reads a service's configuration from environment variables described by a TypeBox object schema.
 *
 * Each property reads the variable named by its `env` option (else its name in UPPER_SNAKE case).
 * Numbers, integers, booleans (true/false, 1/0, yes/no, on/off), strings, enumerations and
 * comma-separated lists of those are understood. An unset or blank variable takes the property's
 * `default`; a required property without one must be set. The whole configuration is validated
 * once: a ConfigError lists every bad variable by its name, with the reason.
 */
export function envConfig<S extends TObject>(schema: S, env: Env, component: string): Static<S> {
  const { variables, validate } = compile(schema);
  const value: Record<string, unknown> = {};
  const problems = new Map<string, string[]>();
  const report = (key: string, problem: string) => problems.set(key, [...(problems.get(key) ?? []), problem]);

  for (const v of variables) {
    const text = env[v.name]?.trim();
    if (text === undefined || text === '') {
      if (v.schema.default !== undefined) value[v.key] = structuredClone(v.schema.default);
      continue;
    }
    const parsed = v.parse(text);
    if (parsed.ok) value[v.key] = parsed.value;
    else report(v.key, `${v.name}${parsed.item === undefined ? '' : `[${parsed.item}]`}: ${parsed.reason}`);
  }

  if (!validate(value)) {
    const byKey = new Map(variables.map((v) => [v.key, v]));
    for (const e of toFieldErrors(validate.errors)) {
      const [key, ...path] = e.field.split('.');
      const v = byKey.get(key);
      // A variable that did not parse is missing from `value`: its "is required" would only repeat that.
      if (!v || problems.has(key)) continue;
      const label = `${v.name}${path.map((p) => `[${p}]`).join('')}`;
      const got = valueAt(value[key], path);
      const echo = e.reason !== 'is required' && got !== undefined && isEchoable(v.schema) ? `, got ${JSON.stringify(got)}` : '';
      report(key, `${label}: ${e.reason}${echo}`);
    }
  }

  if (problems.size > 0) {
    // In the schema's order, so the message reads like the documentation's table of variables.
    throw new ConfigError(component, variables.flatMap((v) => problems.get(v.key) ?? []));
  }
  return value as Static<S>;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let cur = root;
  for (const p of path) cur = Array.isArray(cur) ? cur[Number(p)] : undefined;
  return cur;
}

/**
 * Reads several configurations (a service's and its Kafka connection's, say) before failing, so
 * one ConfigError names every bad variable of all of them.
 */
export function readConfigs<T extends Record<string, () => unknown>>(component: string, readers: T): { [K in keyof T]: ReturnType<T[K]> } {
  const problems: string[] = [];
  const out: Partial<Record<keyof T, unknown>> = {};
  for (const key of Object.keys(readers) as (keyof T)[]) {
    try {
      out[key] = readers[key]();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(component, problems);
  return out as { [K in keyof T]: ReturnType<T[K]> };
}
