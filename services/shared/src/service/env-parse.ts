import { SaferoadsError } from '../errors.js';

/** The JSON Schema keywords envConfig reads to turn an environment string into a typed value. */
export interface EnvSchemaLike {
  readonly type?: unknown;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly EnvSchemaLike[];
  readonly const?: unknown;
  readonly items?: EnvSchemaLike;
  readonly [keyword: string]: unknown;
}

/** A failure names the list item (0-based) when one item of a comma-separated list is bad. */
export type Parsed = { ok: true; value: unknown } | { ok: false; reason: string; item?: number };

/** Turns the text of one environment variable into the value its schema expects. */
export type EnvParser = (text: string) => Parsed;

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;
const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

const parseNumber: EnvParser = (text) =>
  // Number('') is 0 and Number('0x10') is 16: only plain decimal notation is a number here.
  NUMBER.test(text) ? { ok: true, value: Number(text) } : { ok: false, reason: `must be a number, got ${JSON.stringify(text)}` };

const parseBoolean: EnvParser = (text) => {
  const t = text.toLowerCase();
  if (TRUE.has(t)) return { ok: true, value: true };
  if (FALSE.has(t)) return { ok: true, value: false };
  return { ok: false, reason: `must be true or false (also 1/0, yes/no, on/off), got ${JSON.stringify(text)}` };
};

const parseString: EnvParser = (text) => ({ ok: true, value: text });

/** The allowed values of `stringEnum([...])` or of a `Type.Union` of literals; null for any other schema. */
export function enumValues(schema: EnvSchemaLike): readonly unknown[] | null {
  if (Array.isArray(schema.enum)) return schema.enum;
  if (Array.isArray(schema.anyOf) && schema.anyOf.length > 0 && schema.anyOf.every((s) => 'const' in s)) return schema.anyOf.map((s) => s.const);
  return null;
}

function parseEnum(allowed: readonly unknown[]): EnvParser {
  const list = allowed.map((a) => JSON.stringify(a)).join(', ');
  return (text) => {
    // Enumerations of numbers (e.g. a fixed set of partition counts) compare by value.
    const match = allowed.find((a) => a === text || (typeof a === 'number' && NUMBER.test(text) && a === Number(text)));
    return match === undefined ? { ok: false, reason: `must be one of ${list}, got ${JSON.stringify(text)}` } : { ok: true, value: match };
  };
}

function scalarParser(schema: EnvSchemaLike, where: string): EnvParser {
  const allowed = enumValues(schema);
  if (allowed) return parseEnum(allowed);
  switch (schema.type) {
    case 'number':
    case 'integer':
      return parseNumber;
    case 'boolean':
      return parseBoolean;
    case 'string':
      return parseString;
    default:
      throw new SaferoadsError('CONFIG_INVALID', `envConfig: ${where} has type ${JSON.stringify(schema.type)}; use a number, integer, boolean, string, enum or an array of those`);
  }
}

/**
 * A comma-separated list: items are trimmed and empty items dropped, so "a, b," is ["a", "b"].
 * A bad item is reported with its position.
 */
function listParser(items: EnvParser): EnvParser {
  return (text) => {
    const values: unknown[] = [];
    const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
    for (const [i, part] of parts.entries()) {
      const r = items(part);
      if (!r.ok) return { ok: false, reason: r.reason, item: i };
      values.push(r.value);
    }
    return { ok: true, value: values };
  };
}

/** The parser for one configuration property; throws at once for a schema envConfig cannot read. */
export function envParser(schema: EnvSchemaLike, where: string): EnvParser {
  if (schema.type === 'array') {
    if (!schema.items) throw new SaferoadsError('CONFIG_INVALID', `envConfig: ${where} is an array without items`);
    return listParser(scalarParser(schema.items, `${where} items`));
  }
  return scalarParser(schema, where);
}

/** Whether a value of this schema may be echoed in an error: free text may be a secret, so never. */
export function isEchoable(schema: EnvSchemaLike): boolean {
  if (enumValues(schema)) return true;
  if (schema.type === 'array') return schema.items !== undefined && isEchoable(schema.items);
  return schema.type !== 'string';
}
