import { FEATURE_INDEX } from '@saferoads/context';
import type { FeatureSource, FeatureSpec } from '../spec/types.js';
import type { RowWriter } from './inputs.js';

/**
 * The spec's row writer as one generated function (as ajv compiles a schema): each feature's
 * source becomes a few statements with its window and field as constant property accesses, so a
 * row costs no closure call and no keyed lookup per feature. Same semantics as
 * interpretedRowWriter (interpreted.ts), which the tests hold it to: a value counts when it is a
 * finite number, else the feature takes its default; neighbours are combined by vehicle count.
 * Names in the generated text are JSON string literals, never spliced identifiers.
 */
export function compileRowWriter(spec: FeatureSpec): RowWriter {
  const lit = (s: string): string => JSON.stringify(s);
  /** Sets `v` and `ok` from record expression `r` and field f (field() of interpreted.ts). */
  const fieldOf = (r: string, f: string, v: string, ok: string): string =>
    `${ok} = false; if (${r} !== null && ${r} !== undefined) { ${v} = ${r}[${lit(f)}]; ${ok} = typeof ${v} === 'number' && ${v} - ${v} === 0; }`;

  const body = spec.features.map((def, k) => {
    const source: FeatureSource = def.source;
    let read: string;
    switch (source.kind) {
      case 'stats':
        read = fieldOf(`x.own[${lit(source.window)}]`, source.field, 'v', 'ok');
        break;
      case 'windowDifference':
        read = `${fieldOf(`x.own["1m"]`, source.field, 'a', 'ok')} if (ok) { ${fieldOf(`x.own["10m"]`, source.field, 'b', 'ok')} if (ok) v = a - b; }`;
        break;
      case 'neighbourDifference': {
        const sign = source.neighbour === 'upstream' ? '1' : '-1';
        read =
          `${fieldOf(`x.own[${lit(source.window)}]`, source.field, 'a', 'ok')} if (ok) {` +
          ` sum = 0; weight = 0; plain = 0; n = 0; list = x[${lit(source.neighbour)}];` +
          ` for (const rec of list) { r = rec[${lit(source.window)}]; ${fieldOf('r', source.field, 'b', 'has')} if (!has) continue;` +
          ` c = r.count; sum += b * c; weight += c; plain += b; n++; }` +
          ` if (n === 0) ok = false; else v = (${sign}) * ((weight > 0 ? sum / weight : plain / n) - a); }`;
        break;
      }
      case 'neighbourPresent':
        read =
          `ok = true; v = 0; list = x[${lit(source.neighbour)}];` +
          ` for (const rec of list) if (rec[${lit(source.window)}] !== null && rec[${lit(source.window)}] !== undefined) { v = 1; break; }`;
        break;
      case 'context': {
        const index: unknown = FEATURE_INDEX[source.feature];
        // An unknown name reads context[offset + undefined], never a finite number: the default.
        const at = typeof index === 'number' && Number.isInteger(index) ? String(index) : 'NaN';
        read = `ok = false; if (x.context !== undefined) { v = x.context[(x.contextOffset ?? 0) + ${at}]; ok = typeof v === 'number' && v - v === 0; }`;
        break;
      }
    }
    return (
      `  // feature ${k}\n  ${read}\n` +
      `  if (ok) { out[offset + ${k}] = v; if (missing) missing[${k}] = 0; } else { out[offset + ${k}] = defaults[${k}]; count++; if (missing) missing[${k}] = 1; }\n`
    );
  });
  const source =
    `return function writeRow(x, out, offset, missing) {\n` +
    `  let count = 0, v = 0, a = 0, b = 0, c = 0, ok = false, has = false, r, list, sum = 0, weight = 0, plain = 0, n = 0;\n` +
    body.join('') +
    `  return count;\n};`;
  const defaults = Float64Array.from(spec.features, (f) => f.default);
  // The spec's names and windows enter the text only as JSON string literals.
  return new Function('defaults', source)(defaults) as RowWriter;
}
