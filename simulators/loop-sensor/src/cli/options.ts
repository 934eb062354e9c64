import type { Network } from '@saferoads/shared/network';
import { DEFAULT_LATE_DELAY_S } from '../faults/plan.js';
import { TARGET_DEFAULTS } from '../targets/sink.js';
import { DETECTIONS_ROUTE, parseTarget, TargetUrlError, type GatewayRoute, type TargetSpec } from '../targets/url.js';
import type { FaultOptions, Incident } from '../types.js';

/** A bad command-line value; `option` is the flag as the user typed it. */
export class OptionError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
    this.name = 'OptionError';
  }
}

/** Option values as commander hands them over: strings, as typed. */
export interface RawSimulateOptions {
  seed?: string;
  minutes?: string;
  start?: string;
  network?: string;
  speed?: string;
  out?: string;
  incident?: string[];
  demandFactor?: string;
  dropouts?: string;
  stuck?: string;
  duplicates?: string;
  reorder?: string;
  late?: string;
  lateDelay?: string;
  clockSkew?: string;
  withGaps?: boolean;
  progress?: boolean;
  target?: string;
  batchSize?: string;
  concurrency?: string;
  attempts?: string;
}

export interface SimulateConfig {
  seed: number;
  minutes: number;
  startMs: number;
  /** undefined: the bundled network. */
  networkPath: string | undefined;
  speed: number;
  out: string | undefined;
  incidents: Incident[];
  demandFactor: number;
  faults: FaultOptions;
  withGaps: boolean;
  progress: boolean;
  /** undefined: NDJSON to --out or stdout. */
  target: TargetSpec | undefined;
  /** Most records per request (http) or producer send (kafka). */
  batchSize: number;
  /** http: requests in flight at most. */
  concurrency: number;
  /** http: attempts per request, the first included. */
  attempts: number;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An option's number, `fallback` when not given; OptionError when not a number in [min, max]. */
export function num(option: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new OptionError(option, `must be a number, got "${raw}"`);
  if (v < min || v > max) throw new OptionError(option, `must be between ${min} and ${max}, got ${raw}`);
  return v;
}

/** An option's whole number, `fallback` when not given. */
export function int(option: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  const v = num(option, raw, fallback, min, max);
  if (!Number.isInteger(v)) throw new OptionError(option, `must be a whole number, got ${raw}`);
  return v;
}

export function parseIsoTime(option: string, raw: string): number {
  const ms = ISO_WITH_OFFSET.test(raw) ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new OptionError(option, `must be an ISO time with a UTC offset, e.g. 2026-03-10T06:50:00Z, got "${raw}"`);
  }
  return ms;
}

/** `segmentId@ISO-time/minutes[/lanes]`, e.g. `A13-N-020@2026-03-10T07:05:00+01:00/30/1`. */
export function parseIncident(raw: string): Incident {
  const at = raw.lastIndexOf('@');
  const parts = at > 0 ? raw.slice(at + 1).split('/') : [];
  if (at <= 0 || parts.length < 2 || parts.length > 3) {
    throw new OptionError('--incident', `must look like segmentId@ISO-time/minutes[/lanes], got "${raw}"`);
  }
  const durationMin = num('--incident', parts[1], 0, 0, 7 * 24 * 60);
  if (durationMin <= 0) throw new OptionError('--incident', `minutes must be > 0, got "${parts[1]}"`);
  return {
    segmentId: raw.slice(0, at),
    startMs: parseIsoTime('--incident', parts[0]),
    durationMin,
    lanesBlocked: int('--incident', parts[2], 1, 0, 16),
  };
}

