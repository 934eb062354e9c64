import { describe, expect, it } from 'vitest';
import { smallNetwork } from '../test-support/fixtures.js';
import { OptionError, checkIncidents, parseIncident, parseSimulateOptions } from './options.js';

const NOW = Date.parse('2026-03-10T06:50:42.123Z');

function refused(raw: Parameters<typeof parseSimulateOptions>[0]): OptionError {
  try {
    parseSimulateOptions(raw, NOW);
  } catch (err) {
    if (err instanceof OptionError) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('parseSimulateOptions', () => {
  it('fills the documented defaults', () => {
    const c = parseSimulateOptions({}, NOW);
    expect(c).toEqual({
      seed: 1,
      minutes: 60,
      startMs: Date.parse('2026-03-10T06:50:00Z'),
      networkPath: undefined,
      speed: 0,
      out: undefined,
      incidents: [],
      demandFactor: 1,
      faults: { dropouts: 0, stuck: 0, duplicates: 0, reorderS: 0, late: 0, lateDelayS: 120, clockSkewS: 0 },
      withGaps: false,
      progress: true,
    });
  });

  it('parses every option', () => {
    const c = parseSimulateOptions(
      {
        seed: '7',
        minutes: '40',
        start: '2026-03-10T07:50:00+01:00',
        speed: '10',
        incident: ['A13-N-020@2026-03-10T07:05:00Z/30/2', 'X@2026-03-10T07:05:00Z/5'],
        dropouts: '0.1',
        stuck: '2',
        duplicates: '0.01',
        reorder: '5',
        late: '0.02',
        lateDelay: '300',
        clockSkew: '3',
        withGaps: true,
        progress: false,
        demandFactor: '1.5',
      },
      NOW,
    );
    expect(c.seed).toBe(7);
    expect(c.startMs).toBe(Date.parse('2026-03-10T06:50:00Z'));
    expect(c.incidents).toEqual([
      { segmentId: 'A13-N-020', startMs: Date.parse('2026-03-10T07:05:00Z'), durationMin: 30, lanesBlocked: 2 },
      { segmentId: 'X', startMs: Date.parse('2026-03-10T07:05:00Z'), durationMin: 5, lanesBlocked: 1 },
    ]);
    expect(c.faults).toEqual({ dropouts: 0.1, stuck: 2, duplicates: 0.01, reorderS: 5, late: 0.02, lateDelayS: 300, clockSkewS: 3 });
    expect([c.speed, c.withGaps, c.progress, c.demandFactor]).toEqual([10, true, false, 1.5]);
  });

  it('names the option of every bad value', () => {
    expect(refused({ seed: 'x' }).option).toBe('--seed');
    expect(refused({ seed: '1.5' }).message).toMatch(/whole number/);
    expect(refused({ minutes: '0' }).option).toBe('--minutes');
    expect(refused({ minutes: '' }).option).toBe('--minutes');
    expect(refused({ start: '2026-03-10 07:00' }).option).toBe('--start');
    expect(refused({ start: '2026-03-10T07:00:00' }).message).toMatch(/UTC offset/);
    expect(refused({ speed: '-1' }).option).toBe('--speed');
    expect(refused({ dropouts: '1.5' }).option).toBe('--dropouts');
    expect(refused({ stuck: '0.5' }).option).toBe('--stuck');
    expect(refused({ duplicates: 'lots' }).option).toBe('--duplicates');
    expect(refused({ reorder: '-2' }).option).toBe('--reorder');
    expect(refused({ late: '2' }).option).toBe('--late');
    expect(refused({ lateDelay: '30' }).message).toMatch(/without --late/);
    expect(refused({ clockSkew: 'NaN' }).option).toBe('--clock-skew');
    expect(refused({ demandFactor: '11' }).option).toBe('--demand-factor');
    expect(refused({ network: ' ' }).option).toBe('--network');
    expect(refused({ incident: ['A13-N-020'] }).option).toBe('--incident');
    expect(refused({ incident: ['A13-N-020@2026-03-10T07:05:00Z/0'] }).message).toMatch(/minutes must be > 0/);
  });
});

describe('incidents', () => {
  it('parses segment ids that contain @', () => {
    expect(parseIncident('a@b@2026-03-10T07:05:00Z/10').segmentId).toBe('a@b');
  });

  it('are checked against the network', () => {
    const net = smallNetwork();
    const inc = (segmentId: string, lanesBlocked: number) => [{ segmentId, startMs: NOW, durationMin: 5, lanesBlocked }];
    expect(() => checkIncidents(inc('N-001', 3), net)).not.toThrow();
    expect(() => checkIncidents(inc('N-004', 3), net)).toThrow(/has 2 lanes/);
    expect(() => checkIncidents(inc('Z-999', 1), net)).toThrow(/unknown segment "Z-999"/);
  });
});
