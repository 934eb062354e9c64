import type { ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from './ajv.js';
import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** One reason a record was refused, naming the field (a JSON path without the leading slash). */
export interface FieldError {
  field: string;
  reason: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface Validator<S extends TSchema> {
  readonly schema: S;
  check(input: unknown): Validation<Static<S>>;
}

const ajv = createAjv({ allErrors: true, strict: true, coerceTypes: false, useDefaults: false });

function fieldOf(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return base ? `${base}.${missing}` : missing;
  }
  return base || '(record)';
}

function reasonOf(e: ErrorObject): string {
  if (e.keyword === 'required') return 'is required';
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
    return `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
  }
  return e.message ?? e.keyword;
}

export function toFieldErrors(errors: readonly ErrorObject[] | null | undefined): FieldError[] {
  if (!errors) return [];
  // anyOf/union branches repeat the same path; keep the first reason per field
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = fieldOf(e);
    const key = `${field}\u0000${e.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, reason: reasonOf(e) });
  }
  return out;
}

/**
 * Compiles a TypeBox schema, on first use, into a fast validator whose errors name the field and
 * the reason. Lazy so that importing the contracts costs nothing for schemas a process never checks.
 */
export function compileValidator<S extends TSchema>(schema: S): Validator<S> {
  let fn: ValidateFunction | undefined;
  return {
    schema,
    check(input: unknown): Validation<Static<S>> {
      fn ??= ajv.compile(schema);
      if (fn(input)) return { ok: true, value: input as Static<S> };
      return { ok: false, errors: toFieldErrors(fn.errors) };
    },
  };
}

export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.reason}`).join('; ');
}

/** A string restricted to `values`: one `enum` keyword, so a bad value gets one error listing them. */
export function stringEnum<const T extends readonly string[]>(values: T, opts: { description?: string } = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });
}
