import { along, length, lineString } from '@turf/turf';
import { create } from 'xmlbuilder2';
import { ConfigError } from '@saferoads/shared/errors';
import { description, headline, segmentLabel } from '../describe.js';
import { DATEX_LEVELS } from '../levels.js';
import { isoTime } from '../time.js';
import type { AlertView } from '../types.js';
import { exportable, type OnInvalid } from '../validate.js';

export const DATEX_NS = {
  d2: 'http://datex2.eu/schema/3/d2Payload',
  com: 'http://datex2.eu/schema/3/common',
  sit: 'http://datex2.eu/schema/3/situation',
  loc: 'http://datex2.eu/schema/3/locationReferencing',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

export type DatexInformationStatus = 'real' | 'securityExercise' | 'technicalExercise' | 'test';
export type DatexConfidentiality = 'noRestriction' | 'restrictedToAuthorities' | 'restrictedToAuthoritiesAndTrafficOperators' | 'internalUse';

export interface DatexOptions {
  /** publicationCreator: ISO 3166-1 alpha-2 country of the publishing authority, e.g. `AT`. */
  readonly country: string;
  /** publicationCreator: the authority's national identifier, e.g. `ASFINAG` or `saferoads`. */
  readonly nationalIdentifier: string;
  /** Language of the texts and the publication's `lang`. Default `en`. */
  readonly language?: string;
  /** headerInformation.informationStatus. Default `real`. */
  readonly informationStatus?: DatexInformationStatus;
  /** headerInformation.confidentiality. Default `noRestriction`. */
  readonly confidentiality?: DatexConfidentiality;
  /** Prefix of situation and record ids. Default `saferoads`. */
  readonly idPrefix?: string;
}

export interface DatexConfig {
  readonly country: string;
  readonly nationalIdentifier: string;
  readonly language: string;
  readonly informationStatus: DatexInformationStatus;
  readonly confidentiality: DatexConfidentiality;
  readonly idPrefix: string;
}

const STATUSES: readonly DatexInformationStatus[] = ['real', 'securityExercise', 'technicalExercise', 'test'];
const CONFIDENTIALITY: readonly DatexConfidentiality[] = ['noRestriction', 'restrictedToAuthorities', 'restrictedToAuthoritiesAndTrafficOperators', 'internalUse'];

/** Checks the options once, when an exporter is built, and fills in the defaults. */
export function datexConfig(opts: DatexOptions): DatexConfig {
  const c: DatexConfig = {
    country: opts.country,
    nationalIdentifier: opts.nationalIdentifier,
    language: opts.language ?? 'en',
    informationStatus: opts.informationStatus ?? 'real',
    confidentiality: opts.confidentiality ?? 'noRestriction',
    idPrefix: opts.idPrefix ?? 'saferoads',
  };
  const problems: string[] = [];
  if (typeof c.country !== 'string' || !/^[A-Za-z]{2}$/.test(c.country)) problems.push('country: an ISO 3166-1 alpha-2 code such as AT');
  if (typeof c.nationalIdentifier !== 'string' || c.nationalIdentifier.trim() === '' || c.nationalIdentifier.length > 1024) problems.push('nationalIdentifier: required, at most 1024 characters');
  if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(c.language)) problems.push('language: a language tag such as en or de-AT');
  if (!STATUSES.includes(c.informationStatus)) problems.push(`informationStatus: one of ${STATUSES.join(', ')}`);
  if (!CONFIDENTIALITY.includes(c.confidentiality)) problems.push(`confidentiality: one of ${CONFIDENTIALITY.join(', ')}`);
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(c.idPrefix)) problems.push('idPrefix: 1 to 64 letters, digits, _ . or -');
  if (problems.length > 0) throw new ConfigError('DATEX II export', problems);
  return c;
}

const STRUCTURE: Readonly<Record<'tunnel' | 'bridge', string>> = { tunnel: 'inTunnel', bridge: 'onBridge' };

function num(v: number): string {
  return v.toFixed(5);
}

type Node = ReturnType<typeof create>;

function multilingual(parent: Node, name: string, lang: string, value: string): void {
  // MultilingualStringValue is at most 1024 characters (DATEX II common).
  parent.ele(name).ele('com:values').ele('com:value', { lang }).txt(value.slice(0, 1024));
}

