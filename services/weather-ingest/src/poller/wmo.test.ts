import { describe, expect, it } from 'vitest';
import { precipitationType } from './wmo.js';

const dry = { liquidMm: 0, snowCm: 0 };

describe('precipitationType from the WMO weather code and the amounts', () => {
  it.each([
    [0, dry, 'none'],
    [3, dry, 'none'],
    [45, dry, 'none'],
    [51, dry, 'rain'],
    [57, { liquidMm: 0.1, snowCm: 0 }, 'rain'],
    [63, { liquidMm: 1.2, snowCm: 0 }, 'rain'],
    [67, { liquidMm: 0.4, snowCm: 0 }, 'rain'],
    [73, { liquidMm: 0, snowCm: 0.5 }, 'snow'],
    [77, dry, 'snow'],
    [86, { liquidMm: 0, snowCm: 1.4 }, 'snow'],
    [71, { liquidMm: 0.2, snowCm: 0.1 }, 'sleet'],
    [61, { liquidMm: 0.3, snowCm: 0.2 }, 'sleet'],
    [95, { liquidMm: 2.5, snowCm: 0 }, 'rain'],
    [96, { liquidMm: 3, snowCm: 0 }, 'hail'],
    [99, dry, 'hail'],
    [2, { liquidMm: 0.1, snowCm: 0 }, 'rain'],
    [2, { liquidMm: 0, snowCm: 0.1 }, 'snow'],
  ] as const)('code %i with %j is %s', (code, amounts, type) => {
    expect(precipitationType(code, amounts)).toBe(type);
  });
});
