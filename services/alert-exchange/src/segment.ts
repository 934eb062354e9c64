import type { Network, Segment } from '@saferoads/shared/network';
import { SaferoadsError } from '@saferoads/shared/errors';
import type { AlertSegment } from './types.js';

/** The part of a network segment the exports use: names, direction, structure and its line. */
export function alertSegment(segment: Segment): AlertSegment {
  const p = segment.props;
  return {
    segmentId: segment.id,
    direction: p.direction,
    coordinates: segment.coordinates,
    ...(p.name !== undefined && { name: p.name }),
    ...(p.road !== undefined && { road: p.road }),
    ...(p.country !== undefined && { country: p.country }),
    ...(p.structure !== undefined && { structure: p.structure }),
  };
}

/** alertSegment of `segmentId` in `network`; an id the network does not have is an error that names it. */
export function alertSegmentOf(network: Network, segmentId: string): AlertSegment {
  const s = network.byId.get(segmentId);
  if (!s) throw new SaferoadsError('RECORD_INVALID', `segment ${segmentId} is not in network ${network.name}`);
  return alertSegment(s);
}
