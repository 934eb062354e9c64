import type { Static, TObject } from '@sinclair/typebox';

/**
 * A function that keeps a validated record's contract fields only, in the contract's order:
 * fields the contract does not know are dropped, so a client cannot push arbitrary (or
 * oversized) data through a valid record.
 */
export function contractFields<S extends TObject>(schema: S): (record: Static<S>) => Static<S> {
  const fields = Object.keys(schema.properties);
  return (record) => {
    const source = record as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of fields) if (source[k] !== undefined) out[k] = source[k];
    return out as Static<S>;
  };
}

/** A function telling whether a record holds no field beyond the contract's (so contractFields would keep it whole). */
export function onlyContractFields<S extends TObject>(schema: S): (record: object) => boolean {
  const fields = new Set(Object.keys(schema.properties));
  return (record) => {
    for (const k in record) if (!fields.has(k)) return false;
    return true;
  };
}
