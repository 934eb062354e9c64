import ajvModule, { type Ajv as AjvInstance, type Options } from 'ajv';
import type { FastifyInstance, FastifySchema } from 'fastify';

// ajv is CommonJS: the class is the default export under Node's loader, named under tsx (as in @saferoads/shared).
const AjvClass = ((ajvModule as unknown as { default?: unknown }).default ?? ajvModule) as new (opts: Options) => AjvInstance;

const common: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false };

/**
 * Two validators: query strings, path parameters and headers are text, so numbers and booleans are
 * coerced from it; a JSON body already has types, and `{"note": 5}` must be refused, not read as "5".
 * Unknown properties are refused everywhere rather than silently dropped.
 */
export function useStrictValidators(app: FastifyInstance): void {
  const coercing = new AjvClass({ ...common, coerceTypes: 'array' });
  const strict = new AjvClass({ ...common, coerceTypes: false });
  app.setValidatorCompiler<FastifySchema>(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object));
}
