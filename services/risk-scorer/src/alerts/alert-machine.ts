import { RISK_LEVELS, levelRank, type RiskLevel } from '../scores/levels.js';
import { alertId } from './alert-id.js';
import { alertConfig, type AlertConfig } from './config.js';
import type { AlertCounters, AlertEvent, AlertEventType, AlertInput, AlertOutcome } from './types.js';

const MINUTE_MS = 60_000;
const LEVELS = RISK_LEVELS.length;

interface OpenAlert {
  readonly alertId: string;
  readonly raisedAtMs: number;
  level: number;
  seq: number;
}

/** One segment's state: its last minute, the runs ending there, and its open alert. */
export interface SegmentAlertState {
  lastMs: number;
  /** atLeast[l]: consecutive minutes, ending at lastMs, at level l or above. */
  readonly atLeast: number[];
  /** atMost[l]: consecutive minutes, ending at lastMs, at level l or below. */
  readonly atMost: number[];
  open: OpenAlert | null;
}

/** Every segment's state, for a snapshot (plain JSON). */
export type AlertMachineState = Readonly<Record<string, SegmentAlertState>>;

/**
 * Alerts per segment with hysteresis (docs/risk-scorer.md): raised after raiseAfterMinutes
 * consecutive minutes at or above raiseLevel, escalated and de-escalated as the level stays above
 * or below the alert's for escalateAfter / deescalateAfter minutes, resolved after
 * resolveAfterMinutes consecutive clear minutes. At most one open alert per segment; its id is a
 * hash of segment and raise minute.
 *
 * A pure function of each segment's scores in minute order: the same scores give the same
 * events. A score at or before the segment's last minute is stale (ignored, counted); a missing
 * minute breaks every run (an open alert stays open).
 */
export class AlertMachine {
  readonly config: AlertConfig;
  readonly counters: AlertCounters = { minutes: 0, stale: 0, gaps: 0, raised: 0, escalated: 0, deescalated: 0, resolved: 0 };
  private readonly segments = new Map<string, SegmentAlertState>();

  constructor(config: Partial<AlertConfig> = {}) {
    this.config = alertConfig(config);
  }

  /** Open alerts, by segment. */
  get openAlerts(): number {
    let n = 0;
    for (const s of this.segments.values()) if (s.open) n++;
    return n;
  }

  /** The open alert of a segment, if any. */
  openAlert(segmentId: string): { readonly alertId: string; readonly level: RiskLevel; readonly raisedAtMs: number } | null {
    const open = this.segments.get(segmentId)?.open;
    return open ? { alertId: open.alertId, level: RISK_LEVELS[open.level], raisedAtMs: open.raisedAtMs } : null;
  }

  /**
   * Takes one segment-minute's score; returns the event it causes, if any (at most one). `config`
   * is the hysteresis in force for this minute (thresholds set at runtime, already validated), the
   * machine's own otherwise: the runs are counted the same whatever the settings, so a change
   * applies from the minute it is in force for, to the runs as they stand.
   */
  process(input: AlertInput, config: AlertConfig = this.config): { outcome: AlertOutcome; event: AlertEvent | null } {
    const cfg = config;
    const raise = levelRank(cfg.raiseLevel);
    const clear = levelRank(cfg.clearBelow);
    let st = this.segments.get(input.segmentId);
    if (st === undefined) {
      st = { lastMs: Number.NEGATIVE_INFINITY, atLeast: new Array<number>(LEVELS).fill(0), atMost: new Array<number>(LEVELS).fill(0), open: null };
      this.segments.set(input.segmentId, st);
    }
    if (input.windowEndMs <= st.lastMs) {
      this.counters.stale++;
      return { outcome: 'stale', event: null };
    }
    if (Number.isFinite(st.lastMs) && input.windowEndMs !== st.lastMs + MINUTE_MS) {
      this.counters.gaps++;
      st.atLeast.fill(0);
      st.atMost.fill(0);
    }
    st.lastMs = input.windowEndMs;
    this.counters.minutes++;
    const level = levelRank(input.level);
    for (let l = 0; l < LEVELS; l++) {
      st.atLeast[l] = level >= l ? st.atLeast[l] + 1 : 0;
      st.atMost[l] = level <= l ? st.atMost[l] + 1 : 0;
    }

    const open = st.open;
    if (open === null) {
      if (st.atLeast[raise] < cfg.raiseAfterMinutes) return { outcome: 'applied', event: null };
      // Raised at the highest level held for as long as an escalation would need (within the run).
      const hold = Math.min(cfg.escalateAfterMinutes, cfg.raiseAfterMinutes);
      let at = raise;
      for (let l = LEVELS - 1; l > raise; l--) {
        if (st.atLeast[l] >= hold) {
          at = l;
          break;
        }
      }
      st.open = { alertId: alertId(input.segmentId, input.windowEndMs), raisedAtMs: input.windowEndMs, level: at, seq: 0 };
      return { outcome: 'applied', event: this.event(st.open, 'raised', null, input) };
    }

    if (clear > 0 && st.atMost[clear - 1] >= cfg.resolveAfterMinutes) {
      st.open = null;
      return { outcome: 'applied', event: this.event(open, 'resolved', open.level, input) };
    }
    for (let l = LEVELS - 1; l > open.level; l--) {
      if (st.atLeast[l] >= cfg.escalateAfterMinutes) return { outcome: 'applied', event: this.move(open, l, 'escalated', input) };
    }
    for (let l = clear; l < open.level; l++) {
      if (st.atMost[l] >= cfg.deescalateAfterMinutes) return { outcome: 'applied', event: this.move(open, l, 'deescalated', input) };
    }
    return { outcome: 'applied', event: null };
  }

  /** Every segment's state (a deep copy), for a snapshot. */
  save(): AlertMachineState {
    return Object.fromEntries([...this.segments].map(([id, s]) => [id, structuredClone(s)]));
  }

  /** Back to a saved state; counters are not part of it. */
  restore(state: AlertMachineState): void {
    this.segments.clear();
    for (const [id, s] of Object.entries(state)) this.segments.set(id, structuredClone(s));
  }

  private move(open: OpenAlert, to: number, type: AlertEventType, input: AlertInput): AlertEvent {
    const from = open.level;
    open.level = to;
    open.seq++;
    return this.event(open, type, from, input);
  }

  private event(open: OpenAlert, type: AlertEventType, previous: number | null, input: AlertInput): AlertEvent {
    this.counters[type]++;
    const seq = type === 'resolved' ? open.seq + 1 : open.seq;
    return {
      eventId: `${open.alertId}/${seq}`,
      alertId: open.alertId,
      seq,
      segmentId: input.segmentId,
      type,
      level: RISK_LEVELS[open.level],
      previousLevel: previous === null ? null : RISK_LEVELS[previous],
      windowEndMs: input.windowEndMs,
      raisedAtMs: open.raisedAtMs,
      scoreLevel: input.level,
      risk: input.risk,
      relativeRisk: input.relativeRisk,
      factors: input.factors,
    };
  }
}
