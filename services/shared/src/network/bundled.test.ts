import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NETWORK_PATH, loadNetwork } from './load.js';
import { orderedChains } from './topology.js';
import type { Position, Segment } from './types.js';

const net = loadNetwork();
const raw = JSON.parse(readFileSync(DEFAULT_NETWORK_PATH, 'utf8')) as {
  name: string;
  description: string;
  features: { properties: Record<string, unknown>; geometry: { coordinates: number[][] } }[];
};
const byDirection = (d: string): Segment[] => net.segments.filter((s) => s.props.direction === d);
const ids = (list: readonly Segment[]): string[] => list.map((s) => s.id);
const seq = (letter: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `A13-${letter}-${String(i + 1).padStart(3, '0')}`);

describe('the bundled A13 Brenner network', () => {
  it('loads and says it is an approximate model, not survey data', () => {
    expect(net.name).toBe('A13 Brenner Autobahn (approximate model)');
    expect(raw.description).toMatch(/^Approximate model of the A13 Brenner Autobahn/);
    expect(raw.description).toContain('NOT survey data');
  });

  it('has 36 segments per carriageway, each 500 to 2000 m long', () => {
    expect(net.segments.length).toBe(72);
    expect(ids(byDirection('southbound'))).toEqual(seq('S', 36));
    expect(ids(byDirection('northbound'))).toEqual(seq('N', 36));
    const outside = net.segments.filter((s) => s.lengthM < 500 || s.lengthM > 2000).map((s) => `${s.id} ${s.lengthM}`);
    expect(outside).toEqual([]);
  });

  it('runs from Innsbruck-Amras to the Brenner border, climbing southbound', () => {
    const km = (a: Position, b: [number, number]): number => distance(a, b, { units: 'kilometers' });
    const s = byDirection('southbound');
    const first = s[0].coordinates[0];
    const last = s[35].coordinates.at(-1) as Position;
    expect(km(first, [11.433, 47.256])).toBeLessThan(0.05);
    expect(km(last, [11.5072, 47.003])).toBeLessThan(0.05);
    expect(first[2]).toBe(582);
    expect(last[2]).toBe(1372);
    expect(s.every((x) => (x.coordinates.at(-1) as Position)[2] as number >= (x.coordinates[0][2] as number))).toBe(true);
    const total = s.reduce((t, x) => t + x.lengthM, 0);
    expect(total).toBeGreaterThan(31_000);
    expect(total).toBeLessThan(35_000);
  });

  it('orients each carriageway in its direction of travel, on the right of the axis', () => {
    // southbound starts in the north; at the start the road heads west, so southbound (right-hand
    // traffic, heading west) lies north of northbound
    const s1 = net.byId.get('A13-S-001') as Segment;
    const n36 = net.byId.get('A13-N-036') as Segment;
    expect(s1.coordinates[0][1]).toBeGreaterThan(s1.coordinates.at(-1)?.[1] as number);
    expect(n36.coordinates[0][1]).toBeLessThan(n36.coordinates.at(-1)?.[1] as number);
    expect(s1.coordinates[0][1]).toBeGreaterThan(n36.coordinates.at(-1)?.[1] as number);
    const gapM = distance(s1.coordinates[0], n36.coordinates.at(-1) as Position, { units: 'meters' });
    expect(gapM).toBeGreaterThan(30);
    expect(gapM).toBeLessThan(40);
  });

  it('forms one chain per carriageway, linked one-to-one', () => {
    const chains = orderedChains(net);
    expect(chains.map(ids)).toEqual([seq('S', 36), seq('N', 36)]);
    for (const chain of chains) {
      chain.forEach((s, i) => {
        expect(s.upstream).toEqual(i === 0 ? [] : [chain[i - 1].id]);
        expect(s.downstream).toEqual(i === chain.length - 1 ? [] : [chain[i + 1].id]);
      });
    }
  });

  it('has the Bergisel tunnel and two bridges, with 80 km/h through the tunnel', () => {
    const tunnels = net.segments.filter((s) => s.props.structure === 'tunnel');
    const bridges = net.segments.filter((s) => s.props.structure === 'bridge');
    expect(tunnels.map((s) => [s.id, s.props.name, s.props.speedLimitKmh])).toEqual([
      ['A13-S-003', 'A13 S Bergisel tunnel', 80],
      ['A13-N-034', 'A13 N Bergisel tunnel', 80],
    ]);
    expect(bridges.map((s) => [s.id, s.props.name])).toEqual([
      ['A13-S-010', 'A13 S Europabrücke'],
      ['A13-S-033', 'A13 S Luegbrücke'],
      ['A13-N-004', 'A13 N Luegbrücke'],
      ['A13-N-027', 'A13 N Europabrücke'],
    ]);
    const europabruecke = net.byId.get('A13-S-010') as Segment;
    expect(europabruecke.lengthM).toBeGreaterThan(780);
    expect(europabruecke.lengthM).toBeLessThan(840);
  });

  it('varies lanes and limits, with a 3-to-2 lane drop before the tunnel', () => {
    const lanes = new Set(net.segments.map((s) => s.props.lanes));
    const limits = new Set(net.segments.map((s) => s.props.speedLimitKmh));
    expect([...lanes].sort()).toEqual([2, 3]);
    expect([...limits].sort()).toEqual([100, 80]);
    expect(net.byId.get('A13-S-001')?.props.lanes).toBe(3);
    expect(net.byId.get('A13-S-002')?.props.lanes).toBe(2);
    const drops = net.segments
      .filter((s) => s.downstream.some((d) => s.props.lanes === 3 && net.byId.get(d)?.props.lanes === 2))
      .map((s) => s.id);
    expect(drops).toEqual(['A13-S-001', 'A13-S-012', 'A13-S-030', 'A13-N-032']);
  });

  it('fills every property the contract defines, Tyrol and Vienna time throughout', () => {
    for (const s of net.segments) {
      expect(s.props).toMatchObject({ road: 'A13', timezone: 'Europe/Vienna', country: 'AT', region: '7' });
      expect(s.props.surfaceQuality).toBeGreaterThanOrEqual(0.5);
      expect(s.props.surfaceQuality).toBeLessThanOrEqual(0.95);
      expect(s.props.name).toMatch(/^A13 [SN] /);
    }
    expect(net.segments.filter((s) => s.props.area === 'urban').length).toBe(8);
    expect(new Set(net.segments.map((s) => s.props.surfaceQuality)).size).toBeGreaterThan(20);
  });

  it('has one detector per lane, lanes numbered 1..lanes, every id unique', () => {
    let count = 0;
    for (const s of net.segments) {
      const lanes = s.props.detectors.map((d) => d.lane);
      expect(lanes).toEqual(Array.from({ length: s.props.lanes }, (_, i) => i + 1));
      for (const d of s.props.detectors) {
        expect(d.detectorId).toBe(`${s.id}-L${d.lane}`);
        expect(net.detectors.get(d.detectorId)).toEqual({ detectorId: d.detectorId, segmentId: s.id, segmentIndex: s.index, lane: d.lane });
        count++;
      }
    }
    expect(count).toBe(172);
    expect(net.detectors.size).toBe(172);
  });

  it('has an on- and an off-ramp per junction and direction, attached to their segment', () => {
    expect(net.ramps.length).toBe(24);
    for (const letter of ['S', 'N']) {
      const mine = net.ramps.filter((r) => r.id.startsWith(`A13-${letter}-`));
      expect(mine.filter((r) => r.props.kind === 'on').length).toBe(6);
      expect(mine.filter((r) => r.props.kind === 'off').length).toBe(6);
    }
    for (const r of net.ramps) {
      const seg = net.byId.get(r.props.segmentId) as Segment;
      expect(seg.id.slice(0, 6)).toBe(r.id.slice(0, 6));
      expect(seg.ramps).toContain(r);
      expect(r.lengthM).toBeGreaterThan(200);
      expect(r.lengthM).toBeLessThan(600);
      // an off-ramp leaves from a point of its segment, an on-ramp ends on one
      const joint = r.props.kind === 'off' ? r.coordinates[0] : (r.coordinates.at(-1) as Position);
      const nearestM = Math.min(...seg.coordinates.map((p) => distance(p, joint, { units: 'meters' })));
      expect(nearestM).toBeLessThan(0.5);
    }
    expect(net.byId.get('A13-S-021')?.ramps.map((r) => r.props.name)).toEqual(['Matrei/Steinach off-ramp southbound']);
  });

  it('tells segments from ramps the way external tools do: segmentId together with detectors', () => {
    const segments = raw.features.filter((f) => 'segmentId' in f.properties && 'detectors' in f.properties);
    const ramps = raw.features.filter((f) => 'rampId' in f.properties);
    expect(segments.length).toBe(72);
    expect(ramps.length).toBe(24);
    expect(ramps.some((f) => 'detectors' in f.properties)).toBe(false);
  });

  it('rounds positions to 6 decimals with elevation to 0.1 m', () => {
    const positions = raw.features.flatMap((f) => f.geometry.coordinates);
    expect(positions.length).toBeGreaterThan(2800);
    const sloppy = positions.filter(
      ([lon, lat, ele]) =>
        Math.round(lon * 1e6) / 1e6 !== lon || Math.round(lat * 1e6) / 1e6 !== lat || Math.round(ele * 10) / 10 !== ele,
    );
    expect(sloppy).toEqual([]);
    expect(positions.every((p) => p.length === 3 && p[2] > 570 && p[2] < 1380)).toBe(true);
  });

  it('is exactly what scripts/build-network.ts generates', () => {
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-network.ts', '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toContain('is up to date');
  });
});
