import type { Static, TSchema } from '@sinclair/typebox';
import type { Validation, Validator } from './validate.js';

/** Parses one JSON text and validates it; a syntax error is reported like any other field error. */
export function decodeJson<S extends TSchema>(text: string, validator: Validator<S>): Validation<Static<S>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [{ field: '(record)', reason: `not valid JSON: ${(err as Error).message}` }] };
  }
  return validator.check(value);
}