/** Validates every option once, before anything runs. Throws OptionError naming the first bad one. */
export function parseSimulateOptions(raw: RawSimulateOptions, nowMs: number): SimulateConfig {
  const seed = int('--seed', raw.seed, 1, 0, Number.MAX_SAFE_INTEGER);
  const minutes = num('--minutes', raw.minutes, 60, Number.MIN_VALUE, 366 * 24 * 60);
  const startMs = raw.start === undefined ? Math.floor(nowMs / 60_000) * 60_000 : parseIsoTime('--start', raw.start);
  const speed = num('--speed', raw.speed, 0, 0, 10_000);
  const demandFactor = num('--demand-factor', raw.demandFactor, 1, 0, 10);
  const faults: FaultOptions = {
    dropouts: num('--dropouts', raw.dropouts, 0, 0, 1),
    stuck: int('--stuck', raw.stuck, 0, 0, 100_000),
    duplicates: num('--duplicates', raw.duplicates, 0, 0, 1),
    reorderS: num('--reorder', raw.reorder, 0, 0, 3600),
    late: num('--late', raw.late, 0, 0, 1),
    lateDelayS: num('--late-delay', raw.lateDelay, DEFAULT_LATE_DELAY_S, 0, 86_400),
    clockSkewS: num('--clock-skew', raw.clockSkew, 0, 0, 86_400),
  };
  if (raw.lateDelay !== undefined && !(faults.late! > 0)) {
    throw new OptionError('--late-delay', 'has no effect without --late <rate>');
  }
  const network = raw.network;
  if (network !== undefined && network.trim() === '') throw new OptionError('--network', 'must name a file');
  if (raw.out !== undefined && raw.out.trim() === '') throw new OptionError('--out', 'must name a file');
  const delivery = parseDelivery(raw);
  return {
    seed,
    minutes,
    startMs,
    networkPath: network,
    speed,
    out: raw.out,
    incidents: (raw.incident ?? []).map(parseIncident),
    demandFactor,
    faults,
    withGaps: raw.withGaps === true,
    progress: raw.progress !== false,
    ...delivery,
  };
}

export type Delivery = Pick<SimulateConfig, 'target' | 'batchSize' | 'concurrency' | 'attempts'>;
/** The options behind a Delivery, as commander hands them over. */
export type RawDelivery = Pick<RawSimulateOptions, 'target' | 'out' | 'batchSize' | 'concurrency' | 'attempts'>;

/** --target (http targets post to `route`) and the options that tune it; those are refused where they would be ignored. */
export function parseDelivery(raw: RawDelivery, route: GatewayRoute = DETECTIONS_ROUTE): Delivery {
  let target: TargetSpec | undefined;
  if (raw.target !== undefined) {
    try {
      target = parseTarget(raw.target, route);
    } catch (err) {
      if (err instanceof TargetUrlError) throw new OptionError('--target', err.message);
      throw err;
    }
    if (raw.out !== undefined) throw new OptionError('--target', 'cannot be combined with --out');
  }
  const need = (option: string, value: string | undefined, kinds: readonly TargetSpec['kind'][]) => {
    if (value === undefined || (target && kinds.includes(target.kind))) return;
    throw new OptionError(option, target ? `applies to ${kinds.join(' and ')} targets only` : 'has no effect without --target');
  };
  need('--batch-size', raw.batchSize, ['http', 'kafka']);
  // kafkajs keeps one request in flight per broker and retries by itself (KAFKA_RETRIES).
  need('--concurrency', raw.concurrency, ['http']);
  need('--attempts', raw.attempts, ['http']);
  return {
    target,
    batchSize: int('--batch-size', raw.batchSize, TARGET_DEFAULTS.batchSize, 1, 1_000_000),
    concurrency: int('--concurrency', raw.concurrency, TARGET_DEFAULTS.concurrency, 1, 64),
    attempts: int('--attempts', raw.attempts, TARGET_DEFAULTS.attempts, 1, 100),
  };
}

/** Checks incidents against the network: the segment exists and has the lanes to block. */
export function checkIncidents(incidents: readonly Incident[], network: Network): void {
  for (const inc of incidents) {
    const seg = network.byId.get(inc.segmentId);
    if (!seg) throw new OptionError('--incident', `unknown segment "${inc.segmentId}" in network ${network.name}`);
    const lanes = inc.lanesBlocked ?? 1;
    if (lanes > seg.props.lanes) {
      throw new OptionError('--incident', `${inc.segmentId} has ${seg.props.lanes} lanes, cannot block ${lanes}`);
    }
  }
}
