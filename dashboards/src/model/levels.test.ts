import { RISK_LEVEL_NAMES } from '@saferoads/shared/contracts';
import { describe, expect, it } from 'vitest';
import { DRAW_ORDER, LEVELS, LEVEL_STYLES, MAP_BACKGROUND, UNSCORED_STYLE, levelRank, styleOf } from './levels.js';

// Colour science for the checks only: sRGB -> OKLab (Ottosson 2020) and the colour-vision-
// deficiency simulation of Machado, Oliveira and Fernandes (2009) at severity 1, in linear RGB.
const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const rgb = (hex: string) => [1, 3, 5].map((i) => linear(Number.parseInt(hex.slice(i, i + 2), 16) / 255));
type M3 = [number[], number[], number[]];
const SIMULATIONS: Record<string, M3> = {
  normal: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};
function oklab(hex: string, m: M3): [number, number, number] {
  const c = rgb(hex);
  const [r, g, b] = m.map((row) => Math.min(1, Math.max(0, row[0] * c[0] + row[1] * c[1] + row[2] * c[2])));
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const mm = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [0.2104542553 * l + 0.793617785 * mm - 0.0040720468 * s, 1.9779984951 * l - 2.428592205 * mm + 0.4505937099 * s, 0.0259040371 * l + 0.7827717662 * mm - 0.808675766 * s];
}

describe('risk levels and their styles', () => {
  it('are the contract levels in the same order', () => {
    expect(LEVELS).toEqual([...RISK_LEVEL_NAMES]);
    expect(LEVELS.map(levelRank)).toEqual([0, 1, 2, 3]);
    expect(DRAW_ORDER).toEqual([null, 'low', 'elevated', 'high', 'severe']);
    expect(styleOf(null)).toBe(UNSCORED_STYLE);
    expect(styleOf('high')).toBe(LEVEL_STYLES.high);
  });

  it('get wider with severity, and each level differs from its neighbour in width or dash', () => {
    const widths = LEVELS.map((l) => LEVEL_STYLES[l].width);
    expect(widths).toEqual([2, 3, 5, 7]);
    expect(LEVELS.map((l) => LEVEL_STYLES[l].dash.length > 0)).toEqual([false, true, false, false]);
  });

  it.each(Object.keys(SIMULATIONS))('rise in lightness and stay apart under %s', (name) => {
    const m = SIMULATIONS[name];
    const labs = LEVELS.map((l) => oklab(LEVEL_STYLES[l].color, m));
    for (let i = 1; i < labs.length; i++) expect(labs[i][0]).toBeGreaterThan(labs[i - 1][0]);
    // 0.02 in OKLab is about one just-noticeable difference; every pair is several times that.
    for (let i = 0; i < labs.length; i++) {
      for (let j = i + 1; j < labs.length; j++) expect(Math.hypot(labs[i][0] - labs[j][0], labs[i][1] - labs[j][1], labs[i][2] - labs[j][2])).toBeGreaterThan(0.12);
    }
    // Even the lowest level stands clear of the background.
    expect(labs[0][0] - oklab(MAP_BACKGROUND, m)[0]).toBeGreaterThan(0.3);
  });

  it('have the lightness they were picked with', () => {
    expect(LEVELS.map((l) => Math.round(oklab(LEVEL_STYLES[l].color, SIMULATIONS.normal)[0] * 100) / 100)).toEqual([0.56, 0.7, 0.79, 0.93]);
  });
});
