import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONTEXT_FEATURES } from '@saferoads/context';
import { ConfigError, SaferoadsError } from '@saferoads/shared/errors';
import type { FieldError } from '@saferoads/shared/contracts';
import { featureSpecValidator, sourceValidators } from './schema.js';
import { STATS_FIELD_UNITS } from './stats-fields.js';
import type { FeatureSource, FeatureSpec } from './types.js';

/** The committed specification of the current model. */
export const DEFAULT_FEATURE_SPEC_PATH = fileURLToPath(new URL('../../../../models/feature-spec.json', import.meta.url));

const CONTEXT_UNITS: ReadonlyMap<string, string> = new Map(CONTEXT_FEATURES.map((f) => [f.name, f.unit]));

/** The unit a source's values are in; undefined for an unknown context feature. */
export function unitOfSource(source: FeatureSource): string | undefined {
  switch (source.kind) {
    case 'stats':
    case 'windowDifference':
    case 'neighbourDifference':
      return STATS_FIELD_UNITS[source.field];
    case 'neighbourPresent':
      return '0/1';
    case 'context':
      return CONTEXT_UNITS.get(source.feature);
  }
}

/** A stable text of a source, to find two features that read the same value. */
export function sourceKey(source: FeatureSource): string {
  switch (source.kind) {
    case 'stats':
      return `stats:${source.window}:${source.field}`;
    case 'windowDifference':
      return `windowDifference:${source.field}`;
    case 'neighbourDifference':
      return `neighbourDifference:${source.neighbour}:${source.window}:${source.field}`;
    case 'neighbourPresent':
      return `neighbourPresent:${source.neighbour}:${source.window}`;
    case 'context':
      return `context:${source.feature}`;
  }
}

const show = (errors: readonly FieldError[], prefix: string) => errors.map((e) => `${prefix}${e.field === '(record)' ? '' : `.${e.field}`}: ${e.reason}`);

/**
 * Checks a parsed feature-spec JSON document and returns it typed. Every problem is collected
 * into one ConfigError (the field path and the reason each): the file's outline, each source
 * against its kind, unique names and sources, known context features, and each feature's unit
 * against its source's (a km/h field labelled m/s is a mistake the model would never show).
 */
export function parseFeatureSpec(json: unknown, origin = 'feature spec'): FeatureSpec {
  const outline = featureSpecValidator.check(json);
  if (!outline.ok) throw new ConfigError(origin, show(outline.errors, 'spec'));
  const doc = outline.value;
  const problems: string[] = [];
  const names = new Map<string, number>();
  const sources = new Map<string, number>();
  doc.features.forEach((f, i) => {
    const at = `features[${i}] (${f.name})`;
    const prior = names.get(f.name);
    if (prior !== undefined) problems.push(`${at}: name repeats features[${prior}]`);
    else names.set(f.name, i);
    const kind = f.source.kind;
    const checked = sourceValidators[kind].check(f.source);
    if (!checked.ok) {
      problems.push(...show(checked.errors, `${at}.source`));
      return;
    }
    const source = checked.value as FeatureSource;
    const unit = unitOfSource(source);
    if (unit === undefined) {
      problems.push(`${at}.source.feature: unknown context feature "${(source as { feature: string }).feature}" (not in @saferoads/context CONTEXT_FEATURES)`);
      return;
    }
    if (f.unit !== unit) problems.push(`${at}.unit: is "${f.unit}", but its source is in "${unit}"`);
    const key = sourceKey(source);
    const same = sources.get(key);
    if (same !== undefined) problems.push(`${at}.source: reads the same value as features[${same}]`);
    else sources.set(key, i);
  });
  if (problems.length > 0) throw new ConfigError(origin, problems);
  // Every source was checked against its kind above.
  return doc as unknown as FeatureSpec;
}

/** Reads and checks a feature-spec file (models/feature-spec.json by default). */
export function loadFeatureSpec(path: string = DEFAULT_FEATURE_SPEC_PATH): FeatureSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SaferoadsError('IO_FAILED', `cannot read feature spec ${path}: ${(err as Error).message}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`feature spec ${path}`, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseFeatureSpec(json, `feature spec ${path}`);
}
