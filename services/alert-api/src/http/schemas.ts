/**
 * The alert API's HTTP contract (docs/alert-api.md): request and response schemas of every route,
 * as TypeBox schemas. Fastify validates requests against them (errors name the field), serialises
 * responses through them, and @fastify/swagger publishes them at /docs. The dashboard builds on
 * exactly these shapes.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import {
  RISK_ALERT_TYPES,
  RISK_LEVEL_NAMES,
  RiskFactorSchema,
  RiskScoreSchema,
  RiskThresholdsSchema,
  TrafficStatsSchema,
  WeatherObservationSchema,
  stringEnum,
} from '@saferoads/shared/contracts';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What an operator sees of an alert: `open` until acknowledged, `resolved` once an operator or the scorer resolved it. */
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Entries of an alert's audit trail: the scorer's steps, then what operators did. */
export const AUDIT_ACTIONS = ['raised', 'escalated', 'deescalated', 'cleared', 'reopened', 'acknowledged', 'resolved'] as const;

const level = () => stringEnum(RISK_LEVEL_NAMES);
const nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
/** A comma-separated list of `values`, each once or more: the pattern keeps anything else (quotes, SQL) out. */
const listOf = (values: readonly string[], description: string) =>
  Type.String({ pattern: `^(${values.join('|')})(,(${values.join('|')}))*$`, maxLength: 200, description });

export const SEGMENT_ID_PATTERN = '^[A-Za-z0-9._:-]{1,64}$';
export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** Epoch milliseconds, or an ISO 8601 time with a zone (e.g. 2026-03-10T07:00:00Z). */
export const TIME_PATTERN = '^(\\d{1,15}|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))$';

// ---------------------------------------------------------------------------------------------
// Errors (the shape of every 4xx/5xx of every Saferoads service: @saferoads/shared/service)

export const ErrorBodySchema = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ field: Type.Optional(Type.String()), check: Type.Optional(Type.String()), index: Type.Optional(Type.Integer()), reason: Type.String() }))),
  },
  { title: 'ErrorBody' },
);

// ---------------------------------------------------------------------------------------------
// Scores and segments

/** A segment's score as the map needs it: the RiskScore without its join details and features. */
export const ScoreSummarySchema = Type.Object(
  {
    windowEndMs: Type.Integer(),
    risk: Type.Number(),
    relativeRisk: Type.Number(),
    level: level(),
    factors: Type.Array(RiskFactorSchema),
    modelVersion: Type.String(),
  },
  { title: 'ScoreSummary' },
);
export type ScoreSummary = Static<typeof ScoreSummarySchema>;

export const LineStringSchema = Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 3 })) });
export const PointSchema = Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 3 }) });

/** What a segment is, from the network file: static, changes only with the network. */
const segmentProperties = {
  segmentId: Type.String(),
  name: Type.Optional(Type.String()),
  road: Type.Optional(Type.String()),
  direction: Type.String(),
  lanes: Type.Integer(),
  speedLimitKmh: Type.Number(),
};

export const SegmentFeatureSchema = Type.Object(
  {
    type: Type.Literal('Feature'),
    id: Type.String(),
    geometry: LineStringSchema,
    properties: Type.Object({ ...segmentProperties, score: nullable(ScoreSummarySchema) }),
  },
  { title: 'SegmentFeature' },
);
export type SegmentFeature = Static<typeof SegmentFeatureSchema>;

export const SegmentCollectionSchema = Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(SegmentFeatureSchema) });

/** A segment without its score: the static part of SegmentFeature. */
export const SegmentGeometrySchema = Type.Object(
  { type: Type.Literal('Feature'), id: Type.String(), geometry: LineStringSchema, properties: Type.Object(segmentProperties) },
  { title: 'SegmentGeometry' },
);
export type SegmentGeometry = Static<typeof SegmentGeometrySchema>;

export const SegmentGeometryCollectionSchema = Type.Object(
  { type: Type.Literal('FeatureCollection'), features: Type.Array(SegmentGeometrySchema) },
  { title: 'SegmentGeometryCollection' },
);

export const SegmentScoresSchema = Type.Object(
  {
    networkVersion: Type.String({ description: 'The tag of GET /v1/segments/geometry (its ETag without quotes and suffix): another value means the network changed' }),
    scores: Type.Record(Type.String(), ScoreSummarySchema, { description: 'Latest score by segment id, in the network\u2019s order; a segment not scored yet is absent' }),
  },
  { title: 'SegmentScores' },
);
export type SegmentScores = Static<typeof SegmentScoresSchema>;

/** The request headers of the cached collections (documented in OpenAPI; any other header passes). */
export const ConditionalHeadersSchema = Type.Object({
  'if-none-match': Type.Optional(Type.String({ description: 'ETags of the copies the client holds (one, a list, W/ forms, or *): 304 without a body when one is current' })),
  'accept-encoding': Type.Optional(Type.String({ description: 'gzip (q > 0): the body gzipped, with the ETag "<tag>-gzip"' })),
});

