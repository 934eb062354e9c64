import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DATASET_RATE_SCALE, DEFAULT_HAZARD_PARAMETERS as P } from './hazard.js';

const DOC = readFileSync(fileURLToPath(new URL('../../../docs/model.md', import.meta.url)), 'utf8');

/** The effects table of docs/model.md states each parameter; these are its words for them. */
describe('docs/model.md states the crash process\'s parameters', () => {
  it.each<[string, string]>([
    ['base rate', `**Base rate** ${P.baseRatePerMVkm} crashes per million vehicle-km`],
    ['dataset rate scale', `\`DATASET_RATE_SCALE\` = ${DATASET_RATE_SCALE}`],
    ['low flow', `1 + ${P.lowFlowExcess.toFixed(1)} · max(0, 1 − q / ${P.lowFlowRefVehHLane})`],
    ['density', `1 + ${P.densitySlope} · (k − ${P.criticalDensityVehKmLane}) / ${P.criticalDensityVehKmLane} above ${P.criticalDensityVehKmLane} veh/km/lane, at most ${P.densityMaxRr}`],
    ['speed variation', `exp(β (min(sd, ${P.speedStdCapKmh}) − ${P.speedStdRefKmh})), β = ln 1.08 per mph = ${(P.speedStdBetaPerKmh).toFixed(4)} per km/h; at least ${P.speedStdMinRr}`],
    ['shockwave', `1 + ${P.shockExcess} · (1 − e^(−Δ/${P.shockScaleKmh} km/h))`],
    ['queue tail', `1 + ${P.tailExcess} · (1 − e^(−drop/${P.tailScaleKmh} km/h))`],
    ['traffic cap', `capped at ${P.trafficMaxRr} |`],
    ['rain', `1 + ${P.rainExcess} · (1 − e^(−I/${P.rainScaleMmH}))`],
    ['snow', `1 + ${P.snowExcess} · (1 − e^(−I/${P.snowScaleMmH}))`],
    ['surface', `moist ${P.surfaceRr.moist}, wet ${P.surfaceRr.wet}, snow-covered ${P.surfaceRr.snow}, icy ${P.surfaceRr.ice}`],
    ['visibility', `min(${P.visibilityMaxRr}, √(${P.visibilityRefM} / v))`],
    ['weather cap', `capped at ${P.weatherMaxRr} |`],
    ['darkness', `| ${P.darkRr}; twilight ${P.twilightRr} |`],
    ['glare', `1 + ${P.glareExcess} g`],
    ['curvature', `1 + ${P.curveCoefficientM} / R`],
    ['holiday', `| \`holiday\` | ${P.holidayRr} |`],
  ])('%s', (_what, words) => expect(DOC).toContain(words));

  it('uses the square root the docs name', () => {
    expect(P.visibilityExponent).toBe(0.5);
  });
});
