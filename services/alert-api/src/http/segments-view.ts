import type { Network, Position } from '@saferoads/shared/network';
import type { AlertStore } from '../store/store.js';
import { LiveBody, type LiveBodyOptions } from './live-body.js';
import { represent, type Representation } from './representation.js';
import type { ScoreSummary, SegmentGeometry } from './schemas.js';

/** 6 decimals of a degree are ~0.1 m, an elevation to 0.1 m: finer digits only make the collection larger. */
export function roundPosition(p: Position): number[] {
  const deg = (x: number) => Math.round(x * 1e6) / 1e6;
  return p.length === 3 ? [deg(p[0]), deg(p[1]), Math.round(p[2] * 10) / 10] : [deg(p[0]), deg(p[1])];
}

/** The network's segments as GeoJSON features, without scores: built once, the geometry never changes. */
export function baseFeatures(network: Network): SegmentGeometry[] {
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
    },
  }));
}

/**
 * The bodies of GET /v1/segments (the features with their latest scores), /v1/segments/scores
 * (the scores alone) and /v1/segments/geometry (the features alone). The first two are built from
 * the store at most once per `minRebuildMs` after scores changed (`invalidate`) and at least once
 * per `maxAgeMs`; the geometry once, as the network does not change in a process. A
 * 10,000-segment collection is megabytes: every client of the same build shares one.
 */
export class SegmentsView {
  private readonly features: SegmentGeometry[];
  private geometryBody: Promise<Representation> | null = null;
  private readonly collectionBody: LiveBody;
  private readonly scoresBody: LiveBody;

  constructor(network: Network, store: AlertStore, opts: LiveBodyOptions, now: () => number = Date.now) {
    this.features = baseFeatures(network);
    this.collectionBody = new LiveBody(
      async () => {
        const latest = await store.latestScores();
        const features = this.features.map((f) => ({ ...f, properties: { ...f.properties, score: latest.get(f.id) ?? null } }));
        return JSON.stringify({ type: 'FeatureCollection', features });
      },
      opts,
      now,
    );
    this.scoresBody = new LiveBody(
      async () => {
        const [geometry, latest] = await Promise.all([this.geometry(), store.latestScores()]);
        // The network's segments only, in its order: the same scores give the same text (and tag).
        const scores: Record<string, ScoreSummary> = {};
        for (const f of this.features) {
          const s = latest.get(f.id);
          if (s) scores[f.id] = s;
        }
        return JSON.stringify({ networkVersion: geometry.tag, scores });
      },
      opts,
      now,
    );
  }

  /** Scores changed: the next requests build afresh. */
  invalidate(): void {
    this.collectionBody.invalidate();
    this.scoresBody.invalidate();
  }

  collection(): Promise<Representation> {
    return this.collectionBody.body();
  }

  scores(): Promise<Representation> {
    return this.scoresBody.body();
  }

  geometry(): Promise<Representation> {
    this.geometryBody ??= represent(JSON.stringify({ type: 'FeatureCollection', features: this.features })).catch((err: unknown) => {
      this.geometryBody = null; // the next request tries again
      throw err;
    });
    return this.geometryBody;
  }
}