/** A 304 has no body: the client's copy (named by If-None-Match) is the current one. */
export const NotModifiedSchema = Type.Null({ description: 'Not modified: the representation that If-None-Match names is current' });

export const SegmentParamsSchema = Type.Object({ segmentId: Type.String({ pattern: SEGMENT_ID_PATTERN, description: 'The segment id of the network file' }) });
export const SegmentQuerySchema = Type.Object(
  { minutes: Type.Integer({ minimum: 1, maximum: 1440, default: 60, description: 'History span, counted back from the segment\u2019s newest score or stats minute' }) },
  { additionalProperties: false },
);

export const SegmentDetailSchema = Type.Object(
  {
    segment: SegmentFeatureSchema,
    score: nullable(ScoreSummarySchema),
    /** Oldest first. */
    scores: Type.Array(ScoreSummarySchema),
    /** The segment's 1-minute traffic statistics, oldest first. */
    stats: Type.Array(TrafficStatsSchema),
    /** The newest reading of the station nearest to the segment (within `weatherRadiusKm`), or null. */
    weather: nullable(Type.Intersect([WeatherObservationSchema, Type.Object({ distanceKm: Type.Number() })])),
  },
  { title: 'SegmentDetail' },
);

// ---------------------------------------------------------------------------------------------
// Alerts

export const OperatorActionSchema = Type.Object({ actor: Type.String(), role: stringEnum(ROLES), atMs: Type.Integer(), note: nullable(Type.String()) });

export const AlertSchema = Type.Object(
  {
    alertId: Type.String({ pattern: UUID_PATTERN }),
    segmentId: Type.String(),
    status: stringEnum(ALERT_STATUSES),
    /** The scorer's side: `active` until it sends `resolved` (the risk stayed low), then `cleared`. */
    scorerState: stringEnum(['active', 'cleared']),
    /** Current level (the scorer's, after its latest event). */
    level: level(),
    peakLevel: level(),
    raisedAtMs: Type.Integer(),
    /** Window end of the latest scorer event applied. */
    updatedAtMs: Type.Integer(),
    clearedAtMs: nullable(Type.Integer()),
    lastEvent: stringEnum(RISK_ALERT_TYPES),
    lastSeq: Type.Integer(),
    risk: Type.Number(),
    relativeRisk: Type.Number(),
    factors: Type.Array(RiskFactorSchema),
    modelVersion: Type.String(),
    acknowledged: nullable(OperatorActionSchema),
    resolved: nullable(OperatorActionSchema),
    /** [lon, lat] of the segment's middle, when the network has the segment. */
    position: nullable(Type.Array(Type.Number(), { minItems: 2, maxItems: 2 })),
  },
  { title: 'Alert' },
);
export type AlertView = Static<typeof AlertSchema>;

/** A 409: the common error body, with the alert as it is (so a client shows what someone else did). */
export const ConflictBodySchema = Type.Intersect([ErrorBodySchema, Type.Object({ alert: AlertSchema })], { title: 'Conflict' });

export const AuditEntrySchema = Type.Object({ action: stringEnum(AUDIT_ACTIONS), actor: Type.String(), role: Type.String(), atMs: Type.Integer(), note: nullable(Type.String()) });
export type AuditEntry = Static<typeof AuditEntrySchema>;

export const AlertDetailSchema = Type.Intersect([AlertSchema, Type.Object({ audit: Type.Array(AuditEntrySchema) })]);

