import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { Network, Position } from '@saferoads/shared/network';
import type { AlertStore } from '../store/store.js';
import type { SegmentFeature } from './schemas.js';

const gzipAsync = promisify(gzip);

/** 6 decimals of a degree are ~0.1 m, an elevation to 0.1 m: finer digits only make the collection larger. */
export function roundPosition(p: Position): number[] {
  const deg = (x: number) => Math.round(x * 1e6) / 1e6;
  return p.length === 3 ? [deg(p[0]), deg(p[1]), Math.round(p[2] * 10) / 10] : [deg(p[0]), deg(p[1])];
}

/** The network's segments as GeoJSON features, without scores: built once, the geometry never changes. */
export function baseFeatures(network: Network): SegmentFeature[] {
  return network.segments.map((s) => ({
    type: 'Feature',
    id: s.id,
    geometry: { type: 'LineString', coordinates: s.coordinates.map(roundPosition) },
    properties: {
      segmentId: s.id,
      ...(s.props.name !== undefined && { name: s.props.name }),
      ...(s.props.road !== undefined && { road: s.props.road }),
      direction: s.props.direction,
      lanes: s.props.lanes,
      speedLimitKmh: s.props.speedLimitKmh,
      score: null,
    },
  }));
}

export interface SegmentsBody {
  readonly json: string;
  readonly gzip: Buffer;
}

/**
 * GET /v1/segments as JSON text (and gzipped): the network's features with the latest scores from the store,
 * built at most once per `maxAgeMs` and again as soon as scores changed (`invalidate`). A
 * 10,000-segment collection is megabytes: every client of the same minute shares one build.
 */
export class SegmentsView {
  private readonly features: SegmentFeature[];
  private cached: SegmentsBody & { at: number; version: number } | null = null;
  private building: Promise<SegmentsBody> | null = null;
  private version = 0;

  /**
   * `minRebuildMs`: after scores changed, the collection is rebuilt at most this often (a consumer
   * writes many batches a minute; each rebuild of 10,000 segments costs about a second).
   * `maxAgeMs`: rebuilt at least this often even without a change seen here (another writer).
   */
  constructor(
    network: Network,
    private readonly store: AlertStore,
    private readonly opts: { minRebuildMs: number; maxAgeMs: number },
    private readonly now: () => number = Date.now,
  ) {
    this.features = baseFeatures(network);
  }

  /** Scores changed: the next request builds afresh. */
  invalidate(): void {
    this.version++;
  }

  async body(): Promise<SegmentsBody> {
    const c = this.cached;
    const age = c ? this.now() - c.at : Infinity;
    if (c && (age < this.opts.minRebuildMs || (c.version === this.version && age < this.opts.maxAgeMs))) return c;
    this.building ??= this.build().finally(() => (this.building = null));
    return this.building;
  }

  private async build(): Promise<SegmentsBody> {
    const version = this.version;
    const at = this.now();
    const latest = await this.store.latestScores();
    const features = this.features.map((f) => ({ ...f, properties: { ...f.properties, score: latest.get(f.id) ?? null } }));
    const json = JSON.stringify({ type: 'FeatureCollection', features });
    // Compressed once per build (in zlib's thread pool), not once per request: every client of the build shares it.
    const body = { json, gzip: await gzipAsync(json, { level: 6 }) };
    this.cached = { ...body, at, version };
    return body;
  }
}
