import { create } from 'xmlbuilder2';
import { SaferoadsError } from '@saferoads/shared/errors';
import { viewProblems } from '../validate.js';
import { description, eventName, headline, segmentLabel } from '../describe.js';
import { CAP_LEVELS } from '../levels.js';
import { capTime } from '../time.js';
import type { AlertView } from '../types.js';
import { capCircle, capPolygon } from './area.js';
import type { CapConfig } from './config.js';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';

export type XmlNode = ReturnType<typeof create>;
export type CapMsgType = 'Alert' | 'Update' | 'Cancel';

/** True when the operator resolved the alert before the scorer did. */
function resolvedByOperator(v: AlertView): boolean {
  return v.status === 'resolved' && v.lifecycle !== 'resolved';
}

/** Alert for raised, Update for escalated and de-escalated, Cancel for resolved (by either). */
export function capMsgType(v: AlertView): CapMsgType {
  if (v.lifecycle === 'resolved' || v.status === 'resolved') return 'Cancel';
  return v.lifecycle === 'raised' ? 'Alert' : 'Update';
}

/**
 * `<prefix>-<alertId>-<seq>`: one identifier per lifecycle step, so a re-export of the same step is
 * the same message and a replay of the scorer (same alertId and seq) changes nothing. An operator's
 * resolution has no step of its own and takes `-resolved`.
 */
export function capIdentifier(c: CapConfig, v: Pick<AlertView, 'alertId' | 'seq'>, operatorResolved = false): string {
  return `${c.identifierPrefix}-${v.alertId}-${v.seq}${operatorResolved ? '-resolved' : ''}`;
}

/** When the message was made: the lifecycle step's minute, or the operator's resolution. */
export function capSent(v: AlertView): number {
  return resolvedByOperator(v) ? (v.resolvedAtMs ?? v.updatedAtMs) : v.updatedAtMs;
}

/** Appends one CAP 1.2 `alert` element for `v` to `parent`, in the schema's element order. */
export function appendCapAlert(parent: XmlNode, v: AlertView, c: CapConfig, generatedAtMs: number): XmlNode {
  const msgType = capMsgType(v);
  const a = parent.ele(CAP_NAMESPACE, 'alert');
  const text = (node: XmlNode, name: string, value: string) => node.ele(name).txt(value).up();

  text(a, 'identifier', capIdentifier(c, v, resolvedByOperator(v)));
  text(a, 'sender', c.sender);
  text(a, 'sent', capTime(capSent(v)));
  text(a, 'status', c.status);
  text(a, 'msgType', msgType);
  text(a, 'scope', c.scope);
  if (c.scope === 'Restricted' && c.restriction) text(a, 'restriction', c.restriction);
  if (c.scope === 'Private' && c.addresses) text(a, 'addresses', c.addresses);
  // Every later message refers to the one that raised the alert, as CAP's references require.
  if (msgType !== 'Alert') text(a, 'references', `${c.sender},${capIdentifier(c, { alertId: v.alertId, seq: 0 })},${capTime(v.raisedAtMs)}`);
  text(a, 'incidents', v.alertId);

  const m = CAP_LEVELS[v.level];
  const info = a.ele('info');
  text(info, 'language', c.language);
  text(info, 'category', 'Transport');
  text(info, 'event', eventName(v.level));
  text(info, 'responseType', msgType === 'Cancel' ? 'AllClear' : 'Monitor');
  text(info, 'urgency', msgType === 'Cancel' ? 'Past' : m.urgency);
  text(info, 'severity', m.severity);
  text(info, 'certainty', m.certainty);
  text(info, 'effective', capTime(capSent(v)));
  text(info, 'onset', capTime(v.raisedAtMs));
  text(info, 'expires', capTime(Math.max(generatedAtMs, capSent(v)) + c.expiresAfterMs));
  text(info, 'senderName', c.senderName);
  const d = { ...v, lifecycle: msgType === 'Cancel' ? ('resolved' as const) : v.lifecycle };
  text(info, 'headline', headline(d));
  text(info, 'description', description(d));
  if (c.webBase) text(info, 'web', `${c.webBase}/${v.alertId}`);
  const param = (name: string, value: string) => info.ele('parameter').ele('valueName').txt(name).up().ele('value').txt(value).up().up();
  param('saferoadsSegmentId', v.segmentId);
  param('saferoadsLevel', v.level);
  param('saferoadsRelativeRisk', v.relativeRisk.toFixed(2));
  param('saferoadsRisk', v.risk.toFixed(6));
  param('saferoadsStatus', v.status);

  const area = info.ele('area');
  text(area, 'areaDesc', segmentLabel(v.segment));
  if (c.areaShape === 'polygon') text(area, 'polygon', capPolygon(v.segment.coordinates, c.areaBufferM));
  else text(area, 'circle', capCircle(v.segment.coordinates, c.areaBufferM));
  return a;
}

/**
 * One alert as a standalone CAP 1.2 document (e.g. GET /v1/exports/cap/:alertId). An alert that
 * cannot be exported throws RECORD_INVALID naming every problem.
 */
export function capAlertXml(v: AlertView, c: CapConfig, generatedAtMs: number): string {
  const problems = viewProblems(v);
  if (problems.length > 0) throw new SaferoadsError('RECORD_INVALID', `alert ${v.alertId} cannot be exported: ${problems.join('; ')}`);
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  appendCapAlert(doc, v, c, generatedAtMs);
  return doc.end({ prettyPrint: true });
}
