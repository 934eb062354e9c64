// The alert API's shapes (services/alert-api/src/http/schemas.ts), imported as types only: the
// page bundles none of the server's code.
import type { Static } from '@sinclair/typebox';
import type { AlertView, AuditEntry, Role, ScoreSummary, SegmentDetailSchema, SegmentFeature, SegmentGeometry, SegmentScores, StationCollectionSchema } from '@saferoads/alert-api/schemas';
import type { RiskScore, TrafficStats, WeatherObservation } from '@saferoads/shared/contracts';

export type { AlertView, AuditEntry, RiskScore, Role, ScoreSummary, SegmentFeature, SegmentGeometry, SegmentScores, TrafficStats, WeatherObservation };
export type RiskLevel = ScoreSummary['level'];
export type AlertStatus = AlertView['status'];
export type SegmentDetail = Static<typeof SegmentDetailSchema>;
export type StationCollection = Static<typeof StationCollectionSchema>;
export type StationFeature = StationCollection['features'][number];
export interface SegmentGeometryCollection {
  readonly type: 'FeatureCollection';
  readonly features: readonly SegmentGeometry[];
}
export interface Me {
  readonly subject: string;
  readonly role: Role;
}
