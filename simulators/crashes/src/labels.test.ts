import { describe, expect, it } from 'vitest';
import { HorizonLabeller } from './labels.js';

describe('HorizonLabeller', () => {
  it('labels a row with the hazards and crashes of the horizon minutes after it', () => {
    const l = new HorizonLabeller<string>(2, 3);
    const out: unknown[] = [];
    const hazards = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    const crashes = [0, 0, 1, 0, 0, 2];
    hazards.forEach((h, k) => {
      const r = l.push(1, 100 + k, h, crashes[k], `row${k}`);
      if (r) out.push(r);
    });
    expect(out).toEqual([
      { payload: 'row0', minute: 100, hazardNow: 0.1, hazardAhead: 0.2 + 0.3 + 0.4, crashesAhead: 1 },
      { payload: 'row1', minute: 101, hazardNow: 0.2, hazardAhead: 0.3 + 0.4 + 0.5, crashesAhead: 1 },
      { payload: 'row2', minute: 102, hazardNow: 0.3, hazardAhead: 0.4 + 0.5 + 0.6, crashesAhead: 2 },
    ]);
  });

  it('keeps segments apart, and minutes without a row still label the rows before them', () => {
    const l = new HorizonLabeller<number>(2, 2);
    expect(l.push(0, 10, 1, 0, 10)).toBeUndefined();
    expect(l.push(1, 10, 5, 1, undefined)).toBeUndefined();
    expect(l.push(0, 11, 2, 1, undefined)).toBeUndefined();
    expect(l.push(1, 11, 6, 0, 11)).toBeUndefined();
    expect(l.push(0, 12, 3, 0, 12)).toEqual({ payload: 10, minute: 10, hazardNow: 1, hazardAhead: 5, crashesAhead: 1 });
    expect(l.push(1, 12, 7, 0, 12)).toBeUndefined(); // segment 1's minute 10 had no row
    expect(l.push(1, 13, 8, 1, 13)).toEqual({ payload: 11, minute: 11, hazardNow: 6, hazardAhead: 15, crashesAhead: 1 });
  });

  it('refuses a gap in a segment\'s minutes and a bad horizon', () => {
    const l = new HorizonLabeller<number>(1, 15);
    l.push(0, 5, 0, 0, 1);
    expect(() => l.push(0, 7, 0, 0, 1)).toThrow('segment 0: minute 7 pushed, expected 6 (minutes must be consecutive)');
    expect(() => new HorizonLabeller(1, 0)).toThrow('horizon must be a whole number of minutes >= 1, got 0');
  });
});
