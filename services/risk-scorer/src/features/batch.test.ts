import { describe, expect, it } from 'vitest';
import { ContextFeatureAssembler, InMemoryWeatherTable } from '@saferoads/context';
import { loadFeatureSpec, parseFeatureSpec, type FeatureSpec } from '@saferoads/model-spec';
import type { TrafficStats } from '@saferoads/shared/contracts';
import { StatsJoin } from '../join/stats-join.js';
import type { JoinedMinute } from '../join/types.js';
import { chainNetwork, mergeNetwork, MINUTE_MS, stats, T0 } from '../testing/index.js';
import { FeatureBatchBuilder, type FeatureBatch } from './batch.js';

const spec = loadFeatureSpec();
const network = mergeNetwork();
const assembler = new ContextFeatureAssembler(network);
const END = T0 + MINUTE_MS;

/** The merge's minute: A and B feed M, which feeds D. */
function minute(): JoinedMinute {
  const join = new StatsJoin({ network });
  const records: TrafficStats[] = [
    stats('A', '1m', END, { count: 10, harmonicMeanSpeedKmh: 100, densityVehKm: 12 }),
    stats('B', '1m', END, { count: 30, harmonicMeanSpeedKmh: 80, densityVehKm: 20 }),
    stats('M', '1m', END, { harmonicMeanSpeedKmh: 60, densityVehKm: 30 }),
    stats('D', '1m', END, { harmonicMeanSpeedKmh: 40, densityVehKm: 50 }),
    ...['A', 'B', 'M', 'D'].map((id) => stats(id, '10m', END, { harmonicMeanSpeedKmh: 90 })),
  ];
  const out = records.flatMap((r) => join.add(r, 0).emitted);
  expect(out).toHaveLength(1);
  return out[0];
}

function value(batch: FeatureBatch, specUsed: FeatureSpec, segmentId: string, feature: string): number {
  const r = batch.segments.findIndex((s) => s.segmentId === segmentId);
  const k = specUsed.features.findIndex((f) => f.name === feature);
  if (r < 0 || k < 0) throw new Error(`no ${segmentId}/${feature}`);
  return batch.data[r * batch.width + k];
}

function rainyTable(): InMemoryWeatherTable {
  const t = new InMemoryWeatherTable();
  t.upsert({ stationId: 'W1', lat: 47.29, lon: 11.4, ts: T0 - 5 * MINUTE_MS, precipitationMmH: 2.5, precipitationType: 'rain', visibilityM: 800, windSpeedMs: 3, airTemperatureC: 6 });
  return t;
}

describe('FeatureBatchBuilder', () => {
  const builder = new FeatureBatchBuilder({ spec, network, assembler });
  const batch = builder.build(minute(), rainyTable());
  const v = (seg: string, feature: string) => value(batch, spec, seg, feature);

  it('one row per joined segment, in the join\'s order, spec-wide', () => {
    expect(batch.rows).toBe(4);
    expect(batch.width).toBe(spec.features.length);
    expect(batch.data.length).toBe(4 * spec.features.length);
    expect(batch.segments.map((s) => s.segmentId)).toEqual(['A', 'B', 'M', 'D']);
    expect(batch.windowEndMs).toBe(END);
  });

  it.each<[string, string, number]>([
    ['M', 'harmonicMeanSpeedKmh_1m', 60],
    ['M', 'harmonicMeanSpeedKmh_10m', 90],
    ['M', 'harmonicMeanSpeedKmh_1m_minus_10m', -30],
    // Upstream: (10 * 100 + 30 * 80) / 40 = 85, minus 60 here.
    ['M', 'harmonicMeanSpeedKmh_1m_upstream_minus_here', 25],
    ['M', 'harmonicMeanSpeedKmh_1m_here_minus_downstream', 20],
    // (10 * 12 + 30 * 20) / 40 = 18, minus 30 here.
    ['M', 'densityVehKm_1m_upstream_minus_here', -12],
    ['M', 'upstreamCount', 2],
    ['M', 'upstream_1m_present', 1],
    ['A', 'upstream_1m_present', 0],
    ['A', 'upstreamCount', 0],
    ['A', 'harmonicMeanSpeedKmh_1m_upstream_minus_here', 0],
    ['A', 'harmonicMeanSpeedKmh_1m_here_minus_downstream', 40],
    ['D', 'downstream_1m_present', 0],
    // The context is taken at the scored window's start: 07:00 UTC, 08:00 in Vienna (CET).
    ['M', 'hourSin', Math.fround(Math.sin((2 * Math.PI * 8) / 24))],
    ['M', 'hourCos', Math.fround(Math.cos((2 * Math.PI * 8) / 24))],
    ['M', 'weekend', 0],
    ['M', 'weatherMissing', 0],
    ['M', 'precipitationMmH', 2.5],
    ['M', 'precipRain', 1],
    ['D', 'visibilityM', 800],
  ])('%s %s = %d', (seg, feature, expected) => {
    expect(v(seg, feature)).toBe(expected);
  });

  it('counts the defaults per row: the carriageway ends lack one side\'s neighbour differences', () => {
    // A, B: no upstream (3 differences each); D: no downstream (3); M: nothing missing.
    expect([...batch.defaults]).toEqual([3, 3, 0, 3]);
  });

  it('without weather the rows say so', () => {
    const dry = builder.build(minute(), new InMemoryWeatherTable());
    expect(value(dry, spec, 'M', 'weatherMissing')).toBe(1);
    expect(value(dry, spec, 'M', 'visibilityM')).toBe(10_000);
  });

  it('follows the spec\'s order, whatever it is: a reversed spec gives the same values by name', () => {
    const reversed = parseFeatureSpec({ ...JSON.parse(JSON.stringify(spec)), features: [...spec.features].reverse() });
    const other = new FeatureBatchBuilder({ spec: reversed, network, assembler }).build(minute(), rainyTable());
    expect(other.data[0]).toBe(batch.data[batch.width - 1]);
    for (const seg of ['A', 'M']) for (const f of spec.features) expect(value(other, reversed, seg, f.name)).toBe(v(seg, f.name));
  });

  it('refuses an assembler built from another network', () => {
    expect(() => new FeatureBatchBuilder({ spec, network: chainNetwork(['A', 'B', 'C', 'D']), assembler })).toThrow(
      'invalid risk-scorer features configuration: assembler: built from another network (segments C differ)',
    );
  });
});