export const AlertsQuerySchema = Type.Object(
  {
    status: Type.Optional(listOf(ALERT_STATUSES, 'Comma-separated statuses, e.g. open,acknowledged')),
    level: Type.Optional(listOf(RISK_LEVEL_NAMES, 'Comma-separated current levels, e.g. high,severe')),
    from: Type.Optional(Type.String({ pattern: TIME_PATTERN, description: 'Alerts raised at or after this time (epoch ms or ISO 8601)' })),
    to: Type.Optional(Type.String({ pattern: TIME_PATTERN, description: 'Alerts raised before this time (epoch ms or ISO 8601)' })),
    bbox: Type.Optional(
      Type.String({
        pattern: '^-?\\d{1,3}(\\.\\d{1,12})?(,-?\\d{1,3}(\\.\\d{1,12})?){3}$',
        description: 'minLon,minLat,maxLon,maxLat: alerts whose segment crosses the box',
      }),
    ),
    segmentId: Type.Optional(Type.String({ pattern: SEGMENT_ID_PATTERN })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    cursor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$', description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);
export type AlertsQuery = Static<typeof AlertsQuerySchema>;

export const AlertListSchema = Type.Object({ alerts: Type.Array(AlertSchema), nextCursor: nullable(Type.String()) });

export const AlertParamsSchema = Type.Object({ alertId: Type.String({ pattern: UUID_PATTERN, description: 'The alert\u2019s UUID' }) });
export const AlertActionBodySchema = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

// ---------------------------------------------------------------------------------------------
// Weather

export const StationFeatureSchema = Type.Object({ type: Type.Literal('Feature'), id: Type.String(), geometry: PointSchema, properties: WeatherObservationSchema });
export const StationCollectionSchema = Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(StationFeatureSchema) });

// ---------------------------------------------------------------------------------------------
// Identity and keys

export const MeSchema = Type.Object({ subject: Type.String(), role: stringEnum(ROLES), via: stringEnum(['apiKey', 'jwt']) });

export const KeySchema = Type.Object(
  {
    keyId: Type.String(),
    name: Type.String(),
    role: stringEnum(ROLES),
    createdAtMs: Type.Integer(),
    createdBy: Type.String(),
    revokedAtMs: nullable(Type.Integer()),
  },
  { title: 'ApiKey' },
);
export const KeyListSchema = Type.Object({ keys: Type.Array(KeySchema) });
export const NewKeyBodySchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\w .@-]+$' }), role: stringEnum(ROLES) },
  { additionalProperties: false },
);
/** The key itself is shown once, here; the database keeps only its SHA-256. */
export const NewKeySchema = Type.Intersect([KeySchema, Type.Object({ key: Type.String() })]);
export const KeyParamsSchema = Type.Object({ keyId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

// ---------------------------------------------------------------------------------------------
// Thresholds (the scorers' level cut points and alert hysteresis, the contract of risk.thresholds)

export const ThresholdsVersionSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    /** Event time: applies to every minute whose window ends at or after it. */
    effectiveFromMs: Type.Integer(),
    thresholds: RiskThresholdsSchema,
    setBy: Type.String(),
    setByRole: stringEnum(ROLES),
    setAtMs: Type.Integer(),
    note: Type.String(),
    /** When its record went onto risk.thresholds; null until then (the API keeps trying). */
    publishedAtMs: nullable(Type.Integer()),
  },
  { title: 'ThresholdsVersion' },
);
export type ThresholdsVersionView = Static<typeof ThresholdsVersionSchema>;

export const ThresholdsHistorySchema = Type.Object({ versions: Type.Array(ThresholdsVersionSchema), nextBefore: nullable(Type.Integer()) }, { title: 'ThresholdsHistory' });
export const ThresholdsHistoryQuerySchema = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'Versions below this one (nextBefore of the previous page)' })),
  },
  { additionalProperties: false },
);
export type ThresholdsHistoryQuery = Static<typeof ThresholdsHistoryQuerySchema>;

export const ThresholdsBodySchema = Type.Object(
  {
    thresholds: RiskThresholdsSchema,
    note: Type.String({ minLength: 1, maxLength: 1000, description: 'Why: kept with the version and in the audit log' }),
    effectiveFromMs: Type.Optional(
      Type.Integer({ minimum: 0, multipleOf: 60_000, description: 'Event time it applies from: a minute boundary, not in the past; the next minute boundary when absent' }),
    ),
    expectedVersion: Type.Optional(Type.Integer({ minimum: 0, description: 'The version it replaces (0: none set yet), when If-Match is not sent' })),
  },
  { additionalProperties: false },
);
export type ThresholdsBody = Static<typeof ThresholdsBodySchema>;

export const ThresholdsHeadersSchema = Type.Object({
  'if-match': Type.Optional(Type.String({ pattern: '^"\\d{1,10}"$', description: 'The ETag of GET /v1/thresholds: the version it replaces ("0" when none is set)' })),
});

/** A 409: the common error body, with the newest version as it is (null: none), so a client shows what someone else set. */
export const ThresholdsConflictSchema = Type.Intersect([ErrorBodySchema, Type.Object({ current: nullable(ThresholdsVersionSchema) })], { title: 'ThresholdsConflict' });

// ---------------------------------------------------------------------------------------------
// Live stream

export const STREAM_EVENTS = ['score', 'alert'] as const;
export const StreamQuerySchema = Type.Object(
  {
    /** EventSource cannot set headers: the token may come here, on this route only. */
    access_token: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    events: Type.Optional(listOf(STREAM_EVENTS, 'Comma-separated event types to receive (default: all)')),
    /** For clients that cannot send the Last-Event-ID header on their first connection. */
    lastEventId: Type.Optional(Type.String({ pattern: '^\\d{1,16}$' })),
  },
  { additionalProperties: false },
);

/** Data of `event: score`: the RiskScore as published on risk.scores. */
export const StreamScoreSchema = RiskScoreSchema;
