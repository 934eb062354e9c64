import { describe, expect, it } from 'vitest';
import { FACTOR_GROUPS } from '@saferoads/risk-scorer';
import { FACTOR_LABELS, description, factorsText, headline, segmentLabel } from './describe.js';
import { ESCALATED, RAISED, SEGMENT } from './testing/fixtures.js';

describe('texts', () => {
  it('has a short label for every factor group the scorer reports, and no other', () => {
    expect(Object.keys(FACTOR_LABELS).sort()).toEqual(FACTOR_GROUPS.map((g) => g.name).sort());
  });

  it.each([
    [{ ...SEGMENT }, 'A13 Schönberg & <Stubai> "Nord" (northbound)'],
    [{ ...SEGMENT, name: 'A13 S Innsbruck-Amras – Bergisel tunnel (1/2)' }, 'A13 S Innsbruck-Amras – Bergisel tunnel (1/2) (northbound)'],
    [{ ...SEGMENT, name: undefined }, 'A13 (northbound)'],
    [{ ...SEGMENT, name: undefined, road: undefined }, 'segment A13-N-007 (northbound)'],
  ])('segmentLabel(%j) is %s', (segment, label) => {
    expect(segmentLabel(segment)).toBe(label);
  });

  it('describes an escalation with the ratio, the risk and the top factors', () => {
    expect(headline(ESCALATED)).toBe('Severe crash risk on A13 Schönberg & <Stubai> "Nord" (northbound)');
    expect(description(ESCALATED)).toBe(
      "Alert escalated from high to severe. Crash risk 6.8 times the road's reference (0.42 % in the next 15 minutes). Top factors: precipitation 55 %, speed variation 30 %, short gaps 15 %.",
    );
    expect(description(RAISED)).toBe("Alert raised at level high. Crash risk 3.9 times the road's reference (0.21 % in the next 15 minutes). Top factors: no dominant factor.");
  });

  it('shows at most three factors and an unknown factor by its name', () => {
    expect(factorsText([{ name: 'glare', share: 0.5 }, { name: 'newThing', share: 0.25 }, { name: 'wind', share: 0.125 }, { name: 'light', share: 0.125 }])).toBe(
      'sun glare 50 %, newThing 25 %, wind 13 %',
    );
  });
});