function appendRecord(situation: Node, v: AlertView, c: DatexConfig): void {
  const m = DATEX_LEVELS[v.level];
  const ended = v.lifecycle === 'resolved' || v.status === 'resolved';
  const endMs = v.status === 'resolved' && v.lifecycle !== 'resolved' ? (v.resolvedAtMs ?? v.updatedAtMs) : v.updatedAtMs;
  // One record per alert whose version counts its lifecycle steps (an operator's resolution is one more).
  const version = v.seq + 1 + (v.status === 'resolved' && v.lifecycle !== 'resolved' ? 1 : 0);
  const r = situation.ele('sit:situationRecord', { 'xsi:type': 'sit:Conditions', id: `${c.idPrefix}-${v.alertId}-r`, version: String(version) });
  r.ele('sit:situationRecordCreationTime').txt(isoTime(v.raisedAtMs));
  r.ele('sit:situationRecordObservationTime').txt(isoTime(v.updatedAtMs));
  r.ele('sit:situationRecordVersionTime').txt(isoTime(ended ? endMs : v.updatedAtMs));
  r.ele('sit:probabilityOfOccurrence').txt(m.probability);
  r.ele('sit:severity').txt(m.severity);
  r.ele('sit:safetyRelatedMessage').txt('true');
  const src = r.ele('sit:source');
  src.ele('com:sourceIdentification').txt('saferoads');
  src.ele('com:sourceType').txt('inductionLoopMonitoringStation');
  const validity = r.ele('sit:validity');
  validity.ele('com:validityStatus').txt(ended ? 'definedByValidityTimeSpec' : 'active');
  const period = validity.ele('com:validityTimeSpecification');
  period.ele('com:overallStartTime').txt(isoTime(v.raisedAtMs));
  if (ended) period.ele('com:overallEndTime').txt(isoTime(endMs));
  const d = { ...v, lifecycle: ended ? ('resolved' as const) : v.lifecycle };
  const comment = r.ele('sit:generalPublicComment');
  multilingual(comment, 'sit:comment', c.language, `${headline(d)}. ${description(d)}`);
  comment.ele('sit:commentType').txt('description');

  const seg = v.segment;
  const location = r.ele('sit:locationReference', { 'xsi:type': 'loc:SingleRoadLinearLocation' });
  const line = lineString(seg.coordinates.map((p) => [p[0], p[1]]));
  const lengthM = length(line, { units: 'meters' });
  // Where a map puts the warning: halfway along the segment.
  const [midLon, midLat] = along(line, lengthM / 2, { units: 'meters' }).geometry.coordinates;
  const display = location.ele('loc:coordinatesForDisplay');
  display.ele('loc:latitude').txt(num(midLat));
  display.ele('loc:longitude').txt(num(midLon));
  const supp = location.ele('loc:supplementaryPositionalDescription');
  if (seg.structure) supp.ele('loc:infrastructureDescriptor').txt(STRUCTURE[seg.structure]);
  supp.ele('loc:lengthAffected').txt(lengthM.toFixed(0));
  multilingual(supp, 'loc:locationDescription', c.language, segmentLabel(seg));
  if (seg.name || seg.road) {
    const road = supp.ele('loc:roadInformation');
    if (seg.name) road.ele('loc:roadName').txt(seg.name);
    if (seg.road) road.ele('loc:roadNumber').txt(seg.road);
  }
  const gml = location.ele('loc:gmlLineString', { srsDimension: '2', srsName: 'EPSG:4326' });
  gml.ele('loc:posList').txt(seg.coordinates.map((p) => `${num(p[1])} ${num(p[0])}`).join(' '));

  r.ele('sit:drivingConditionType').txt(m.drivingCondition);
}

/**
 * A DATEX II v3 SituationPublication (the subset in docs/alert-exchange.md): one `situation` per
 * alert with one `Conditions` record, in the order of `views` sorted by alertId so the same alerts
 * give the same document. An alert that cannot be exported (viewProblems) is left out and reported
 * to `onInvalid`.
 */
export function datexSituationPublicationXml(views: readonly AlertView[], c: DatexConfig, generatedAtMs: number, onInvalid?: OnInvalid): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const payload = doc.ele(DATEX_NS.d2, 'd2:payload', {
    'xmlns:com': DATEX_NS.com,
    'xmlns:sit': DATEX_NS.sit,
    'xmlns:loc': DATEX_NS.loc,
    'xmlns:xsi': DATEX_NS.xsi,
    'xsi:type': 'sit:SituationPublication',
    lang: c.language,
    modelBaseVersion: '3',
  });
  payload.ele('com:publicationTime').txt(isoTime(generatedAtMs));
  const creator = payload.ele('com:publicationCreator');
  creator.ele('com:country').txt(c.country);
  creator.ele('com:nationalIdentifier').txt(c.nationalIdentifier);
  for (const v of exportable(views, onInvalid).sort((a, b) => (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0))) {
    const situation = payload.ele('sit:situation', { id: `${c.idPrefix}-${v.alertId}` });
    situation.ele('sit:overallSeverity').txt(DATEX_LEVELS[v.level].severity);
    situation.ele('sit:situationVersionTime').txt(isoTime(v.status === 'resolved' && v.lifecycle !== 'resolved' ? (v.resolvedAtMs ?? v.updatedAtMs) : v.updatedAtMs));
    const header = situation.ele('sit:headerInformation');
    header.ele('com:confidentiality').txt(c.confidentiality);
    header.ele('com:informationStatus').txt(c.informationStatus);
    appendRecord(situation, v, c);
  }
  return doc.end({ prettyPrint: true });
}
