import type { AlertLevel, AlertSegment, LifecycleType } from './types.js';

/**
 * Short names of the scorer's factor groups for headlines and messages (the scorer's own labels,
 * FACTOR_GROUPS in @saferoads/risk-scorer, are longer; a test keeps both lists in step). A name
 * this table does not know is shown as it is.
 */
export const FACTOR_LABELS: Readonly<Record<string, string>> = {
  speed: 'speed',
  speedVariation: 'speed variation',
  volume: 'traffic volume',
  gaps: 'short gaps',
  trucks: 'trucks',
  suddenChange: 'sudden slowdown',
  shockwave: 'shockwave',
  precipitation: 'precipitation',
  roadSurface: 'road surface',
  visibility: 'low visibility',
  wind: 'wind',
  weatherData: 'missing weather data',
  light: 'darkness',
  glare: 'sun glare',
  calendar: 'time of day',
  curve: 'curves',
  roadLayout: 'road layout',
};

/** The model's horizon: its risk is of a crash in the 15 minutes after the scored minute (docs/model.md). */
export const HORIZON_MINUTES = 15;

const LEVEL_WORD: Readonly<Record<AlertLevel, string>> = { low: 'Low', elevated: 'Elevated', high: 'High', severe: 'Severe' };

const STEP_WORD: Readonly<Record<LifecycleType, string>> = {
  raised: 'raised',
  escalated: 'escalated',
  deescalated: 'de-escalated',
  resolved: 'resolved',
};

export function factorLabel(name: string): string {
  return FACTOR_LABELS[name] ?? name;
}

/** `High crash risk`: the CAP event and the first words of every message. */
export function eventName(level: AlertLevel): string {
  return `${LEVEL_WORD[level]} crash risk`;
}

/** `A13 Brennerautobahn (north)`, or the segment id when the network names nothing. */
export function segmentLabel(segment: AlertSegment): string {
  // Network names often start with the road number already (`A13 S Innsbruck-Amras`).
  const named = segment.name !== undefined && segment.name !== '';
  const name = named && segment.road && !segment.name!.startsWith(segment.road) ? `${segment.road} ${segment.name}` : named ? segment.name! : (segment.road ?? '');
  return `${name === '' ? `segment ${segment.segmentId}` : name} (${segment.direction})`;
}

/** `precipitation 55 %, speed variation 30 %`; `no dominant factor` when there are none. */
export function factorsText(factors: readonly { readonly name: string; readonly share: number }[], max = 3): string {
  if (factors.length === 0) return 'no dominant factor';
  return factors
    .slice(0, max)
    .map((f) => `${factorLabel(f.name)} ${Math.round(f.share * 100)} %`)
    .join(', ');
}

/** `6.8` times: one decimal, as operators read it. */
export function ratioText(relativeRisk: number): string {
  return relativeRisk.toFixed(1);
}

/** `0.42 %`: the model's probability of a crash within its horizon. */
export function percentText(risk: number): string {
  return `${(risk * 100).toFixed(2)} %`;
}

export interface DescribeInput {
  readonly level: AlertLevel;
  readonly previousLevel?: AlertLevel | null;
  readonly lifecycle: LifecycleType;
  readonly risk: number;
  readonly relativeRisk: number;
  readonly factors: readonly { readonly name: string; readonly share: number }[];
  readonly segment: AlertSegment;
}

/** `Severe crash risk on A13 Brennerautobahn (north)`, with ` ended` for a resolved alert. */
export function headline(a: DescribeInput): string {
  return `${eventName(a.level)} on ${segmentLabel(a.segment)}${a.lifecycle === 'resolved' ? ' ended' : ''}`;
}

/**
 * The plain-text explanation every format carries: what happened to the alert, how far the risk
 * is above the road's reference, and the top factors behind it.
 */
export function description(a: DescribeInput): string {
  const step =
    a.previousLevel && a.previousLevel !== a.level && a.lifecycle !== 'resolved'
      ? `Alert ${STEP_WORD[a.lifecycle]} from ${a.previousLevel} to ${a.level}.`
      : `Alert ${STEP_WORD[a.lifecycle]} at level ${a.level}.`;
  return (
    `${step} Crash risk ${ratioText(a.relativeRisk)} times the road's reference ` +
    `(${percentText(a.risk)} in the next ${HORIZON_MINUTES} minutes). Top factors: ${factorsText(a.factors)}.`
  );
}
