import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SaferoadsError } from '../errors.js';
import { DEFAULT_NETWORK_PATH, loadNetwork } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'saferoads-network-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const segment = {
  type: 'Feature',
  properties: {
    segmentId: 'X-1',
    direction: 'eastbound',
    lanes: 1,
    speedLimitKmh: 80,
    timezone: 'Europe/Vienna',
    country: 'AT',
    detectors: [{ detectorId: 'X-1-L1', lane: 1 }],
  },
  geometry: {
    type: 'LineString',
    coordinates: [
      [11, 47],
      [11.01, 47],
    ],
  },
};

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The error `fn` throws; fails the test when it does not throw. */
function thrown(fn: () => unknown): SaferoadsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SaferoadsError) return err;
    throw err;
  }
  throw new Error('expected a SaferoadsError');
}

describe('loadNetwork', () => {
  it('defaults to the bundled network next to the package', () => {
    expect(DEFAULT_NETWORK_PATH.replaceAll('\\', '/')).toMatch(/services\/shared\/data\/networks\/a13-brenner\.geojson$/);
    expect(existsSync(DEFAULT_NETWORK_PATH)).toBe(true);
    expect(loadNetwork().segments.length).toBe(72);
  });

  it('names a network without a name member after its file', () => {
    const path = file('my-roads.geojson', JSON.stringify({ type: 'FeatureCollection', features: [segment] }));
    const net = loadNetwork(path);
    expect(net.name).toBe('my-roads');
    expect(net.segments.map((s) => s.id)).toEqual(['X-1']);
  });

  it('reports a missing file as IO_FAILED', () => {
    const path = join(dir, 'nope.geojson');
    const err = thrown(() => loadNetwork(path));
    expect(err.code).toBe('IO_FAILED');
    expect(err.message).toContain(`cannot read network file ${path}: ENOENT`);
  });

  it('reports a file that is not JSON as NETWORK_INVALID', () => {
    const path = file('broken.geojson', '{"type": "FeatureCollection", ');
    const err = thrown(() => loadNetwork(path));
    expect(err.code).toBe('NETWORK_INVALID');
    expect(err.message).toContain(`network file ${path} is not valid JSON`);
  });

  it('reports invalid content under the file name', () => {
    const bad = { ...segment, properties: { ...segment.properties, timezone: '' } };
    const path = file('bad.json', JSON.stringify({ type: 'FeatureCollection', features: [bad] }));
    const err = thrown(() => loadNetwork(path));
    expect(err.code).toBe('NETWORK_INVALID');
    expect(err.message).toBe(
      'network "bad" is invalid (1 problem): features[0].properties.timezone: must NOT have fewer than 1 characters',
    );
  });
});
