import { alertSegmentOf, type AlertEvent, type AlertView as ExportView } from '@saferoads/alert-exchange';
import type { RiskAlert } from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';
import type { AlertView } from './http/schemas.js';

/** An alert of the API as the CAP and DATEX II exports read it (@saferoads/alert-exchange); null when its segment is not in the network. */
export function exportView(a: AlertView, network: Network): ExportView | null {
  if (!network.byId.has(a.segmentId)) return null;
  return {
    alertId: a.alertId,
    segmentId: a.segmentId,
    level: a.level,
    status: a.status,
    lifecycle: a.lastEvent,
    seq: a.lastSeq,
    raisedAtMs: a.raisedAtMs,
    updatedAtMs: a.updatedAtMs,
    ...(a.resolved && { resolvedAtMs: a.resolved.atMs }),
    risk: a.risk,
    relativeRisk: a.relativeRisk,
    factors: a.factors,
    segment: alertSegmentOf(network, a.segmentId),
  };
}

/** A risk.alerts event as the webhook notifier reads it, with its segment when the network has it. */
export function notifierEvent(e: RiskAlert, network: Network): AlertEvent {
  return { ...e, ...(network.byId.has(e.segmentId) && { segment: alertSegmentOf(network, e.segmentId) }) };
}
