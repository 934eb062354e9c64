import type { Network } from '@saferoads/shared/network';
import type { AlertStore } from '../store/store.js';
import type { SegmentFeature } from './schemas.js';

/** The network's segments as GeoJSON features, without scores: built once, the geometry never changes. */
export function baseFeatures(network: Network): SegmentFeature[] {
  return network.segments.map((s) => ({
    type: 'Feature',
    id: s.id,
    geometry: { type: 'LineString', coordinates: s.coordinates.map((c) => [...c]) },
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

/**
 * GET /v1/segments as JSON text: the network's features with the latest scores from the store,
 * built at most once per `maxAgeMs` and again as soon as scores changed (`invalidate`). A
 * 10,000-segment collection is megabytes: every client of the same minute shares one build.
 */
export class SegmentsView {
  private readonly features: SegmentFeature[];
  private cached: { json: string; at: number; version: number } | null = null;
  private building: Promise<string> | null = null;
  private version = 0;

  constructor(
    network: Network,
    private readonly store: AlertStore,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.features = baseFeatures(network);
  }

  /** Scores changed: the next request builds afresh. */
  invalidate(): void {
    this.version++;
  }

  async json(): Promise<string> {
    const c = this.cached;
    if (c && c.version === this.version && this.now() - c.at < this.maxAgeMs) return c.json;
    this.building ??= this.build().finally(() => (this.building = null));
    return this.building;
  }

  private async build(): Promise<string> {
    const version = this.version;
    const at = this.now();
    const latest = await this.store.latestScores();
    const features = this.features.map((f) => ({ ...f, properties: { ...f.properties, score: latest.get(f.id) ?? null } }));
    const json = JSON.stringify({ type: 'FeatureCollection', features });
    this.cached = { json, at, version };
    return json;
  }
}
