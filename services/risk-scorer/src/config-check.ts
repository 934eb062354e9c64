import type { Static, TObject } from '@sinclair/typebox';
import { compileValidator, formatFieldErrors } from '@saferoads/shared/contracts';
import { ConfigError } from '@saferoads/shared/errors';

/**
 * A configuration builder for a TypeBox schema: overrides on top of the defaults, validated once
 * when a component is built; `extra` adds the checks a schema cannot say (one field against
 * another). Every problem comes out in one ConfigError naming the component and each field.
 */
export function configBuilder<S extends TObject>(component: string, schema: S, defaults: Static<S>, extra: (c: Static<S>) => string[] = () => []) {
  const validator = compileValidator(schema);
  return (overrides: Partial<Static<S>> = {}): Static<S> => {
    const merged: Record<string, unknown> = { ...defaults };
    for (const [k, v] of Object.entries(overrides)) if (v !== undefined) merged[k] = v;
    const r = validator.check(merged);
    if (!r.ok) throw new ConfigError(component, formatFieldErrors(r.errors).split('; '));
    const problems = extra(r.value);
    if (problems.length > 0) throw new ConfigError(component, problems);
    return r.value;
  };
}
