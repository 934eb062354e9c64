import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ContextFeatureAssembler, InMemoryWeatherTable } from '@saferoads/context';
import type { FeatureSpec } from '@saferoads/model-spec';
import { decodeJson, trafficStatsValidator, weatherObservationValidator, type FieldError, type WeatherObservation } from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';
import type { AlertConfig } from '../alerts/config.js';
import { toRiskAlert, toRiskScore } from '../bus/encode.js';
import type { JoinConfig } from '../join/config.js';
import type { JoinedMinute } from '../join/types.js';
import type { ModelSlot } from '../model/model-slot.js';
import { RiskPipeline } from '../pipeline.js';
import type { ScoresConfig } from '../scores/config.js';

export interface OfflineScoreOptions {
  readonly network: Network;
  readonly spec: FeatureSpec;
  readonly model: ModelSlot;
  /** traffic-stats records as NDJSON (docs/traffic-stats.md), in window-end order per segment. */
  readonly input: Readable;
  /** Weather observations as NDJSON in time order: each minute is scored with the readings taken before its window ends. */
  readonly weather?: Readable;
  /** RiskScore NDJSON, one line per segment-minute. */
  readonly out: Writable;
  /** RiskAlert NDJSON, when given. */
  readonly alertsOut?: Writable;
  /** Write each score's features by name (default false: the lines stay short). */
  readonly includeFeatures?: boolean;
  readonly join?: Partial<JoinConfig>;
  readonly scores?: Partial<ScoresConfig>;
  readonly alerts?: Partial<AlertConfig>;
  /** Told of every refused line, as it is found. */
  readonly onProblem?: (p: OfflineProblem) => void;
}

/** A line that was not used: which input, its number (from 1), the field and the reason. */
export interface OfflineProblem {
  readonly input: 'stats' | 'weather';
  readonly line: number;
  readonly field: string;
  readonly reason: string;
}

export interface OfflineScoreReport {
  /** Non-blank stats lines read. */
  lines: number;
  /** Stats lines refused: not JSON, not a stats record, or a segment the network does not have. */
  invalid: number;
  /** Records whose minute had already been scored (too far out of order), and second copies. */
  late: number;
  duplicates: number;
  weatherLines: number;
  weatherInvalid: number;
  minutes: number;
  scores: number;
  alerts: number;
  /** Minutes scored with something missing (a window or a neighbour's record that never came). */
  incompleteMinutes: number;
}

/** The non-blank lines of a stream with their numbers (from 1, blank lines counted). */
async function* numbered(input: Readable): AsyncGenerator<{ line: number; text: string }> {
  let n = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    n++;
    if (text.trim() !== '') yield { line: n, text };
  }
}

const first = (errors: readonly FieldError[]): FieldError => errors[0] ?? { field: '(record)', reason: 'invalid' };

/**
 * `saferoads score`: the risk scorer's core (RiskPipeline: join, feature rows, one inference per
 * minute with factors, levels, alerts) over recorded traffic statistics, with no bus and no
 * clock. Minutes leave the join when complete, when every segment has moved on (the watermark)
 * or at the end of input; the wall-clock timeout never fires, so the same input always gives the
 * same output. Bad lines are reported and skipped; the valid records beside them are scored.
 */
export async function scoreStatsStream(o: OfflineScoreOptions): Promise<OfflineScoreReport> {
  const table = new InMemoryWeatherTable();
  const pipeline = new RiskPipeline({
    network: o.network,
    spec: o.spec,
    assembler: new ContextFeatureAssembler(o.network),
    weather: table,
    model: o.model,
    join: o.join,
    scores: o.scores,
    alerts: o.alerts,
  });
  const names = o.includeFeatures ? o.spec.features.map((f) => f.name) : undefined;
  const report: OfflineScoreReport = { lines: 0, invalid: 0, late: 0, duplicates: 0, weatherLines: 0, weatherInvalid: 0, minutes: 0, scores: 0, alerts: 0, incompleteMinutes: 0 };
  const problem = (p: OfflineProblem) => o.onProblem?.(p);

  const weather = o.weather ? numbered(o.weather) : null;
  let pending: WeatherObservation | null = null;
  let weatherDone = weather === null;
  /** Applies the readings taken before `endMs`, as the service's table would hold them. */
  const weatherUntil = async (endMs: number) => {
    while (!weatherDone) {
      if (pending === null) {
        const next = await weather!.next();
        if (next.done) {
          weatherDone = true;
          return;
        }
        report.weatherLines++;
        const v = decodeJson(next.value.text, weatherObservationValidator);
        if (!v.ok) {
          report.weatherInvalid++;
          problem({ input: 'weather', line: next.value.line, ...first(v.errors) });
          continue;
        }
        pending = v.value;
      }
      if (pending.ts >= endMs) return;
      table.upsert(pending);
      pending = null;
    }
  };

  const write = async (stream: Writable, text: string) => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  const score = async (minutes: readonly JoinedMinute[]) => {
    for (const minute of minutes) {
      await weatherUntil(minute.windowEndMs);
      const s = await pipeline.score(minute);
      report.minutes++;
      if (minute.missingRecords > 0) report.incompleteMinutes++;
      report.scores += s.scores.length;
      report.alerts += s.alerts.length;
      if (s.scores.length > 0) await write(o.out, s.scores.map((x) => JSON.stringify(toRiskScore(x, names)) + '\n').join(''));
      if (o.alertsOut && s.alerts.length > 0) {
        const version = s.scores[0].modelVersion;
        await write(o.alertsOut, s.alerts.map((e) => JSON.stringify(toRiskAlert(e, version)) + '\n').join(''));
      }
    }
  };

  for await (const { line, text } of numbered(o.input)) {
    report.lines++;
    const v = decodeJson(text, trafficStatsValidator);
    if (!v.ok) {
      report.invalid++;
      problem({ input: 'stats', line, ...first(v.errors) });
      continue;
    }
    const step = pipeline.add(v.value, 0);
    switch (step.outcome) {
      case 'unknownSegment':
        report.invalid++;
        problem({ input: 'stats', line, field: 'segmentId', reason: `unknown segment ${JSON.stringify(v.value.segmentId)} (not in the road network)` });
        break;
      case 'late':
        report.late++;
        problem({ input: 'stats', line, field: 'windowEndMs', reason: `minute ${new Date(v.value.windowEndMs).toISOString()} was already scored: the record came too late` });
        break;
      case 'duplicate':
        report.duplicates++;
        problem({ input: 'stats', line, field: '(record)', reason: `a second ${v.value.window} record of ${v.value.segmentId} for ${new Date(v.value.windowEndMs).toISOString()}: skipped` });
        break;
      default:
        break;
    }
    await score(step.emitted);
  }
  await score(pipeline.flush());
  return report;
}
