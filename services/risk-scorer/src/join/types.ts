import type { SegmentMinuteInputs } from '@saferoads/model-spec';
import type { WindowName } from '@saferoads/shared/contracts';

/** A record a joined segment-minute went without: its own, or a neighbour's. */
export interface MissingRecord {
  readonly segmentId: string;
  readonly window: WindowName;
}

/** What a segment-minute lacked when it was emitted. */
export interface JoinGaps {
  /** The segment's own windows that had not arrived. */
  readonly own: readonly WindowName[];
  readonly upstream: readonly MissingRecord[];
  readonly downstream: readonly MissingRecord[];
}

/** One segment's records of one minute, with its neighbours': what a feature row is built from. */
export interface JoinedSegment {
  readonly segmentId: string;
  /** Position in Network.segments. */
  readonly index: number;
  readonly inputs: SegmentMinuteInputs;
  readonly missing: JoinGaps;
  /** Every record the segment-minute needs was there. */
  readonly complete: boolean;
}

/** Why a minute was emitted. */
export type EmitReason =
  /** Every record it needs arrived. */
  | 'complete'
  /** Every segment it needs has sent a record of a later minute: nothing more will come in order. */
  | 'watermark'
  /** maxWaitMs passed since its first record. */
  | 'timeout'
  /** A newer minute was emitted (minutes leave in order), or maxOpenMinutes were open. */
  | 'superseded'
  /** End of input. */
  | 'flush';

/** The scored segments of one minute, the batch one inference scores. */
export interface JoinedMinute {
  /** End of the 1-minute window (and of the 10-minute window) joined. */
  readonly windowEndMs: number;
  readonly reason: EmitReason;
  /** Scored segments with at least one own record, in network order. */
  readonly segments: readonly JoinedSegment[];
  /** Scored segments that had no own record at all: not scored this minute. */
  readonly absent: readonly string[];
  /** Records this minute needed and did not get (own and neighbours', both windows). */
  readonly missingRecords: number;
}

/** A record that came after its minute was emitted: counted and reported, never re-emitted. */
export interface LateRecord {
  readonly segmentId: string;
  readonly window: WindowName;
  readonly windowEndMs: number;
  /** The join had emitted every minute up to here when the record came. */
  readonly closedThroughMs: number;
  /** Scored segments whose rows went without it (the segment itself and/or those it neighbours). */
  readonly affects: readonly string[];
}

/** What became of one record given to the join. */
export type JoinOutcome = 'joined' | 'late' | 'duplicate' | 'unknownSegment' | 'unneeded';

export interface JoinCounters {
  records: number;
  joined: number;
  late: number;
  duplicate: number;
  unknownSegment: number;
  /** Records of segments neither scored here nor neighbouring a scored one. */
  unneeded: number;
  minutes: number;
  /** Minutes emitted by reason. */
  complete: number;
  watermark: number;
  timeout: number;
  superseded: number;
  flush: number;
  /** Records minutes were emitted without. */
  missingRecords: number;
}
