import { ALERT_LEVELS } from './levels.js';
import type { AlertView } from './types.js';

const LIFECYCLE = ['raised', 'escalated', 'deescalated', 'resolved'];
const STATUS = ['open', 'acknowledged', 'resolved'];

/**
 * What stops an alert from being exported, each naming the field: an export leaves such an alert
 * out (and says so through `onInvalid`) rather than failing the whole document.
 */
export function viewProblems(v: AlertView): string[] {
  const p: string[] = [];
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v.alertId)) p.push('alertId: not a lower-case UUID');
  if (!ALERT_LEVELS.includes(v.level)) p.push(`level: not one of ${ALERT_LEVELS.join(', ')}`);
  if (!LIFECYCLE.includes(v.lifecycle)) p.push(`lifecycle: not one of ${LIFECYCLE.join(', ')}`);
  if (!STATUS.includes(v.status)) p.push(`status: not one of ${STATUS.join(', ')}`);
  if (!Number.isInteger(v.seq) || v.seq < 0) p.push('seq: not a non-negative integer');
  for (const k of ['raisedAtMs', 'updatedAtMs'] as const) if (!Number.isInteger(v[k])) p.push(`${k}: not an integer of epoch milliseconds`);
  if (!(v.risk >= 0 && v.risk <= 1)) p.push('risk: not a probability');
  if (!(v.relativeRisk >= 0 && Number.isFinite(v.relativeRisk))) p.push('relativeRisk: not a finite number >= 0');
  const coords = v.segment?.coordinates ?? [];
  if (coords.length < 2) p.push(`segment.coordinates: a line needs at least 2 positions, got ${coords.length}`);
  coords.forEach((c, i) => {
    if (!(Math.abs(c[0]) <= 180 && Math.abs(c[1]) <= 90)) p.push(`segment.coordinates[${i}]: not a [lon, lat] in WGS 84`);
  });
  if (coords.length >= 2 && coords.every((c) => c[0] === coords[0][0] && c[1] === coords[0][1])) p.push('segment.coordinates: every position is the same point');
  return p;
}

export type OnInvalid = (view: AlertView, problems: readonly string[]) => void;

/** The views that can be exported; the others go to `onInvalid`. */
export function exportable(views: readonly AlertView[], onInvalid?: OnInvalid): AlertView[] {
  return views.filter((v) => {
    const problems = viewProblems(v);
    if (problems.length > 0) onInvalid?.(v, problems);
    return problems.length === 0;
  });
}
