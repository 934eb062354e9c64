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
      target: undefined,
      batchSize: 5000,
      concurrency: 4,
      attempts: 6,
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

describe('--target', () => {
  const parse = (target: string, more: Parameters<typeof parseSimulateOptions>[0] = {}) => parseSimulateOptions({ target, ...more }, NOW);
  const why = (raw: Parameters<typeof parseSimulateOptions>[0]) => {
    const err = refused(raw);
    return `${err.option} ${err.message}`;
  };

  it('takes the gateway and appends its endpoint to any path prefix', () => {
    expect(parse('http://127.0.0.1:8081').target).toEqual({ kind: 'http', endpoint: 'http://127.0.0.1:8081/v1/detections' });
    expect(parse('https://ingest.example.org:443/edge/').target).toEqual({ kind: 'http', endpoint: 'https://ingest.example.org/edge/v1/detections' });
    expect(parse('http://[::1]:8081/v1/detections').target).toEqual({ kind: 'http', endpoint: 'http://[::1]:8081/v1/detections' });
  });

  it('takes a Kafka broker list', () => {
    expect(parse('kafka://kafka-1:9092,kafka-2:9093/').target).toEqual({ kind: 'kafka', brokers: ['kafka-1:9092', 'kafka-2:9093'] });
  });

  it('parses the delivery options', () => {
    const c = parse('http://localhost:8081', { batchSize: '200', concurrency: '2', attempts: '3' });
    expect([c.batchSize, c.concurrency, c.attempts]).toEqual([200, 2, 3]);
    expect(parse('kafka://localhost:9092', { batchSize: '1000' }).batchSize).toBe(1000);
  });

  it('refuses bad values with exact messages', () => {
    expect(why({ target: 'ftp://example.org:21' })).toBe(
      '--target has unsupported scheme "ftp": use http://host:port, https://host:port or kafka://host:port[,host:port]',
    );
    expect(why({ target: 'localhost:8081' })).toBe('--target must be a URL such as http://localhost:8081 or kafka://localhost:9092, got "localhost:8081"');
    expect(why({ target: 'kafka://broker-1' })).toBe('--target needs a port for every broker, e.g. kafka://localhost:9092, got "kafka://broker-1"');
    expect(why({ target: 'kafka://a:9092,b' })).toBe('--target needs a port for every broker, e.g. kafka://localhost:9092, got "kafka://a:9092,b"');
    expect(why({ target: 'http://localhost' })).toBe('--target needs a port, e.g. http://localhost:8081, got "http://localhost"');
    expect(why({ target: 'http://localhost:70000' })).toBe('--target has port 70000 in "http://localhost:70000": ports run from 1 to 65535');
    expect(why({ target: 'kafka://a:0' })).toBe('--target has port 0 in "kafka://a:0": ports run from 1 to 65535');
    expect(why({ target: 'kafka://' })).toBe('--target names no broker, got "kafka://"');
    expect(why({ target: 'kafka://a:1,,b:2' })).toBe('--target has an empty broker in "kafka://a:1,,b:2"');
    expect(why({ target: 'kafka://:9092' })).toBe('--target has a broker without a host in "kafka://:9092"');
    expect(why({ target: 'kafka://a:9092/loop.detections' })).toBe('--target takes brokers only (kafka://host:port[,host:port]), got "kafka://a:9092/loop.detections"');
    expect(why({ target: 'http://localhost:8081/?x=1' })).toBe('--target must not have a query or fragment, got "http://localhost:8081/?x=1"');
  });

  it('never repeats credentials in a message', () => {
    expect(why({ target: 'http://user:s3cret@localhost:8081' })).toBe('--target must not carry credentials');
    expect(why({ target: 'kafka://user:s3cret@localhost:9092' })).toBe(
      '--target must not carry credentials: set KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD instead',
    );
  });

  it('refuses delivery options where they would be ignored', () => {
    expect(why({ target: 'http://localhost:8081', out: 'd.ndjson' })).toBe('--target cannot be combined with --out');
    expect(why({ batchSize: '100' })).toBe('--batch-size has no effect without --target');
    expect(why({ attempts: '3' })).toBe('--attempts has no effect without --target');
    expect(why({ target: 'kafka://localhost:9092', concurrency: '2' })).toBe('--concurrency applies to http targets only');
    expect(why({ target: 'kafka://localhost:9092', attempts: '2' })).toBe('--attempts applies to http targets only');
    expect(why({ target: 'http://localhost:8081', batchSize: '0' })).toBe('--batch-size must be between 1 and 1000000, got 0');
    expect(why({ target: 'http://localhost:8081', concurrency: '1.5' })).toBe('--concurrency must be a whole number, got 1.5');
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
