import { Type } from '@sinclair/typebox';
import { WINDOW_NAMES, compileValidator, stringEnum } from '@saferoads/shared/contracts';
import { STATS_FIELDS } from './stats-fields.js';
import { NEIGHBOUR_SIDES, SOURCE_KINDS } from './types.js';

const closed = { additionalProperties: false } as const;
const text = (maxLength = 2000) => Type.String({ minLength: 1, maxLength });

/** The file's outline; each source is then checked against its kind's own schema (sharper errors than a union). */
export const FeatureSpecSchema = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    specVersion: Type.String({ pattern: '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$' }),
    name: text(100),
    description: text(),
    input: Type.Object({ tensor: text(100), dtype: stringEnum(['float32']), description: text() }, closed),
    output: Type.Object(
      {
        name: text(100),
        kind: stringEnum(['probability']),
        event: text(200),
        horizonMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
        description: text(),
      },
      closed,
    ),
    features: Type.Array(
      Type.Object(
        {
          name: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$', maxLength: 100 }),
          unit: text(32),
          description: text(),
          default: Type.Number(),
          source: Type.Object({ kind: stringEnum(SOURCE_KINDS) }),
        },
        closed,
      ),
      { minItems: 1, maxItems: 10_000 },
    ),
  },
  closed,
);

const windowName = stringEnum(WINDOW_NAMES);
const statsField = stringEnum(STATS_FIELDS);
const side = stringEnum(NEIGHBOUR_SIDES);

export const sourceValidators = {
  stats: compileValidator(Type.Object({ kind: Type.Literal('stats'), window: windowName, field: statsField }, closed)),
  windowDifference: compileValidator(Type.Object({ kind: Type.Literal('windowDifference'), field: statsField }, closed)),
  neighbourDifference: compileValidator(
    Type.Object({ kind: Type.Literal('neighbourDifference'), neighbour: side, window: windowName, field: statsField }, closed),
  ),
  neighbourPresent: compileValidator(Type.Object({ kind: Type.Literal('neighbourPresent'), neighbour: side, window: windowName }, closed)),
  context: compileValidator(Type.Object({ kind: Type.Literal('context'), feature: Type.String({ minLength: 1 }) }, closed)),
} as const;

export const featureSpecValidator = compileValidator(FeatureSpecSchema);
