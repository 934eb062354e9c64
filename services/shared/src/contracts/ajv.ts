import ajvModule, { type Ajv as AjvInstance, type Options } from 'ajv';

/**
 * ajv is CommonJS: Node's own ESM loader exposes its class as the default export (whose `default`
 * is the class again), while tsx also offers named exports. Resolving it here once makes the
 * bundled CLI and the tsx-run sources behave the same.
 */
const AjvClass = ((ajvModule as unknown as { default?: unknown }).default ?? ajvModule) as new (opts: Options) => AjvInstance;

export function createAjv(opts: Options): AjvInstance {
  return new AjvClass(opts);
}
