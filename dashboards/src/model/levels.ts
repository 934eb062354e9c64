import type { RiskLevel } from './types.js';

/** The scorer's levels, least to most severe (RISK_LEVEL_NAMES in @saferoads/shared/contracts). */
export const LEVELS: readonly RiskLevel[] = ['low', 'elevated', 'high', 'severe'];

export function levelRank(level: RiskLevel): number {
  return LEVELS.indexOf(level);
}

export interface LevelStyle {
  readonly color: string;
  /** Line width in CSS pixels at every zoom: the cue that does not depend on colour. */
  readonly width: number;
  /** Canvas dash pattern in CSS pixels; empty for a solid line. */
  readonly dash: readonly number[];
  /** A dark casing drawn under the line, so the brightest level also stands out from the others. */
  readonly casing: boolean;
  readonly label: string;
}

/**
 * Colours on the blue-yellow axis, which protanopia and deuteranopia keep, with OKLab lightness
 * rising with the level (0.56, 0.70, 0.79, 0.93; picked in OKLCH, as cividis is), so the order
 * also holds in greyscale and for tritanopia. The tests check lightness and the distances under
 * simulated colour vision deficiencies. Width and dash tell the levels apart without colour.
 */
export const LEVEL_STYLES: Readonly<Record<RiskLevel, LevelStyle>> = {
  low: { color: '#3d78b2', width: 2, dash: [], casing: false, label: 'Low' },
  elevated: { color: '#50afb9', width: 3, dash: [7, 4], casing: false, label: 'Elevated' },
  high: { color: '#fba62a', width: 5, dash: [], casing: true, label: 'High' },
  severe: { color: '#ffea4c', width: 7, dash: [], casing: true, label: 'Severe' },
};

/** A segment without a score yet: thin, grey, dotted. */
export const UNSCORED_STYLE: LevelStyle = { color: '#6b7280', width: 1.5, dash: [2, 3], casing: false, label: 'No score yet' };

/** The map's plain background (control rooms run dark screens). */
export const MAP_BACKGROUND = '#15191e';
export const CASING_COLOR = '#000000';
/** The focus ring of a selected segment. */
export const SELECTION_COLOR = '#ffffff';

export function styleOf(level: RiskLevel | null): LevelStyle {
  return level === null ? UNSCORED_STYLE : LEVEL_STYLES[level];
}

/** Draw order: unscored first, then by severity, so the most severe lines lie on top. */
export const DRAW_ORDER: readonly (RiskLevel | null)[] = [null, ...LEVELS];
